/**
 * Calls of names the file does not define: Python builtins and `math`, `functools.partial`, and Keras — the
 * three calls that make models and inputs (`Sequential`, `Model`, `Input`), function forms applied to tensors
 * (`tf.nn.relu(x)`, `layers.add([a, b])`), and every other call (a layer, an initializer) as a CallSite.
 * Which callee is which layer is the core's business: here only the model-making names matter.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, CallSite } from '../../core/ir';
import { applyWeight } from './customLayers';
import { withoutBatch } from './models';
import { attribute, distinctValues, itemsOf, lastSegment, MATH_FUNCTIONS, MATH_MODULES, tensorNodes } from './operations';
import type { Runtime } from './runtime';
import { tensorShape } from './staticShapes';
import { NONE, toArg, UNKNOWN, type ArgValueAt, type CallArgs, type PyValue } from './values';

/** Builtins, `math`/`numpy` functions and `functools.partial`; undefined when `path` is none of them. */
export function callBuiltin(path: string, args: CallArgs): PyValue | undefined {
  const dot = path.lastIndexOf('.');
  if (dot >= 0) {
    if (path === 'functools.partial') return partial(args);
    // `np.arange(3)` and `tf.range(3)` of integers iterate as `range(3)` does (a loop `for i in np.arange(depth)`).
    if (ARANGE_PATHS.has(path)) return integerRange(numbersOf(args));
    // `np.array(widths)`: the same items, marked as an array (elementwise arithmetic).
    if (ARRAY_PATHS.has(path)) {
      const items = args.positional[0]?.value;
      return items?.t === 'list' && !items.open ? { t: 'list', items: [...items.items], numpy: true } : UNKNOWN;
    }
    const math = mathFunction(path, dot);
    if (!math) return undefined;
    const numbers = numbersOf(args);
    return numbers?.length ? numberOrUnknown(math(...numbers)) : UNKNOWN;
  }
  if (!BUILTINS.has(path)) return undefined;
  const values = args.positional.map((arg) => arg.value);
  const numbers = numbersOf(args);
  const first = values[0];
  switch (path) {
    // `xrange`: Python 2's lazy range, in the loops of Keras 1-era scripts.
    case 'range': case 'xrange': return integerRange(numbers);
    case 'len': {
      const items = first && !isOpen(first) ? itemsOf(first, 0) : undefined;
      return items ? { t: 'num', v: items.count } : UNKNOWN;
    }
    case 'list': case 'tuple': {
      if (!first) return { t: 'list', items: [] };
      const items = itemsOf(first, 100_000);
      return items ? { t: 'list', items: items.items, open: isOpen(first) } : UNKNOWN;
    }
    // `len(set(labels))` counts distinct values: known when every item is known (a value, or an object of the
    // file, which is distinct from every other).
    case 'set': {
      if (!first) return { t: 'list', items: [] };
      const items = itemsOf(first, 100_000);
      const distinct = items && !isOpen(first) && items.items.length === items.count ? distinctValues(items.items) : undefined;
      return distinct ? { t: 'list', items: distinct } : UNKNOWN;
    }
    // `sorted(set(text))`, a vocabulary: its order is known only for numbers alone or strings alone.
    case 'sorted': {
      const items = first && !isOpen(first) ? itemsOf(first, 100_000) : undefined;
      if (!items || items.items.length < items.count || args.keyword.size) return UNKNOWN;
      const sorted = sortedScalars(items.items);
      return sorted ? { t: 'list', items: sorted } : UNKNOWN;
    }
    // `vars(parser.parse_args())`: the options as a dict.
    case 'vars': return first?.t === 'dict' && first.namespace ? { t: 'dict', entries: new Map(first.entries) } : UNKNOWN;
    case 'dict': {
      const entries = new Map(first?.t === 'dict' ? first.entries : []);
      for (const [name, arg] of args.keyword) entries.set(name, arg.value);
      return { t: 'dict', entries };
    }
    case 'int': case 'float': {
      const value = first?.t === 'num' ? first.v : first?.t === 'str' ? Number(first.v.trim()) : first?.t === 'bool' ? Number(first.v) : NaN;
      return numberOrUnknown(path === 'int' ? Math.trunc(value) : value);
    }
    case 'bool': return first?.t === 'num' || first?.t === 'str' || first?.t === 'bool' ? { t: 'bool', v: Boolean(first.v) } : UNKNOWN;
    case 'str': return first?.t === 'num' || first?.t === 'str' ? { t: 'str', v: String(first.v) } : UNKNOWN;
    case 'abs': return numbers?.length === 1 ? { t: 'num', v: Math.abs(numbers[0]) } : UNKNOWN;
    case 'round': return numbers?.length === 1 ? { t: 'num', v: Math.round(numbers[0]) } : UNKNOWN;
    case 'pow': return numbers?.length === 2 ? { t: 'num', v: numbers[0] ** numbers[1] } : UNKNOWN;
    case 'min': case 'max': case 'sum': {
      const pool = values.length === 1 ? (isOpen(values[0]) ? undefined : itemsOf(values[0], 100_000)?.items) : values;
      if (!pool?.length || !pool.every((value) => value.t === 'num')) return path === 'sum' && pool?.length === 0 ? { t: 'num', v: 0 } : UNKNOWN;
      const all = pool.map((value) => (value as { v: number }).v);
      return { t: 'num', v: path === 'sum' ? all.reduce((a, b) => a + b, 0) : path === 'min' ? Math.min(...all) : Math.max(...all) };
    }
    case 'enumerate': {
      const items = first && itemsOf(first, 100_000);
      const start = args.positional[1]?.value ?? args.keyword.get('start')?.value;
      const offset = start?.t === 'num' ? start.v : 0;
      return items ? { t: 'list', items: items.items.map((item, index): PyValue => ({ t: 'list', items: [{ t: 'num', v: index + offset }, item] })) } : UNKNOWN;
    }
    case 'zip': {
      const lists = values.map((value) => itemsOf(value, 100_000)?.items);
      if (!lists.length || lists.some((items) => !items)) return UNKNOWN;
      const length = Math.min(...lists.map((items) => items!.length));
      return { t: 'list', items: Array.from({ length }, (_, index): PyValue => ({ t: 'list', items: lists.map((items) => items![index]) })) };
    }
    case 'reversed': {
      const items = first && itemsOf(first, 100_000);
      return items ? { t: 'list', items: [...items.items].reverse() } : UNKNOWN;
    }
    case 'getattr': {
      const name = values[1];
      return first && name?.t === 'str' ? attribute(first, name.v) : UNKNOWN;
    }
    case 'partial': return partial(args);
    case 'print': return NONE;
    case 'isinstance': case 'hasattr': case 'super': case 'type': case 'id': case 'callable': return UNKNOWN;
    default: return undefined;
  }
}

