/**
 * ignored-argument: an initializer argument the framework drops without a word, or rejects at run time.
 * - tfjs initializer factories take one config object: `tf.initializers.randomNormal(1)` ignores the 1 and
 *   draws with stddev 0.05.
 * - tfjs replaces a falsy `stddev`, `minval` or `maxval` by its default (`args.stddev || this.DEFAULT_STDDEV`,
 *   tfjs-layers src/initializers.ts RandomNormal / TruncatedNormal / RandomUniform): `stddev: 0` is 0.05.
 * - A config key or keyword the initializer does not have: tfjs ignores it (`{std: 0.02}` draws 0.05), Keras
 *   raises TypeError when the layer is built (keras/src/initializers/random_initializers.py signatures).
 * - A layer keyword or config key one or two edits from an initializer or activation keyword
 *   (`kernal_initializer`, `kernelInitialize`): Keras raises on it, tfjs ignores it and draws the default.
 */
import { INITIALIZERS, type InitializerId } from '../catalogue/initializers';
import { initializationKeywords, KERAS_LAYER_KEYWORDS, TFJS_LAYER_KEYWORDS } from '../catalogue/layerKeywords';
import { KERAS_1_ARGUMENTS, OPAQUE_KINDS } from '../catalogue/layers';
import { camelCase, snakeCase } from '../args';
import type { Arg, CallSite } from '../ir';
import type { InitializerRole, Layer } from '../model';
import { fixFor, type DraftFinding, type RuleContext } from './context';
import { editDistance } from '../spelling';

/** Each initializer's arguments (camelCase; `seed` everywhere it is accepted). Both frameworks agree on the names. */
const PARAMETERS: Record<InitializerId, readonly string[]> = {
  zeros: [], ones: [], constant: ['value'],
  randomNormal: ['mean', 'stddev', 'seed'], truncatedNormal: ['mean', 'stddev', 'seed'], randomUniform: ['minval', 'maxval', 'seed'],
  varianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  glorotNormal: ['seed'], glorotUniform: ['seed'], heNormal: ['seed'], heUniform: ['seed'], lecunNormal: ['seed'], lecunUniform: ['seed'],
  orthogonal: ['gain', 'seed'], identity: ['gain'],
};

/** tfjs: `args.x || DEFAULT`, so 0 becomes the default. */
const TFJS_FALSY_DEFAULTS: Partial<Record<InitializerId, Record<string, number>>> = {
  randomNormal: { stddev: 0.05 }, truncatedNormal: { stddev: 0.05 }, randomUniform: { minval: -0.05, maxval: 0.05 },
};

export function ignoredArgument(context: RuleContext): DraftFinding[] {
  const findings = new Map<number, DraftFinding>();
  const add = (problem: Problem, layer: Layer) => {
    const existing = findings.get(problem.span.start);
    if (existing) {
      if (!existing.layers.includes(layer.index)) existing.layers.push(layer.index);
      return;
    }
    findings.set(problem.span.start, { ...problem, rule: 'ignored-argument', model: context.analysis.model.name, layers: [layer.index], fixes: problem.fixes ?? [] });
  };
  for (const layer of context.analysis.model.layers) {
    if (context.fix.framework === 'tfjs') for (const problem of snakeCaseInitializerKeys(layer, context)) add(problem, layer);
    else if (context.assumptions.kerasReadsKeras1Names === false) for (const problem of keras1InitializerNames(layer, context)) add(problem, layer);
    for (const problem of misspelledKeywords(layer, context)) add(problem, layer);
    // `for in`, not Object.values: no array per layer.
    for (const role in layer.initializers) {
      const use = layer.initializers[role as InitializerRole];
      const value = use?.written?.value;
      if (value?.kind !== 'call' || !use?.id || use.pretrained) continue;
      for (const problem of problemsOf(value.call, use.id, context)) add(problem, layer);
    }
  }
  return [...findings.values()];
}

