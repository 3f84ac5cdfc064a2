/**
 * `x.shape` of a tensor the file builds, as Keras knows it while the model is built (a tuple with `None` for the
 * batch and for any size not fixed): the core's shape inference run on the layers the tensor depends on. Modern
 * Keras blocks branch on it — keras.io ddim/ddpm `if x.shape[3] == width: residual = x else: Conv2D(width, 1)`,
 * the GRN's `if inputs.shape[-1] != self.units: inputs = self.project(inputs)` — and size layers by it
 * (`Conv1D(filters=inputs.shape[-1], …)`). Read only when code asks for a shape, never per layer applied, and
 * from the shapes already read: a block that asks at its start reads only the layers since the last block.
 */
import { interpretModel } from '../../core/interpret';
import { MODEL_INPUT, modelInput, type Arg, type RawLayer, type Span } from '../../core/ir';
import { shapeOf } from '../../core/args';
import type { ResolveContext } from '../../core/resolve';
import type { ModelBook } from './models';
import { NONE, UNKNOWN, type PyValue } from './values';

/** Shapes do not depend on the Keras version's initializer facts: Keras 3's reading. */
const SHAPE_CONTEXT: ResolveContext = { framework: 'keras', assumptions: { kerasCorrectsTruncation: true }, kerasMajor: 3 };

/** The shapes (without the batch) already read, per book and node: a node never changes once applied. */
const shapesRead = new WeakMap<ModelBook, Map<number, number[] | undefined>>();

/** `x.shape` of graph node `id`: a tuple `(None, d1, …)`, each size a number where it is known; unknown if the rank is. */
export function tensorShape(book: ModelBook, id: number): PyValue {
  let read = shapesRead.get(book);
  if (!read) shapesRead.set(book, (read = new Map()));
  if (!read.has(id)) read.set(id, inferredShape(book, id, read));
  const dimensions = read.get(id);
  if (!dimensions) return UNKNOWN;
  return { t: 'list', items: [NONE, ...dimensions.map((size): PyValue => (Number.isFinite(size) ? { t: 'num', v: size } : UNKNOWN))] };
}

/**
 * The shape the core infers for node `id` from the layers it depends on, back to the model inputs or to nodes
 * whose shape was read before (each then an input of that shape).
 */
function inferredShape(book: ModelBook, id: number, read: Map<number, number[] | undefined>): number[] | undefined {
  const node = book.graph[id];
  if (!node?.site) return node && shapeOf(node.inputShape);
  const site = node.site;
  const { inner, frontier } = walkBack(book, id, read);
  const index = new Map<number, number>();
  const layers: RawLayer[] = [];
  for (const ancestor of inner) {
    const { site: layerSite, inputs } = book.graph[ancestor];
    index.set(ancestor, layers.length);
    const wired = inputs.map((input) => index.get(input) ?? modelInput(Math.max(0, frontier.indexOf(input))));
    layers.push({ call: layerSite!, inputs: wired.every((input) => input === MODEL_INPUT) ? [] : wired });
  }
  const inputShapes = frontier.map((input) => frontierShape(book, input, read, site.span));
  try {
    const model = interpretModel({
      name: 'shape', style: 'functional', span: site.span, layers,
      ...(inputShapes[0] ? { inputShape: inputShapes[0] } : {}),
      ...(inputShapes.length > 1 ? { inputShapes } : {}),
    }, SHAPE_CONTEXT);
    // Folding activation layers into the layer before keeps the last layer's output shape: the node's.
    return model.layers[model.layers.length - 1]?.outputShape;
  } catch {
    // A shape the core cannot follow stays unknown: the branch is read as written.
    return undefined;
  }
}

/** The layers between node `id` and the frontier (model inputs, or nodes whose shape is known), in application order. */
function walkBack(book: ModelBook, id: number, read: Map<number, number[] | undefined>): { inner: number[]; frontier: number[] } {
  const seen = new Set<number>();
  const inner: number[] = [];
  const frontier: number[] = [];
  const stack = [id];
  while (stack.length) {
    const at = stack.pop()!;
    const node = book.graph[at];
    if (seen.has(at) || !node) continue;
    seen.add(at);
    if (!node.site || (at !== id && read.get(at))) {
      frontier.push(at);
      continue;
    }
    inner.push(at);
    for (const input of node.inputs) stack.push(input);
  }
  const ascending = (a: number, b: number) => a - b;
  return { inner: inner.sort(ascending), frontier: frontier.sort(ascending) };
}

/** A frontier node's shape as an `Input(shape=…)` argument would write it. */
function frontierShape(book: ModelBook, id: number, read: Map<number, number[] | undefined>, span: Span): Arg | undefined {
  const node = book.graph[id];
  if (!node.site) return node.inputShape;
  const dimensions = read.get(id)!;
  return { span, value: { kind: 'array', items: dimensions.map((size) => ({ span, value: Number.isFinite(size) ? { kind: 'number', value: size } : { kind: 'unknown' } })) } };
}