/**
 * `math.sqrt`, `np.log`: the numeric function a dotted path names, else null. Kept per path (paths are shared
 * strings, see `memberPath`): a file calls the same few library paths again and again, and most are no such function.
 */
function mathFunction(path: string, dot: number): MathFunction | null {
  let found = mathFunctions.get(path);
  if (found === undefined) {
    const name = path.slice(dot + 1);
    found = Object.hasOwn(MATH_FUNCTIONS, name) && MATH_MODULES.has(lastSegment(path.slice(0, dot))) ? MATH_FUNCTIONS[name] : null;
    if (mathFunctions.size > 10_000) mathFunctions.clear();
    mathFunctions.set(path, found);
  }
  return found;
}

/** `range(stop)`, `range(start, stop[, step])` of integers; anything else is unknown. */
function integerRange(numbers: number[] | undefined): PyValue {
  if (!numbers?.length || numbers.length > 3 || !numbers.every(Number.isInteger)) return UNKNOWN;
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
  return step === 0 ? UNKNOWN : { t: 'range', start, stop, step };
}

/**
 * Integer sequences written through numpy and TensorFlow: same arguments as `range` (numpy `arange`, TensorFlow
 * `tf.range`: start, limit, delta). A float argument leaves them unknown.
 */
const ARANGE_PATHS = new Set(['numpy.arange', 'np.arange', 'tensorflow.range', 'tf.range']);
const ARRAY_PATHS = new Set(['numpy.array', 'np.array', 'numpy.asarray', 'np.asarray']);

type MathFunction = (typeof MATH_FUNCTIONS)[string];
const mathFunctions = new Map<string, MathFunction | null>();

