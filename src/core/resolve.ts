/** Resolving written initializer and activation arguments through the framework tables. */
import { activationFromFunctionName, ACTIVATION_STRINGS, frameworkDefaultParameter, TF_KERAS_2_ACTIVATION_LAYERS, type ActivationSpec } from './catalogue/activations';
import {
  INITIALIZER_STRINGS, INITIALIZERS, initializerFromCallPath, samplingOf,
  type FrameworkAssumptions, type InitializerId, type InitializerParams,
} from './catalogue/initializers';
import { KERAS_ACTIVATION_LAYER_POSITIONAL } from './catalogue/layers';
import { fieldsOf, lastSegment, numberOf, stringOf } from './args';
import type { Arg, CallSite, Framework } from './ir';
import type { InitializerRole, InitializerUse } from './model';

export interface ResolveContext {
  framework: Framework;
  assumptions: FrameworkAssumptions;
  kerasMajor: number;
  /**
   * The written strings already resolved under this context, filled as they are read: 'relu' and 'heNormal' are
   * written on every layer, each a fresh string object, whose lookup in a table object costs more than the
   * rest of reading the layer.
   */
  strings?: ResolvedStrings;
}

interface ResolvedStrings {
  activations: Map<string, ResolvedActivation>;
  /** null: not an initializer id (one lookup tells a known miss from a string not yet read). */
  initializers: Map<string, InitializerId | null>;
}

/** The parameters of an initializer written without any: one object for all (nothing changes a use's params). */
const NO_PARAMS: InitializerParams = Object.freeze({});

/** An initializer argument (or the framework default `id` when nothing is written). */
export function resolveInitializer(role: InitializerRole, written: Arg | undefined, fallback: InitializerId, context: ResolveContext): InitializerUse {
  const { framework, assumptions } = context;
  if (!written) {
    return { role, id: fallback, params: NO_PARAMS, sampling: samplingOf(framework, fallback, NO_PARAMS, assumptions) };
  }
  const value = written.value;
  let id: InitializerId | undefined;
  let params: InitializerParams = NO_PARAMS;
  let unknownString: string | undefined;
  if (value.kind === 'string') {
    id = initializerOfString(value.value, context);
    if (!id) unknownString = value.value;
  } else if (value.kind === 'call') {
    id = initializerFromCallPath(framework, value.call.callee);
    if (id === 'constant' && holdsWeights(value.call, framework)) return { role, params, written, pretrained: true };
    if (id) {
      const fields = fieldsOf(value.call, framework === 'keras' ? INITIALIZERS[id].kerasPositional : []);
      // `VarianceScaling(scale=s)` with `s` read from the command line: the draw is unknown, never its default's.
      if (holdsUnreadableParameter(fields)) return { role, id, params, written };
      params = initializerParams(fields);
    }
  } else if (value.kind === 'reference') {
    id = initializerFromCallPath(framework, value.path);
  } else if (value.kind === 'null') {
    id = fallback;
  }
  return { role, id, params, written, unknownString, sampling: id ? samplingOf(framework, id, params, assumptions) : undefined };
}

function resolvedStrings(context: ResolveContext): ResolvedStrings {
  return (context.strings ??= { activations: new Map(), initializers: new Map() });
}

function initializerOfString(written: string, context: ResolveContext): InitializerId | undefined {
  const known = resolvedStrings(context).initializers;
  const seen = known.get(written);
  if (seen !== undefined) return seen ?? undefined;
  const id = INITIALIZER_STRINGS[context.framework][written];
  known.set(written, id ?? null);
  return id;
}

/**
 * `Constant(embedding_matrix)`, `Constant(np.load(…))`, `tf.initializers.constant({value: weights})`: a value that
 * is not one number is the layer's weights, given (Keras `Constant` fills with whatever array it holds).
 */
function holdsWeights(call: CallSite, framework: Framework): boolean {
  const value = fieldsOf(call, framework === 'keras' ? ['value'] : []).value;
  return value !== undefined && value.value.kind !== 'number';
}

/** The parameters that decide an initializer's draw, by the kind of value each takes. */
const NUMBER_PARAMETERS = ['scale', 'mean', 'stddev', 'minval', 'maxval', 'value', 'gain'] as const;
const STRING_PARAMETERS = ['mode', 'distribution'] as const;

/** A parameter written with a value the file does not show (a variable read from the command line, a call's result). */
function holdsUnreadableParameter(fields: Readonly<Record<string, Arg>>): boolean {
  for (const name of NUMBER_PARAMETERS) if (fields[name] && numberOf(fields[name]) === undefined) return true;
  for (const name of STRING_PARAMETERS) if (fields[name] && stringOf(fields[name]) === undefined) return true;
  return false;
}

function initializerParams(fields: Readonly<Record<string, Arg>>): InitializerParams {
  return {
    scale: numberOf(fields.scale),
    mode: stringOf(fields.mode),
    distribution: stringOf(fields.distribution),
    mean: numberOf(fields.mean),
    stddev: numberOf(fields.stddev),
    minval: numberOf(fields.minval),
    maxval: numberOf(fields.maxval),
    value: numberOf(fields.value),
    gain: numberOf(fields.gain),
  };
}

