/**
 * RawModel (calls as written) → Model (layers with kinds, widths, fans, activations and the initializers
 * each framework really samples). Activation layers are folded into the layer they follow.
 */
import { pretrainedOutput } from './catalogue/backbones';
import type { InitializerId } from './catalogue/initializers';
import { KERAS_1_ARGUMENTS, KERAS_POSITIONAL, KERAS_WRAPPER_POSITIONAL, KERNEL_KINDS, layerFacts, RECURRENT_KINDS, type Keras1Arguments, type LayerFacts, type LayerKind } from './catalogue/layers';
import { booleanOf, fieldsOf, lastSegment, numberListOf, numberOf, shapeOf, stringOf, tfjsFieldsOf } from './args';
import type { Arg, CallSite, InitializerAssignment, RawLayer, RawModel } from './ir';
import type { ActivationUse, InitializerRole, InitializerUse, Layer, Model } from './model';
import { activationLayerSpec, resolveActivationArg, resolveInitializer, type ResolveContext } from './resolve';
import { reshapeFunctionTarget, shapeChangeOf } from './shapeOps';
import { inferShapes } from './shapes';

/** Which initializers a layer kind has, with each framework's default (SCIENCE.md §3). */
const DEFAULT_INITIALIZERS: Partial<Record<LayerKind, Partial<Record<InitializerRole, { keras: InitializerId; tfjs: InitializerId }>>>> = (() => {
  const kernel = { keras: 'glorotUniform', tfjs: 'glorotNormal' } as const;
  const bias = { keras: 'zeros', tfjs: 'zeros' } as const;
  // tfjs SeparableConv2D: depthwise and pointwise default to glorotUniform; DepthwiseConv2D to glorotNormal
  // (tfjs-layers 4.22 convolutional.ts, convolutional_depthwise.ts L124).
  const separable = { keras: 'glorotUniform', tfjs: 'glorotUniform' } as const;
  const depthwise = { keras: 'glorotUniform', tfjs: 'glorotNormal' } as const;
  const recurrent = { keras: 'orthogonal', tfjs: 'orthogonal' } as const;
  return {
    dense: { kernel, bias },
    conv: { kernel, bias },
    convTranspose: { kernel, bias },
    separableConv: { depthwise: separable, pointwise: separable, bias },
    depthwiseConv: { depthwise, bias },
    simpleRnn: { kernel, recurrent, bias },
    gru: { kernel, recurrent, bias },
    lstm: { kernel, recurrent, bias },
    embedding: { embeddings: { keras: 'randomUniform', tfjs: 'randomUniform' } },
  };
})();

interface DefaultInitializer {
  role: InitializerRole;
  /** The config field that writes it (`kernelInitializer`; Keras `kernel_initializer` reads as this). */
  field: string;
  fallback: { keras: InitializerId; tfjs: InitializerId };
}

const DEFAULT_INITIALIZER_ENTRIES = new Map(
  Object.entries(DEFAULT_INITIALIZERS).map(([kind, roles]) => [
    kind as LayerKind,
    Object.entries(roles).map(([role, fallback]): DefaultInitializer => ({ role: role as InitializerRole, field: `${role}Initializer`, fallback })),
  ]),
);

/**
 * Per kind, its initializer roles as keys (values unset, in the entries' order): a layer's `initializers` starts as
 * a copy, so filling a role writes a property its object already has (adding one per layer, under a computed
 * key, took V8's slow path: a fifth of interpretLayer).
 */
const INITIALIZER_SLOTS = new Map(
  [...DEFAULT_INITIALIZER_ENTRIES].map(([kind, entries]) => [kind, Object.fromEntries(entries.map(({ role }) => [role, undefined])) as Layer['initializers']]),
);

/**
 * The framework defaults of one model's layers, resolved once per role and id: most layers write no bias
 * initializer (and many no kernel one), and a 10,000-layer model need not resolve the same default 10,000 times.
 * Shared between layers: nothing changes an `InitializerUse` after interpretation.
 */
type DefaultUses = Map<InitializerRole, Map<InitializerId, InitializerUse>>;