const BUILTINS = new Set([
  'range', 'xrange', 'len', 'list', 'tuple', 'set', 'sorted', 'dict', 'int', 'float', 'bool', 'str', 'abs', 'round', 'pow', 'min', 'max', 'sum',
  'enumerate', 'zip', 'reversed', 'getattr', 'partial', 'print', 'isinstance', 'hasattr', 'super', 'type', 'id', 'callable', 'vars',
]);

/** Numbers alone or strings alone, in Python's order (strings by code point); undefined otherwise. */
function sortedScalars(items: PyValue[]): PyValue[] | undefined {
  if (items.every((item) => item.t === 'num')) return [...items].sort((a, b) => (a as { v: number }).v - (b as { v: number }).v);
  if (!items.every((item) => item.t === 'str')) return undefined;
  const codePoints = (value: PyValue) => [...(value as { v: string }).v].map((char) => char.codePointAt(0)!);
  return [...items].sort((a, b) => {
    const [x, y] = [codePoints(a), codePoints(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
}

/** A list or dict filled in a loop of unknown length: its items are some of those it holds. */
function isOpen(value: PyValue): boolean {
  return (value.t === 'list' || value.t === 'dict') && value.open === true;
}

function numbersOf(args: CallArgs): number[] | undefined {
  const numbers: number[] = [];
  for (const arg of args.positional) {
    if (arg.value.t !== 'num') return undefined;
    numbers.push(arg.value.v);
  }
  return numbers;
}

function numberOrUnknown(value: number): PyValue {
  return Number.isNaN(value) ? UNKNOWN : { t: 'num', v: value };
}

/** `partial(keras.layers.Conv2D, kernel_size=3, activation='relu')`: the arguments bound here join each call. */
function partial(args: CallArgs): PyValue {
  const [target, ...rest] = args.positional;
  if (!target) return UNKNOWN;
  return { t: 'partial', target: target.value, args: { positional: rest, keyword: args.keyword } };
}

/** A call of a library name, with its CallSite built. */
export function callLibrary(rt: Runtime, site: CallSite, args: CallArgs, node: SyntaxNode): PyValue {
  const name = lastSegment(site.callee);
  switch (name) {
    case 'Sequential': return sequential(rt, site, args, node);
    case 'Model':
    case 'Functional': {
      const model = functionalModel(rt, site, args, node);
      if (model) return model;
      break;
    }
    case 'Input': {
      const shape = args.keyword.get('shape') ?? args.positional[0];
      const batchShape = args.keyword.get('batch_shape') ?? args.keyword.get('batch_input_shape');
      const inputShape = shape ? toArg(shape.value, shape.span) : batchShape ? withoutBatch(toArg(batchShape.value, batchShape.span)) : undefined;
      return { t: 'tensor', node: rt.book.input(inputShape) };
    }
    default: break;
  }
  // A shape is numbers about a tensor, not a tensor of the graph: `tf.shape(x)[0]` sizes a noise tensor.
  if (SHAPE_FUNCTIONS.has(name)) return staticShapeCall(rt, site.callee, name, args);
  if (name === 'get') {
    const module = identifierModule(site.callee);
    if (module) return lookedUp(site.callee, module, args.positional[0]?.value ?? args.keyword.get('identifier')?.value ?? UNKNOWN);
  }
  const kernel = applyWeight(rt, name, args, site.span);
  if (kernel) return kernel;
  const tensors: number[] = [];
  for (const arg of args.positional) tensorNodes(arg.value, tensors);
  // A Keras class (CapWords, as Keras spells every layer) given tensors only by keyword makes an object:
  // `ZeroPadding2D(padding=pad_of(x))`, `Lambda(fn, arguments={"y": y})` are layers to apply, not functions
  // applied to `x` and `y`. (`Add([x, y])`, a mistake for `add([x, y])`, still reads as the add meant.)
  if (!tensors.length && isLibraryClass(site.callee, name)) {
    const fn = args.positional[0]?.value ?? args.keyword.get('function')?.value;
    const bound = name === 'Lambda' && fn?.t === 'function' && !site.keyword.output_shape ? lambdaArguments(args.keyword.get('arguments')) : undefined;
    if (fn && bound) lambdaFunctions.set(site, { fn, bound });
    return { t: 'call', site, repeat: rt.loopRepeat() };
  }
  for (const arg of args.keyword.values()) tensorNodes(arg.value, tensors);
  // A function applied to tensors (`tf.nn.relu(x)`, `layers.concatenate([a, b])`): a node of the graph.
  if (tensors.length) {
    const applied = name === 'merge' ? keras1Merge(site) ?? site : site;
    return { t: 'tensor', node: rt.book.apply(applied, tensors, false, rt.loopRepeat()) };
  }
  return { t: 'call', site, repeat: rt.loopRepeat() };
}

/**
 * `Lambda(lambda x: tf.nn.depth_to_space(x, 2))` without a declared `output_shape`: applied to tensors, its
 * function is what runs (its operations are the graph's nodes, and what they do to the shape is followed).
 */
const lambdaFunctions = new WeakMap<CallSite, { fn: PyValue; bound: CallArgs }>();

export function lambdaFunction(site: CallSite): { fn: PyValue; bound: CallArgs } | undefined {
  return lambdaFunctions.get(site);
}

/**
 * Keras calls a Lambda's function as `function(inputs, **arguments)`: the `arguments` dict's entries are keyword
 * arguments of each call (EDSR's `Lambda(lambda t, s: t * s, arguments={'s': 0.1})`). A dict InitLint cannot
 * read whole leaves the function unrun (an opaque layer), never run with an argument missing.
 */
function lambdaArguments(written: ArgValueAt | undefined): CallArgs | undefined {
  const keyword = new Map<string, ArgValueAt>();
  if (!written) return { positional: [], keyword };
  if (written.value.t !== 'dict' || written.value.open) return undefined;
  for (const [name, value] of written.value.entries) keyword.set(name, { value, span: written.span });
  return { positional: [], keyword };
}

/**
 * Functions that read a tensor's shape (`tf.shape`, `keras.ops.shape`, `K.int_shape`, `tf.rank`) or compute
 * from it (`imagenet_utils.correct_pad`): what they return sizes other tensors and is no layer's input.
 */
const SHAPE_FUNCTIONS = new Set(['shape', 'int_shape', 'rank', 'ndim', 'size', 'shape_list', 'correct_pad']);

/**
 * `K.int_shape(x)` and Keras 3 `keras.ops.shape(x)` of a symbolic tensor: its static shape, as `x.shape` reads it.
 * `tf.shape(x)` is a tensor computed at run time, read as unknown like the other shape functions.
 */
function staticShapeCall(rt: Runtime, callee: string, name: string, args: CallArgs): PyValue {
  const tensor = args.positional[0]?.value;
  const isStatic = name === 'int_shape' || (name === 'shape' && callee.includes('.ops.'));
  return isStatic && tensor?.t === 'tensor' ? tensorShape(rt.book, tensor.node) : UNKNOWN;
}

/**
 * `keras.initializers.get('he_normal')`, `activations.get(activation)` (a custom layer's `__init__`): the object
 * the identifier names (keras/src/initializers/__init__.py and keras/src/activations/__init__.py, `get(identifier)`).
 * An initializer is read from its identifier as a layer reads it; an activation is the function a custom layer's
 * `call` then applies (`self.activation(ops.matmul(x, self.w))`), `linear` for None.
 */
function lookedUp(callee: string, module: string, identifier: PyValue): PyValue {
  if (module !== 'activations') return identifier;
  const functions = callee.slice(0, -'get'.length);
  if (identifier.t === 'str') return { t: 'ref', path: functions + identifier.v };
  return identifier.t === 'none' ? { t: 'ref', path: `${functions}linear` } : identifier;
}

/** `initializers` or `activations` when `callee` is that Keras module's `get`, else undefined. */
function identifierModule(callee: string): string | undefined {
  const end = callee.length - '.get'.length;
  const dot = callee.lastIndexOf('.', end - 1);
  const module = dot > 0 ? callee.slice(dot + 1, end) : '';
  return IDENTIFIER_MODULES.has(module) && LIBRARY_ROOTS.has(callee.slice(0, callee.indexOf('.'))) ? module : undefined;
}

const IDENTIFIER_MODULES = new Set(['initializers', 'activations']);

/** A class of Keras or TensorFlow. A CapWords name imported from elsewhere may be a function applied to tensors. */
function isLibraryClass(path: string, name: string): boolean {
  const first = name.charCodeAt(0);
  const dot = path.indexOf('.');
  return first >= 65 && first <= 90 && dot > 0 && LIBRARY_ROOTS.has(path.slice(0, dot));
}

const LIBRARY_ROOTS = new Set(['keras', 'tensorflow', 'tf_keras', 'keras_core']);

/**
 * `keras.Model(inputs, outputs)`, also through a subclass that only overrides training (`class
 * CustomModel(keras.Model): def train_step(…)` built as `CustomModel(inputs, outputs)`); undefined when the
 * arguments hold no output tensors.
 */
export function functionalModel(rt: Runtime, site: CallSite, args: CallArgs, node: SyntaxNode): PyValue | undefined {
  const outputs = tensorNodes(modelArgument(args, 'outputs'));
  if (!outputs.length) return undefined;
  const inputs = tensorNodes(modelArgument(args, 'inputs'));
  const context = rt.modelContext(node);
  const name = context.name ?? stringArgument(args, 'name') ?? `Model@${rt.source.lineOf(context.span.start)}`;
  return { t: 'functional', build: rt.book.newFunctional(name, context.name !== undefined, context.span, site.span, 'functional', inputs, outputs) };
}

/**
 * The tensors `keras.Model(inputs, outputs)` is handed, by keyword or position. Keras 2.0–2.2 still took Keras 1's
 * `Model(input=…, output=…)` and renamed them (keras-team/keras keras/legacy/interfaces.py,
 * `legacy_model_constructor_support`): the code that used them builds the same graph.
 */
export function modelArgument(args: CallArgs, role: keyof typeof KERAS1_MODEL_KEYWORDS): PyValue {
  const written = args.keyword.get(role) ?? args.keyword.get(KERAS1_MODEL_KEYWORDS[role]) ?? args.positional[role === 'inputs' ? 0 : 1];
  return written?.value ?? UNKNOWN;
}

const KERAS1_MODEL_KEYWORDS = { inputs: 'input', outputs: 'output' } as const;

/**
 * Keras 1's functional `merge(tensors, mode='sum', concat_axis=-1)`, kept by Keras 2.0–2.1 (keras-team/keras
 * keras/legacy/layers.py, `def merge(inputs, mode='sum', concat_axis=-1, dot_axes=-1, …)`), read as the merge
 * layer its mode names: `merge([u, v], mode='concat')` is `concatenate([u, v])`, as wide as both together.
 * Undefined for a `merge` of no Keras module, or a mode that is a function (a Lambda by another name).
 */
function keras1Merge(site: CallSite): CallSite | undefined {
  const dot = site.callee.lastIndexOf('.');
  if (dot < 0 || !LIBRARY_ROOTS.has(site.callee.slice(0, site.callee.indexOf('.')))) return undefined;
  const [tensors, modeArg, axisArg] = site.positional;
  const written = site.keyword.mode ?? modeArg;
  const mode = written ? (written.value.kind === 'string' ? written.value.value : undefined) : 'sum';
  const layer = mode !== undefined && Object.hasOwn(KERAS1_MERGE_LAYERS, mode) ? KERAS1_MERGE_LAYERS[mode] : undefined;
  if (!layer || !tensors) return undefined;
  const keyword: Record<string, Arg> = {};
  const axis = site.keyword.concat_axis ?? axisArg;
  if (layer === 'concatenate' && axis) keyword.axis = axis;
  if (site.keyword.name) keyword.name = site.keyword.name;
  return { ...site, callee: `${site.callee.slice(0, dot + 1)}${layer}`, positional: [tensors], keyword };
}

const KERAS1_MERGE_LAYERS: Record<string, string> = {
  sum: 'add', concat: 'concatenate', mul: 'multiply', ave: 'average', max: 'maximum', dot: 'dot', cos: 'dot',
};

function sequential(rt: Runtime, site: CallSite, args: CallArgs, node: SyntaxNode): PyValue {
  const context = rt.modelContext(node);
  const name = context.name ?? stringArgument(args, 'name') ?? `Sequential@${rt.source.lineOf(context.span.start)}`;
  const build = rt.book.newSequential(name, context.name !== undefined, context.span, site.span);
  const layers = args.keyword.get('layers') ?? args.positional[0];
  if (layers) rt.book.addToSequential(build, layers.value, undefined);
  rt.book.builds.settleSequential(build, undefined);
  return { t: 'sequential', build };
}

function stringArgument(args: CallArgs, name: string): string | undefined {
  const value = args.keyword.get(name)?.value;
  return value?.t === 'str' ? value.v : undefined;
}
