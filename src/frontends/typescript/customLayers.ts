/**
 * Classes of the file that extend tfjs's own: `class Policy extends tf.Sequential` (layers added in its
 * constructor), `class Net extends tf.LayersModel` (`super({inputs, outputs})`), and custom layers
 * `class Linear extends tf.layers.Layer` whose `build` makes weights with `this.addWeight(name, shape, dtype,
 * initializer)` and whose `call` applies them (`tf.matMul(x, this.kernel.read())`): each such use is a
 * kernel layer of the weight's shape and initializer (tfjs-layers engine/topology.ts `Layer.addWeight`:
 * the initializer is required, `initializer.apply(shape, dtype)`).
 */
import type * as ts from 'typescript';
import { layerFacts, WEIGHTLESS_CLASSES } from '../../core/catalogue/layers';
import type { Arg, CallSite } from '../../core/ir';
import { buildCallSite, type ArgSlot } from './callSites';
import { blockUses, type LayerUse, type TensorNode } from './models';
import type { Evaluator } from './state';
import { rebound, UNKNOWN, type ClassValue, type Closure, type LayerValue, type ObjectValue, type Value } from './values';

export type TfjsBase = 'sequential' | 'model' | 'layer';

/** What a class's `extends` clause names, by its resolved path's last segments. */
export function tfjsBaseOf(path: string): TfjsBase | undefined {
  if (/(^|\.)(Sequential)$/.test(path)) return 'sequential';
  if (/(^|\.)(LayersModel)$/.test(path)) return 'model';
  if (/(^|\.)layers\.Layer$/.test(path) || path === '@tensorflow/tfjs-layers.Layer') return 'layer';
  return undefined;
}

/** The callee a weight's call site gets: the core reads it as a dense kernel (catalogue/layers.ts `addweight`). */
export const WEIGHT_CALLEE = 'addWeight';

/** tfjs functions applying a weight to a tensor as a dense kernel. */
const KERNEL_FUNCTIONS = new Set(['matMul', 'dot']);

/** `this.addWeight('kernel', [inputDim, units], 'float32', initializer)`: a weight of the custom layer. */
export function makeWeight(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, args: ArgSlot[]): Value {
  return { kind: 'call', call: buildCallSite(ev, node, WEIGHT_CALLEE, args) };
}

export function isWeight(value: Value): value is Extract<Value, { kind: 'call' }> {
  return value.kind === 'call' && value.call.callee === WEIGHT_CALLEE;
}

/**
 * `tf.matMul(x, w)` where `w` is a weight of a custom layer: the kernel layer, and what it is applied to (`x`).
 * Undefined for any other call.
 */
export function weightKernel(ev: Evaluator, functionName: string, args: ArgSlot[]): { layer: LayerValue; input: ArgSlot } | undefined {
  if (!KERNEL_FUNCTIONS.has(functionName)) return undefined;
  const weight = args.map((arg) => arg.value).find(isWeight);
  if (!weight || !ev.state.countLayer(weight.call.span)) return undefined;
  const input = args.find((arg) => arg.value.kind === 'tensor') ?? { value: UNKNOWN, span: weight.call.span };
  return { layer: { kind: 'layer', call: kernelSite(weight.call), mark: ev.state.currentMark() }, input };
}

/** The weight read as a Dense: units from the shape's last entry, the initializer given to addWeight. */
function kernelSite(weight: CallSite): CallSite {
  // addWeight(name, shape, dtype?, initializer?, …): positional, since tfjs takes no config object here.
  const [, shape, , initializer] = weight.positional;
  const items = shape?.value.kind === 'array' ? shape.value.items : [];
  const keyword: Record<string, Arg> = { useBias: { span: weight.span, value: { kind: 'boolean', value: false } } };
  if (items.length) keyword.units = items[items.length - 1];
  if (initializer) keyword.kernelInitializer = initializer;
  return { ...weight, positional: [], keyword, insertAt: { offset: -1, prefix: '', suffix: '' } };
}

/**
 * `new Expert(32)` of a custom layer class: a layer of its own, not the instance the class's methods share (an
 * expert of 32 units and a gate of 4 are two layers, each with the fields its constructor set). The class's
 * methods are bound to it; the constructor to run on it with the arguments of this `new`.
 */