export function interpretModel(raw: RawModel, context: ResolveContext): Model {
  const defaults: DefaultUses = new Map();
  const built = raw.layers.map((rawLayer, index) => interpretLayer(rawLayer, index, context, defaults));
  const layers = foldActivationLayers(built);
  const inputShape = shapeOf(raw.inputShape) ?? firstLayerInputShape(raw.layers[0], context);
  const inputShapes = raw.inputShapes && raw.inputShapes.length > 1 ? raw.inputShapes.map((arg, k) => (k === 0 ? inputShape : shapeOf(arg))) : undefined;
  inferShapes(layers, inputShape, inputShapes);
  const initializerAssignments = raw.initializerAssignments && assignmentsOf(raw.initializerAssignments, built, layers);
  return {
    name: raw.name,
    framework: context.framework,
    language: context.framework === 'keras' ? 'python' : 'javascript',
    style: raw.style,
    span: raw.span,
    layers,
    inputShape,
    ...(inputShapes ? { inputShapes } : {}),
    ...(initializerAssignments?.length ? { initializerAssignments } : {}),
  };
}

function isAssumed(arg: Arg | undefined): boolean {
  return arg?.value.kind === 'number' && arg.value.assumed === true;
}

/** The assignments with their layers as indices into the folded list (a folded activation or input layer drops out). */
function assignmentsOf(assignments: InitializerAssignment[], built: Layer[], kept: Layer[]): InitializerAssignment[] {
  const keptLayers = new Set(kept);
  return assignments.flatMap((assignment) => {
    const layers = assignment.layers.flatMap(({ index, built: build }) => {
      const layer = built[index];
      return layer && keptLayers.has(layer) ? [build ? { index: layer.index, built: build } : { index: layer.index }] : [];
    });
    return layers.length ? [{ ...assignment, layers }] : [];
  });
}

/** `data_format` values that put channels first: Keras's and tfjs's spellings. */
const CHANNELS_FIRST = new Set(['channels_first', 'channelsFirst']);

/** `Softmax(axis=1)`, `tf.nn.softmax(x, axis=1)`: an axis written, and not the last one (-1, every framework's default). */
function softmaxAcrossAnotherAxis(call: CallSite, className: string): boolean {
  if (className.toLowerCase() !== 'softmax') return false;
  // The layer class takes the axis first (Keras `Softmax(1)`); a function's first argument is the tensor.
  const axis = numberOf(call.keyword.axis) ?? numberOf(call.keyword.dim) ?? (className === 'Softmax' ? numberOf(call.positional[0]) : undefined);
  return axis !== undefined && axis !== -1;
}

/**
 * A conv's or pooling layer's padding as the framework reads it. Keras lowercases it (keras/src/utils/
 * argument_validation.py `standardize_padding`: `padding = value.lower()`), so the much-copied `padding='Same'`
 * is 'same'; tfjs takes 'valid', 'same' and 'causal' as written.
 */
function paddingOf(written: Arg | undefined, framework: ResolveContext['framework']): string {
  const padding = stringOf(written) ?? 'valid';
  return framework === 'keras' ? padding.toLowerCase() : padding;
}

/** No activation written: linear, tanh for recurrent layers. Shared by every such layer (never changed, only replaced). */
const DEFAULT_ACTIVATION: ActivationUse = Object.freeze({ spec: Object.freeze({ id: 'linear' }), from: 'default' });
const DEFAULT_RECURRENT_ACTIVATION: ActivationUse = Object.freeze({ spec: Object.freeze({ id: 'tanh' }), from: 'default' });

