/**
 * Custom Keras layers that make their own weights: `self.w = self.add_weight(shape=(input_shape[-1],
 * self.units), initializer="random_normal")` in `build` (or `__init__`), used in `call` as
 * `ops.matmul(inputs, self.w)`, `tf.matmul`, `inputs @ self.w`, or `tf.nn.conv2d(inputs, self.kernel, …)`.
 * Each such use is a kernel layer: a Dense of the weight's last dimension, or a convolution of its kernel
 * shape, with the initializer `add_weight` was given (Keras 3 keras/src/layers/layer.py `add_weight(shape,
 * initializer, …)`: glorot_uniform for float weights when none is given, as the core's kernel default).
 */
import type { Arg, CallSite, Span } from '../../core/ir';
import type { Runtime } from './runtime';
import type { CallArgs, PyValue } from './values';

/** Layer methods that make a weight: Keras `add_weight`, and its TF1-era alias. */
export const WEIGHT_METHODS = new Set(['add_weight', 'add_variable']);

/** The callee the front end gives a weight's call site: the core reads it as a Dense kernel (catalogue/layers.ts). */
export const WEIGHT_CALLEE = 'add_weight';

/** Functions that apply a weight to a tensor: as a dense kernel, or as a convolution kernel of shape [k…, in, out]. */
const KERNEL_FUNCTIONS: Record<string, 'dense' | 'conv'> = {
  matmul: 'dense', dot: 'dense', tensordot: 'dense', einsum: 'dense',
  conv1d: 'conv', conv2d: 'conv', conv3d: 'conv', conv: 'conv', convolution: 'conv',
};

/** Where no argument can be inserted: `kernel_initializer=` is not an `add_weight` argument. */
const NO_INSERTION = { offset: -1, prefix: '', suffix: '' };

/** The kernel layers made of each weight, by what applied them: one CallSite per weight and use, shared by its copies. */
const kernelSites = new WeakMap<CallSite, Map<string, CallSite>>();

/**
 * `function(x, weight)` or `x @ weight` where the weight was made by `add_weight`: the kernel layer applied to
 * the tensor; undefined for anything else (a matmul of two tensors, attention, is no kernel).
 */
export function applyWeight(rt: Runtime, functionName: string, args: CallArgs, at: Span): PyValue | undefined {
  // Own keys only: `ops.constructor(x, self.w)` must not find Object's constructor.
  const use = Object.hasOwn(KERNEL_FUNCTIONS, functionName) ? KERNEL_FUNCTIONS[functionName] : undefined;
  if (!use) return undefined;
  const values = args.positional.map((arg) => arg.value);
  const tensor = values.find((value) => value.t === 'tensor');
  const weight = values.find((value): value is Extract<PyValue, { t: 'call' }> => value.t === 'call' && value.site.callee === WEIGHT_CALLEE);
  if (tensor?.t !== 'tensor' || !weight) return undefined;
  const site = kernelSite(weight.site, use, args, at);
  if (!site) return undefined;
  return { t: 'tensor', node: rt.book.apply(site, [tensor.node], true, rt.loopRepeat()) };
}

function kernelSite(weight: CallSite, use: 'dense' | 'conv', args: CallArgs, at: Span): CallSite | undefined {
  const shape = shapeArgument(weight);
  const items = shape?.value.kind === 'array' ? shape.value.items : undefined;
  const rank = items ? items.length - 2 : -1;
  if (use === 'conv' && (rank < 1 || rank > 3)) return undefined;
  const key = use === 'conv' ? `conv${rank}d` : 'dense';
  let byUse = kernelSites.get(weight);
  const known = byUse?.get(key);
  if (known) return known;
  const keyword: CallSite['keyword'] = { use_bias: { span: weight.span, value: { kind: 'boolean', value: false } } };
  const last = items?.[items.length - 1];
  if (last) keyword[use === 'conv' ? 'filters' : 'units'] = last;
  if (use === 'conv' && items) keyword.kernel_size = { span: shape!.span, value: { kind: 'array', items: items.slice(0, rank) } };
  const initializer = initializerArgument(weight);
  if (initializer) keyword.kernel_initializer = initializer;
  if (use === 'conv') copyConvolutionArguments(args, keyword, at);
  const site: CallSite = {
    callee: use === 'conv' ? `${WEIGHT_CALLEE}.${key}` : WEIGHT_CALLEE,
    calleeSpan: weight.calleeSpan,
    span: weight.span,
    positional: [],
    keyword,
    insertAt: NO_INSERTION,
  };
  if (!byUse) kernelSites.set(weight, (byUse = new Map()));
  byUse.set(key, site);
  return site;
}

/** `shape=` or the first positional tuple (Keras 3 takes the shape first; tf.keras 2 a name first). */
function shapeArgument(weight: CallSite): Arg | undefined {
  return weight.keyword.shape ?? weight.positional.find((arg) => arg.value.kind === 'array');
}

/** `initializer=`, or Keras 3's second positional argument after a positional shape. */
function initializerArgument(weight: CallSite): Arg | undefined {
  if (weight.keyword.initializer) return weight.keyword.initializer;
  return weight.positional[0]?.value.kind === 'array' ? weight.positional[1] : undefined;
}

/** `strides=` and `padding=` of `tf.nn.conv2d(x, w, strides=2, padding='SAME')`, in the layer's lowercase spelling. */
function copyConvolutionArguments(args: CallArgs, keyword: CallSite['keyword'], at: Span): void {
  const strides = args.keyword.get('strides')?.value;
  if (strides?.t === 'num') keyword.strides = { span: at, value: { kind: 'number', value: strides.v } };
  const padding = args.keyword.get('padding')?.value;
  if (padding?.t === 'str') keyword.padding = { span: at, value: { kind: 'string', value: padding.v.toLowerCase() } };
}