/**
 * A tfjs layer reads its config by camelCase field (`args.embeddingsInitializer || DEFAULT`, tfjs-layers
 * src/layers/*.ts): a key spelled the Keras way (`embeddings_initializer`) is a property no layer reads. In
 * JavaScript it is dropped without a word (TypeScript rejects the object literal), and the default is drawn.
 */
function snakeCaseInitializerKeys(layer: Layer, context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  // `for in`, not Object.entries: every tfjs layer passes here, and almost none has such a key.
  const keyword = layer.call.keyword;
  for (const written in keyword) {
    if (written.indexOf('_') < 0) continue;
    const arg = keyword[written];
    const field = camelCase(written);
    if (!field.endsWith('Initializer')) continue;
    // `kernal_initializer`: misspelled as well, misspelledKeywords names the key meant.
    if (!TFJS_LAYER_KEYWORDS.has(field) && readsKeywords(layer) && meantKeyword(written, layer)) continue;
    const span = keySpan(arg, written, context.fix.text);
    const role = field.slice(0, -'Initializer'.length);
    problems.push({
      span,
      message: `TensorFlow.js reads the config key ${field}: '${written}' is ignored, so this ${layer.className} layer draws its ${role} from the default initializer, not the one written here.`,
      fixes: context.fix.text.slice(span.start, span.end) === written ? [fixFor(`Rename to ${field}`, [{ span, newText: field }])] : [],
    });
  }
  return problems;
}

/**
 * Keras 1's initializer arguments (`init`, `inner_init`): multi-backend Keras 2.0–2.3 converted them
 * (KERAS_1_ARGUMENTS), tf.keras and Keras 3 raise on them, so the layer is never built. Renamed by the fix where
 * that is the call's only Keras 1 name.
 */
function keras1InitializerNames(layer: Layer, context: RuleContext): readonly Problem[] {
  const legacy = KERAS_1_ARGUMENTS[layer.kind];
  if (!legacy) return NO_PROBLEMS;
  // One pass: the Keras 1 initializer names, and how many Keras 1 names the call has in all (a rename builds the
  // layer only where no other one, `subsample`, `border_mode`, is left on it).
  let keras1Names = 0;
  let initializerNames: string[] | undefined;
  for (const written in layer.call.keyword) {
    if (!Object.hasOwn(legacy, written)) continue;
    keras1Names++;
    const modern = legacy[written];
    if (typeof modern === 'string' && modern.endsWith('Initializer')) (initializerNames ??= []).push(written);
  }
  if (!initializerNames) return NO_PROBLEMS;
  const problems: Problem[] = [];
  for (const written of initializerNames) {
    const span = keySpan(layer.call.keyword[written], written, context.fix.text);
    const name = snakeCase(legacy[written] as string);
    problems.push({
      span,
      message: `'${written}' is Keras 1's name for ${name}: Keras 2.0–2.3 converted it, but tf.keras and Keras 3 raise on it, so this ${layer.className} layer is never built. Rename it to ${name}.`,
      fixes: keras1Names === 1 && context.fix.text.slice(span.start, span.end) === written ? [fixFor(`Rename to ${name}`, [{ span, newText: name }])] : [],
    });
  }
  return problems;
}

/**
 * A keyword no layer takes, one or two edits from an initializer or activation keyword (after case and
 * underscores: `kernelInitializer` written in Python counts). Keras raises on any keyword a layer does not take
 * (tf.keras 2 engine/base_layer.py: `generic_utils.validate_kwargs(kwargs, allowed_kwargs)`, TypeError "Keyword
 * argument not understood"; Keras 3 keras/src/layers/layer.py Layer.__init__: "Unrecognized keyword arguments
 * passed to Dense"), so the model is never built. tfjs reads `args.kernelInitializer || DEFAULT` and
 * `getActivation(args.activation)` (tfjs-layers src/layers/core.ts, Dense constructor): another key is dropped
 * without a word, and the default is drawn, as the analysis reads it (it reads the fields by their names).
 * Only layers of the catalogue (a custom layer takes its own keywords), and only the keywords of the layer's kind.
 */