function interpretLayer(raw: RawLayer, index: number, context: ResolveContext, defaults: DefaultUses): Layer {
  const { call, className, facts, concatenatedCopies } = unwrapped(raw.call, context);
  const rank = facts.rank;
  let kind = facts.kind;
  // A function applied in a functional model (`x = tf.nn.relu(x)`) is an activation.
  const functionActivation = kind === 'unknown' ? activationLayerSpec(call, context) : undefined;
  if (functionActivation) kind = 'activation';
  // A softmax across another axis than the units' (attention weights over the time steps: `tf.nn.softmax(score,
  // axis=1)`) is no activation of the layer before it: each output is a step's share, whatever the scale. It is
  // read as a layer InitLint does not model, which ends the chains through it.
  if (kind === 'activation' && softmaxAcrossAnotherAxis(call, className)) kind = 'unknown';
  const fields = context.framework === 'keras' ? kerasFieldsOf(call, kind, rank, facts.positional) : tfjsFieldsOf(call);
  const recurrent = RECURRENT_KINDS.has(kind);
  // Every field in the literal, in the order they are filled: one object shape, no property added later.
  const layer: Layer = {
    index,
    kind,
    kernel: KERNEL_KINDS.has(kind),
    className,
    call,
    repeat: raw.repeat,
    entersModel: raw.entersModel,
    // Shared with the IR: passes replace a layer's inputs, none writes into them.
    inputs: raw.inputs,
    // A width read from a constant the code may reassign (`global`) is assumed, as an unwritten one is.
    widthAssumed: isAssumed(fields.units ?? fields.filters ?? fields.outputDim),
    useBias: booleanOf(fields.useBias) ?? true,
    activation: recurrent ? DEFAULT_RECURRENT_ACTIVATION : DEFAULT_ACTIVATION,
    initializers: { ...INITIALIZER_SLOTS.get(kind) },
    width: numberOf(fields.units) ?? numberOf(fields.filters) ?? numberOf(fields.outputDim) ?? numberOf(fields.embeddingDim),
    kernelSize: rank ? numberListOf(fields.kernelSize ?? fields.poolSize, rank) ?? (kind.endsWith('Pooling') ? Array(rank).fill(2) : undefined) : undefined,
    strides: rank ? numberListOf(fields.strides, rank) : undefined,
    padding: rank ? paddingOf(fields.padding, context.framework) : undefined,
    channelsFirst: kind.startsWith('global') && CHANNELS_FIRST.has(stringOf(fields.dataFormat) ?? '') ? true : undefined,
    depthMultiplier: numberOf(fields.depthMultiplier),
    groups: numberOf(fields.groups),
    rate: numberOf(fields.rate),
    concatenatedCopies,
    returnSequences: recurrent ? booleanOf(fields.returnSequences) ?? false : undefined,
    // A Lambda's declared output_shape (batch excluded) is followed like a Reshape's target (Keras 3 `Lambda`).
    targetShape: kind === 'reshape' ? reshapeFunctionTarget(call, className) ?? shapeOf(fields.targetShape)
      : className.toLowerCase() === 'lambda' ? shapeOf(fields.outputShape) : undefined,
    shapeChange: kind === 'unknown' ? shapeChangeOf(call, className, context.framework) : undefined,
    recurrentActivation: undefined,
    fanIn: undefined,
    fanOut: undefined,
    outputShape: undefined,
  };
  // The embeddings matrix is [inputDim, outputDim]: its fans, for an initializer that reads them (glorotNormal).
  const inputDim = kind === 'embedding' ? numberOf(fields.inputDim) ?? numberOf(fields.vocabularySize) : undefined;
  if (inputDim !== undefined && layer.width !== undefined) {
    layer.fanIn = inputDim;
    layer.fanOut = layer.width;
  }
  if (fields.activation && kind !== 'activation') {
    const resolved = resolveActivationArg(fields.activation, context);
    layer.activation = { spec: resolved.spec, from: 'own', written: fields.activation, unknownString: resolved.unknownString };
  }
  if (kind === 'activation') {
    const resolved = functionActivation ?? activationLayerSpec(call, context) ?? { spec: { id: 'other' } };
    layer.activation = { spec: resolved.spec, from: 'layer', written: fields.activation, layerCall: call, unknownString: resolved.unknownString };
  }
  if (kind === 'pretrained') {
    // Its output as its table says (`targetShape`, NaN where unknown), made by its last activation.
    const output = pretrainedOutput(call, className, context.framework);
    layer.targetShape = output.shape;
    if (output.ends !== 'linear') layer.activation = { spec: { id: output.ends }, from: 'layer' };
  }
  if (recurrent && fields.recurrentActivation) {
    layer.recurrentActivation = resolveActivationArg(fields.recurrentActivation, context).spec;
  }
  for (const { role, field, fallback } of DEFAULT_INITIALIZER_ENTRIES.get(kind) ?? []) {
    const written: Arg | undefined = fields[field];
    const use = written ? resolveInitializer(role, written, fallback[context.framework], context) : defaultUse(role, fallback[context.framework], context, defaults);
    // tfjs SeparableConv2D builds its pointwise kernel from `depthwiseInitializer || glorotUniform`, whatever
    // pointwiseInitializer says (tfjs-layers 4.22 convolutional.ts L1104-1105; PR tfjs#8564 open).
    if (role === 'pointwise' && context.framework === 'tfjs') {
      const sampled = resolveInitializer(role, fields.depthwiseInitializer, fallback.tfjs, context);
      layer.initializers[role] = { ...use, sampling: sampled.sampling, ignoredByFramework: !!written };
      continue;
    }
    layer.initializers[role] = use;
  }
  return layer;
}