export function ownLayerInstance(classValue: ClassValue): { instance: ObjectValue; construct?: Closure } {
  const shared = classValue.instance;
  const instance: ObjectValue = { kind: 'object', props: new Map(), complete: shared.complete, base: shared.base };
  for (const [key, slot] of shared.props) instance.props.set(key, rebound(slot, shared, instance));
  const construct = classValue.construct && { ...classValue.construct, thisValue: instance };
  return { instance, construct };
}

/**
 * A custom layer object applied to `input` (a tensor, or a stand-in input when it is added to a Sequential):
 * its `build`, then its `call`; what `call` returns.
 */
export function runCustomLayer(ev: Evaluator, layer: ObjectValue, input: Value): Value {
  const method = (name: string) => {
    const value = layer.props.get(name)?.value;
    return value?.kind === 'function' ? value.closure : undefined;
  };
  const build = method('build');
  if (build) ev.invoke(build, [inputShapeOf(input)]);
  const call = method('call');
  return call ? ev.invoke(call, [input, UNKNOWN]) : UNKNOWN;
}

/** A layer class name the core reads as no layer it knows (catalogue/layers.ts), so chains end at it. */
const OPAQUE_CALLEE = 'CustomLayer';

/**
 * A custom layer whose `call` InitLint cannot follow (tfjs-core ops on its inputs: `tf.sum(tf.stack(…))`), applied
 * to a symbolic tensor: a layer whose inside is unknown, named by its class. The core ends chains at it, as at a
 * Keras custom layer; without it, the layers after it would read as fed by the model input, and those before it
 * as part of no model. A class named like a layer the core knows (`Softmax`, `Add`) is not that layer.
 */
export function opaqueLayerSite(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, className: string | undefined): CallSite {
  const known = className === undefined || layerFacts(className) !== layerFacts(OPAQUE_CALLEE) || WEIGHTLESS_CLASSES.has(className.toLowerCase());
  return buildCallSite(ev, node, known ? OPAQUE_CALLEE : className, []);
}

/** Whether a custom layer's `call` gave something the model can go on from: a tensor, or a list holding one. */
export function isReadOutput(output: Value): boolean {
  return output.kind === 'tensor' || (output.kind === 'array' && output.items.some((item) => item.value.kind === 'tensor'));
}

/**
 * What tfjs hands `build`: the input's shape with its batch dimension (`[null, 10, 64]`), a list of them for a
 * list of inputs. Known for a model input whose shape is written; unknown past a layer.
 */
function inputShapeOf(input: Value): Value {
  if (input.kind === 'tensor') {
    const { node } = input;
    const shape = node.kind === 'input' ? node.shapeValue : undefined;
    if (shape?.kind !== 'array') return UNKNOWN;
    const span = shape.items[0]?.span ?? { start: 0, end: 0 };
    return { kind: 'array', items: [{ value: { kind: 'null' }, span }, ...shape.items] };
  }
  if (input.kind !== 'array') return UNKNOWN;
  const shapes = input.items.map((item) => ({ value: inputShapeOf(item.value), span: item.span }));
  return shapes.every((shape) => shape.value.kind === 'array') ? { kind: 'array', items: shapes } : UNKNOWN;
}

/**
 * The layers a custom layer applies when run on a stand-in input (to be added to a Sequential), in order, a
 * residual Add of its input wired as such (models.ts `blockUses`); none when its `call` makes no such block; the
 * layer itself, opaque, when its `call` gives nothing that can be read.
 */
export function customLayerUses(ev: Evaluator, layer: ObjectValue): LayerUse[] {
  const input: TensorNode = { kind: 'input' };
  const output = runCustomLayer(ev, layer, { kind: 'tensor', node: input });
  if (output.kind === 'tensor') return blockUses([output.node], input) ?? [];
  // A `call` that cannot be read (`tf.sin(x)`): the layer itself, opaque, so no chain runs through it.
  return layer.opaqueSite && !isReadOutput(output) ? [{ layer: { kind: 'layer', call: layer.opaqueSite, mark: ev.state.currentMark() } }] : [];
}