function misspelledKeywords(layer: Layer, context: RuleContext): readonly Problem[] {
  if (!readsKeywords(layer)) return NO_PROBLEMS;
  const tfjs = context.fix.framework === 'tfjs';
  const known = tfjs ? TFJS_LAYER_KEYWORDS : KERAS_LAYER_KEYWORDS;
  const legacy = tfjs ? undefined : KERAS_1_ARGUMENTS[layer.kind];
  const { keyword } = layer.call;
  let problems: Problem[] | undefined;
  // `for in` and a Set lookup first: almost every keyword is a known one, and costs nothing more.
  for (const written in keyword) {
    if (known.has(written) || (legacy && Object.hasOwn(legacy, written))) continue;
    // A tfjs key spelled the Keras way (`kernel_initializer`): snakeCaseInitializerKeys reports it.
    if (tfjs && written.indexOf('_') >= 0 && camelCase(written).endsWith('Initializer') && TFJS_LAYER_KEYWORDS.has(camelCase(written))) continue;
    const meant = meantKeyword(written, layer);
    if (!meant) continue;
    const spelled = tfjs ? meant : snakeCase(meant);
    const span = keySpan(keyword[written], written, context.fix.text);
    // Written as well (`kernelInitialize` beside `kernelInitializer`): the layer reads that one, a rename would repeat it.
    const alsoWritten = Object.hasOwn(keyword, spelled);
    const message = tfjs
      ? `TensorFlow.js has no layer config key '${written}' (did you mean ${meant}?): it is ignored without a word, so ${alsoWritten ? `this ${layer.className} layer reads the ${meant} also written here` : defaultReading(layer, meant)}.`
      : `${layer.className} takes no keyword '${written}' (did you mean ${spelled}?): tf.keras and Keras 3 raise on a keyword a layer does not take, so this model is never built.${alsoWritten ? '' : ` Rename it to ${spelled}.`}`;
    (problems ??= []).push({
      span,
      message,
      fixes: !alsoWritten && context.fix.text.slice(span.start, span.end) === written ? [fixFor(`Rename to ${spelled}`, [{ span, newText: spelled }])] : [],
    });
  }
  return problems ?? NO_PROBLEMS;
}

/** What a tfjs layer draws or applies without the key meant. */
function defaultReading(layer: Layer, meant: string): string {
  if (meant === 'activation') {
    const drawn = layer.activation.from === 'default' ? ` (${layer.activation.spec.id})` : '';
    return `this ${layer.className} layer keeps its default activation${drawn}, not the one written here`;
  }
  if (meant === 'recurrentActivation') {
    return `this ${layer.className} layer keeps its default recurrent activation${layer.recurrentActivation ? ` (${layer.recurrentActivation.id})` : ''}, not the one written here`;
  }
  const role = meant.slice(0, -'Initializer'.length);
  const drawn = Object.hasOwn(layer.initializers, role) ? layer.initializers[role as InitializerRole]?.id : undefined;
  return `this ${layer.className} layer draws its ${role} from the default initializer${drawn ? ` (${drawn})` : ''}, not the one written here`;
}

/** Layers whose keywords are the framework's: not a custom layer, a loaded model or a backbone. */
function readsKeywords(layer: Layer): boolean {
  return !OPAQUE_KINDS.has(layer.kind);
}

/**
 * The initializer or activation keyword of this layer that `written` is a misspelling of: at most 2 edits after
 * case and underscores, and nearer than any other. Only the layer's own: a batch normalization's
 * `kernelInitialize` is no kernel initializer of it in any spelling.
 */
function meantKeyword(written: string, layer: Layer): string | undefined {
  const candidates = initializationKeywords(layer.kind);
  if (!candidates.length) return undefined;
  const normalized = written.toLowerCase().replaceAll('_', '');
  let meant: string | undefined;
  let best = MAX_EDITS + 1;
  let tie = false;
  for (const candidate of candidates) {
    if (Math.abs(candidate.normalized.length - normalized.length) > MAX_EDITS) continue;
    const distance = editDistance(normalized, candidate.normalized, MAX_EDITS);
    if (distance < best) [best, meant, tie] = [distance, candidate.name, false];
    else if (distance === best) tie = true;
  }
  return tie ? undefined : meant;
}