/**
 * A Keras call's fields, Keras 1 names included as Keras 2.0–2.3 converted them (KERAS_1_ARGUMENTS): `init=` is the
 * kernel's initializer, `subsample=` the strides, and `Convolution2D(32, 8, 8, …)` a kernel of 8 × 8 (its two
 * numbers after the filters, where Keras 2 would read a kernel size and strides), when the call has a Keras 1
 * keyword to show it is written that way. A name also written the Keras 2 way keeps that one.
 */
function kerasFieldsOf(call: CallSite, kind: LayerKind, rank: number | undefined, positional = KERAS_POSITIONAL[kind] ?? []): Readonly<Record<string, Arg>> {
  const fields = fieldsOf(call, positional);
  const legacy = KERAS_1_ARGUMENTS[kind];
  if (!legacy || !hasKeras1Keyword(call, legacy)) return fields;
  const converted: Record<string, Arg> = { ...fields };
  for (const [old, modern] of Object.entries(legacy)) {
    const arg = call.keyword[old];
    if (!arg) continue;
    for (const field of typeof modern === 'string' ? [modern] : modern) converted[field] ??= arg;
  }
  const [filters, rows, columns] = call.positional;
  if (rank === 2 && call.positional.length === 3 && filters && rows?.value.kind === 'number' && columns?.value.kind === 'number') {
    converted.kernelSize = { value: { kind: 'array', items: [rows, columns] }, span: { start: rows.span.start, end: columns.span.end } };
    delete converted.strides;
    if (call.keyword.subsample) converted.strides = call.keyword.subsample;
  }
  return converted;
}

function hasKeras1Keyword(call: CallSite, legacy: Keras1Arguments): boolean {
  for (const key in call.keyword) if (Object.hasOwn(legacy, key)) return true;
  return false;
}

/**
 * The layer a wrapper wraps (`Bidirectional(LSTM(64))` is read as the LSTM, with its copies), else the call
 * itself. A wrapped layer that cannot be seen (a parameter) leaves the wrapper an unknown layer.
 */
function unwrapped(call: CallSite, context: ResolveContext): { call: CallSite; className: string; facts: LayerFacts; concatenatedCopies: number } {
  let { className, facts } = calleeClass(call.callee);
  let concatenatedCopies = 1;
  // Wrappers of wrappers (`TimeDistributed(Bidirectional(…))`) are rare; two levels are read.
  for (let depth = 0; facts.wrapper && depth < 2; depth++) {
    const fields = context.framework === 'keras' ? fieldsOf(call, KERAS_WRAPPER_POSITIONAL) : tfjsFieldsOf(call);
    const inner = fields.layer?.value;
    if (inner?.kind !== 'call') break;
    const merge = facts.wrapper.merge;
    if (merge && (fields[merge.field] ? stringOf(fields[merge.field]) : merge.default) === 'concat') concatenatedCopies *= 2;
    call = inner.call;
    ({ className, facts } = calleeClass(call.callee));
  }
  return { call, className, facts, concatenatedCopies };
}

/**
 * A callee's class name and facts, by the callee as written: the front ends build each path once per file
 * (frontends/paths.ts `memberPath`), so a lookup by it hashes nothing new, where its last segment, cut per layer,
 * was a new string to hash.
 */