export interface ResolvedActivation {
  spec: ActivationSpec;
  unknownString?: string;
}

/** An `activation=` argument: a string, a function reference (`tf.nn.relu`), None, or something we cannot see. */
export function resolveActivationArg(arg: Arg, context: ResolveContext): ResolvedActivation {
  const value = arg.value;
  if (value.kind === 'null') return { spec: { id: 'linear' } };
  if (value.kind === 'string') return activationOfString(value.value, context);
  if (value.kind === 'reference') {
    const id = activationFromFunctionName(lastSegment(value.path)) ?? 'other';
    return { spec: withDefaultParameter({ id }, context) };
  }
  if (value.kind === 'call') {
    const resolved = activationLayerSpec(value.call, context);
    if (resolved) return resolved;
  }
  return { spec: { id: 'other' } };
}

/** One resolution per string and context, shared by the layers that write it (nothing changes a spec). */
function activationOfString(written: string, context: ResolveContext): ResolvedActivation {
  const known = resolvedStrings(context).activations;
  let resolved = known.get(written);
  if (!resolved) {
    const id = ACTIVATION_STRINGS[context.framework][written];
    resolved = id ? { spec: withDefaultParameter({ id }, context) } : tfKeras2ActivationLayer(written, context) ?? { spec: { id: 'other' }, unknownString: written };
    known.set(written, resolved);
  }
  return resolved;
}

/**
 * Configured for tf.keras 2.x, `activation='LeakyReLU'` is the layer of that name built with no arguments
 * (TF_KERAS_2_ACTIVATION_LAYERS): read as `LeakyReLU()` is, alpha 0.3 included.
 */
function tfKeras2ActivationLayer(written: string, context: ResolveContext): ResolvedActivation | undefined {
  if (context.framework !== 'keras' || context.kerasMajor >= 3 || !TF_KERAS_2_ACTIVATION_LAYERS.has(written)) return undefined;
  const nowhere = { start: 0, end: 0 };
  return activationLayerSpec({ callee: written, calleeSpan: nowhere, span: nowhere, positional: [], keyword: {}, insertAt: { offset: -1, prefix: '', suffix: '' } }, context);
}

function withDefaultParameter(spec: ActivationSpec, context: ResolveContext): ActivationSpec {
  const parameter = frameworkDefaultParameter(context.framework, spec.id, context.kerasMajor);
  return parameter === undefined ? spec : { ...spec, parameter };
}

/**
 * What an activation layer applies: `Activation('relu')`, `ReLU(max_value=6)`, `LeakyReLU(0.1)`,
 * `ELU()`, `PReLU()` (alpha starts at its initializer: zeros), `Softmax()`, `tf.layers.leakyReLU({alpha})`,
 * or a function applied functionally (`tf.nn.relu(x)`). Undefined when it is not an activation at all.
 */
export function activationLayerSpec(call: CallSite, context: ResolveContext): ResolvedActivation | undefined {
  const name = lastSegment(call.callee);
  const key = name.toLowerCase();
  const positional = KERAS_ACTIVATION_LAYER_POSITIONAL[key];
  if (!positional) {
    const id = activationFromFunctionName(name);
    return id ? { spec: withDefaultParameter({ id }, context) } : undefined;
  }
  // tfjs layers take one config object: no positional parameters.
  const fields = fieldsOf(call, context.framework === 'keras' ? positional : []);
  if (key === 'activation') {
    return fields.activation ? resolveActivationArg(fields.activation, context) : { spec: { id: 'linear' } };
  }
  const spec = activationLayerParameters(key, fields);
  return spec && { spec };
}

function activationLayerParameters(key: string, fields: Record<string, Arg>): ActivationSpec | undefined {
  switch (key) {
    case 'relu': {
      const slope = numberOf(fields.negativeSlope) ?? numberOf(fields.alpha) ?? 0;
      if (slope > 0) return { id: 'leakyRelu', parameter: slope };
      return numberOf(fields.maxValue) === 6 ? { id: 'relu6' } : { id: 'relu' };
    }
    // LeakyReLU layers default to 0.3 in Keras 3 (negative_slope), tf.keras (alpha) and tfjs (alpha).
    case 'leakyrelu':
      return { id: 'leakyRelu', parameter: numberOf(fields.negativeSlope) ?? numberOf(fields.alpha) ?? 0.3 };
    case 'elu':
      return { id: 'elu', parameter: numberOf(fields.alpha) ?? 1 };
    case 'prelu':
      return { id: 'prelu', parameter: preluAlpha(fields.alphaInitializer) };
    case 'softmax':
      return { id: 'softmax' };
    case 'thresholdedrelu':
      return { id: 'thresholdedRelu', parameter: numberOf(fields.theta) ?? 1 };
    default:
      return undefined;
  }
}

function preluAlpha(arg: Arg | undefined): number {
  if (arg?.value.kind === 'call') {
    const name = lastSegment(arg.value.call.callee).toLowerCase();
    if (name === 'constant') return numberOf(fieldsOf(arg.value.call, ['value']).value) ?? 0;
    if (name === 'ones') return 1;
  }
  if (stringOf(arg) === 'ones') return 1;
  return 0;
}