const MAX_EDITS = 2;

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

interface Problem {
  span: Arg['span'];
  message: string;
  fixes?: DraftFinding['fixes'];
}

function problemsOf(call: CallSite, id: InitializerId, context: RuleContext): Problem[] {
  const { framework, text } = context.fix;
  const name = framework === 'tfjs' ? INITIALIZERS[id].tfjs.id : INITIALIZERS[id].keras.className;
  const accepted = PARAMETERS[id];
  const problems: Problem[] = [];
  if (framework === 'tfjs') {
    for (const arg of call.positional) {
      problems.push({
        span: arg.span,
        message: `tf.initializers.${name} takes one config object: ${text.slice(arg.span.start, arg.span.end)} is ignored, and it draws with ${defaultsOf(id)}.${accepted.length ? ` Pass {${accepted.filter((param) => param !== 'seed').join(', ')}} instead.` : ''}`,
      });
    }
  } else {
    // Keras: positional arguments in signature order; one too many is a TypeError.
    const positional = [...INITIALIZERS[id].kerasPositional, ...(accepted.includes('seed') ? ['seed'] : [])];
    for (const arg of call.positional.slice(positional.length)) {
      problems.push({ span: arg.span, message: `${name} takes at most ${positional.length} positional argument${positional.length === 1 ? '' : 's'} (${positional.join(', ') || 'none'}): Keras raises TypeError when the layer is built.` });
    }
  }
  for (const [written, arg] of Object.entries(call.keyword)) {
    const key = camelCase(written);
    if (!accepted.includes(key)) {
      const near = accepted.find((param) => isNear(param, key));
      const effect = framework === 'tfjs' ? `tfjs ignores it and draws with ${defaultsOf(id)}` : 'Keras raises TypeError when the layer is built';
      const span = keySpan(arg, written, text);
      const spelled = near && (framework === 'keras' ? snakeCase(near) : near);
      problems.push({
        span,
        message: `${name} has no argument '${written}'${spelled ? ` (did you mean '${spelled}'?)` : ''}: ${effect}. Its arguments: ${accepted.map((param) => (framework === 'keras' ? snakeCase(param) : param)).join(', ') || 'none'}.`,
        fixes: spelled && text.slice(span.start, span.end) === written ? [fixFor(`Rename to ${spelled}`, [{ span, newText: spelled }])] : [],
      });
      continue;
    }
    const fallback = framework === 'tfjs' ? TFJS_FALSY_DEFAULTS[id]?.[key] : undefined;
    if (fallback !== undefined && arg.value.kind === 'number' && arg.value.value === 0) {
      problems.push({
        span: arg.span,
        message: `tfjs replaces ${key}: 0 by its default (args.${key} || ${fallback}): this ${name} draws with ${key} ${fallback}, not 0.${key === 'stddev' ? ' For a constant kernel write tf.initializers.zeros() (and mind symmetric-init).' : ''}`,
      });
    }
  }
  return problems;
}

/** What a tfjs initializer draws with when its config is lost. */
function defaultsOf(id: InitializerId): string {
  if (id === 'randomNormal' || id === 'truncatedNormal') return 'mean 0, stddev 0.05';
  if (id === 'randomUniform') return 'minval -0.05, maxval 0.05';
  return 'its defaults';
}

/** The written key itself when the front end's span covers `key: value` (tfjs) or `key=value` (Keras); else the value. */
function keySpan(arg: Arg, written: string, text: string): Arg['span'] {
  const before = text.lastIndexOf(written, arg.span.start);
  return before >= 0 && arg.span.start - before < written.length + 4 ? { start: before, end: before + written.length } : arg.span;
}

/** One edit, a swap or a missing/extra letter apart (std → stddev is not: too far to guess). */
function isNear(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const lower = (s: string) => s.toLowerCase();
  if (lower(a) === lower(b)) return true;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) || a.slice(i) === b.slice(i + 1);
}