function calleeClass(callee: string): { className: string; facts: LayerFacts } {
  let known = CALLEE_CLASSES.get(callee);
  if (!known) {
    const className = lastSegment(callee);
    known = { className, facts: layerFacts(className) };
    if (CALLEE_CLASSES.size < 10_000) CALLEE_CLASSES.set(callee, known);
  }
  return known;
}

const CALLEE_CLASSES = new Map<string, { className: string; facts: LayerFacts }>();

function defaultUse(role: InitializerRole, id: InitializerId, context: ResolveContext, defaults: DefaultUses): InitializerUse {
  // By role, then id: no key string written per layer.
  let byId = defaults.get(role);
  if (!byId) defaults.set(role, (byId = new Map()));
  let use = byId.get(id);
  if (!use) {
    use = resolveInitializer(role, undefined, id, context);
    byId.set(id, use);
  }
  return use;
}

/** The input shape written on the first layer: `input_shape=(784,)`, `inputShape: [784]`, `inputDim: 784`. */
function firstLayerInputShape(first: RawLayer | undefined, context: ResolveContext): number[] | undefined {
  if (!first) return undefined;
  const { kind } = layerFacts(lastSegment(first.call.callee));
  const fields = context.framework === 'keras' ? fieldsOf(first.call, KERAS_POSITIONAL[kind] ?? []) : tfjsFieldsOf(first.call);
  const shape = shapeOf(fields.inputShape) ?? shapeOf(fields.batchInputShape)?.slice(1) ?? (kind === 'input' ? shapeOf(fields.shape) : undefined)
    // An embedding's inputLength is its input shape (tfjs-layers embeddings.ts; Keras 2 `input_length`).
    ?? (kind === 'embedding' ? shapeOf(fields.inputLength) : undefined);
  if (shape) return shape;
  const inputDim = numberOf(fields.inputDim);
  return inputDim !== undefined && kind !== 'embedding' ? [inputDim] : undefined;
}

/**
 * Activation layers apply to the layer they follow: `Dense(64)` + `ReLU()` is a ReLU layer. The activation
 * layer disappears from the list and its consumers read from the layer it was folded into. An activation
 * layer that follows a layer which already has an activation (or the model input) stays a layer of its own.
 * `Input` layers become the model input.
 */
function foldActivationLayers(layers: Layer[]): Layer[] {
  if (!layers.some((layer) => layer.kind === 'activation' || layer.kind === 'input')) return layers;
  const replacement = new Map<number, number>();
  const removed = new Set<number>();
  const consumers = new Map<number, number>();
  for (const layer of layers) for (const input of layer.inputs) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  for (const layer of layers) {
    layer.inputs = layer.inputs.map((input) => replacement.get(input) ?? input).filter((input) => !removed.has(input));
    if (layer.kind === 'input') {
      removed.add(layer.index);
      continue;
    }
    if (layer.kind !== 'activation' || layer.inputs.length !== 1 || layer.inputs[0] < 0) continue;
    const target = layers[layer.inputs[0]];
    const soleConsumer = (consumers.get(target.index) ?? 0) <= 1;
    // An explicit identity (`activation: 'linear'`, `activation=None`) applies nothing: the layer after it is
    // the activation, as for a layer that wrote none. A recurrent layer's default (tanh) is an activation.
    const identity = target.activation.spec.id === 'linear' && !target.activation.unknownString;
    if (!soleConsumer || !identity || target.kind === 'activation') continue;
    target.activation = { ...layer.activation, from: 'layer' };
    replacement.set(layer.index, target.index);
    removed.add(layer.index);
  }
  const kept = layers.filter((layer) => !removed.has(layer.index));
  const newIndex = new Map(kept.map((layer, index) => [layer.index, index]));
  for (const layer of kept) {
    layer.inputs = layer.inputs
      .map((input) => (input < 0 ? input : newIndex.get(replacement.get(input) ?? input)))
      .filter((input): input is number => input !== undefined);
    layer.index = newIndex.get(layer.index)!;
  }
  return kept;
}

