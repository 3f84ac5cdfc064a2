/**
 * Models as the evaluator builds them, and their conversion to the IR: a sequential model is its list
 * of added layers; a functional model is the graph of layer applications between `tf.input` and the
 * `outputs` of `tf.model`, of which only the part that reaches the outputs is reported.
 */
import { MODEL_INPUT, modelInput, type Arg, type RawLayer, type RawModel, type Span } from '../../core/ir';
import type { LayerValue, LoopMark, Value } from './values';

/** A symbolic tensor: a model input, or the output of one application of a layer. */
export type TensorNode =
  | { kind: 'input'; shape?: Arg; shapeValue?: Value }
  | { kind: 'applied'; application: Application };

export interface Application {
  layer: LayerValue;
  inputs: TensorNode[];
  /** Global application counter: the order layers are reported in. */
  order: number;
  mark?: LoopMark;
  /** RNN initial states: what made them is part of the model, but they are not inputs moments flow through. */
  states?: TensorNode[];
  /** Whether its inputs lead back to a `tf.input`: a graph being built, not a model run on data. */
  grounded: boolean;
  /** The first application of a named model applied as a block (a GAN's discriminator on the generator's output). */
  entersModel?: string;
}

/** A layer added to a sequential model, with the loop iteration that added (or made) it. */
export interface LayerUse {
  layer: LayerValue;
  mark?: LoopMark;
  /**
   * A layer of a functional block added to the model (a residual block): how many places back each of its
   * inputs sits (1 is the layer before it; past the first layer, the model's input). Unset: the layer before.
   */
  inputsBack?: number[];
  /** The first layer of a named model added as a block (`combined.add(generator)`): that model's name. */
  entersModel?: string;
}

export interface ModelBuilder {
  style: 'sequential' | 'functional';
  /** Its index among the file's models: tells the journal whether it existed before an alternative began. */
  serial: number;
  /** Set by the variable or property the model is first assigned to. */
  name?: string;
  span?: Span;
  /** The enclosing function's name and span (or `sequential@line` and the call's span) when no variable names it. */
  fallbackName: string;
  fallbackSpan: Span;
  layers: LayerUse[];
  /** A sequential model's input shape when a functional block added first brings it (its `tf.input` shape). */
  inputShape?: Arg;
  inputs: TensorNode[];
  outputs: TensorNode[];
  /** Copies of this model made by alternatives not kept (journal.ts `forkModels`): layers added later go to them too. */
  forks?: ModelBuilder[];
  /** A fork: the model it copies, and which alternative (1-based) it follows. */
  forkOf?: ModelBuilder;
  alternative?: number;
}

export function toRawModel(builder: ModelBuilder): RawModel {
  // A fork is named and placed by the model it copies, whose name may have come after the branch.
  const named = builder.forkOf ?? builder;
  const name = `${named.name ?? named.fallbackName}${builder.forkOf ? ` (alternative ${builder.alternative})` : ''}`;
  const span = named.span ?? named.fallbackSpan;
  if (builder.style === 'sequential') {
    const layers = builder.layers.map((use, index): RawLayer => withRepeat(withEntry({ call: use.layer.call, inputs: sequentialInputs(use, index) }, use.entersModel), use.mark));
    return { name, style: 'sequential', span, layers, ...(builder.inputShape ? { inputShape: builder.inputShape } : {}) };
  }
  const { layers, inputShape, inputShapes } = functionalLayers(builder);
  return { name, style: 'functional', span, layers, ...(inputShape ? { inputShape } : {}), ...(inputShapes ? { inputShapes } : {}) };
}

function sequentialInputs(use: LayerUse, index: number): number[] {
  if (!use.inputsBack) return index === 0 ? [] : [index - 1];
  const inputs = use.inputsBack.map((back) => (index - back >= 0 ? index - back : modelInput(0)));
  // A layer fed by the model's input only lists nothing, as a functional model's does.
  return inputs.every((input) => input === MODEL_INPUT) ? [] : inputs;
}

/** A named sub-model's first layer says so (`RawLayer.entersModel`): the core judges each part as the model it is. */
function withEntry(layer: RawLayer, entersModel: string | undefined): RawLayer {
  if (entersModel !== undefined) layer.entersModel = entersModel;
  return layer;
}

function withRepeat(layer: RawLayer, mark: LoopMark | undefined): RawLayer {
  const count = mark?.frame.count;
  if (mark && count !== undefined) layer.repeat = { iteration: mark.iteration, count };
  return layer;
}

/** The applications the outputs depend on, in application order, with their producers as indices. */
function functionalLayers(builder: ModelBuilder): { layers: RawLayer[]; inputShape?: Arg; inputShapes?: (Arg | undefined)[] } {
  const reached = new Set<Application>();
  // The declared inputs in their order (`tf.model({inputs: [a, b], …})`), then any other the walk reaches.
  const modelInputs: TensorNode[] = builder.inputs.filter((node) => node.kind === 'input');
  // The declared inputs' shape first; else the first input the walk from the outputs reaches.
  let inputShape: Arg | undefined;
  for (const node of builder.inputs) inputShape ??= node.kind === 'input' ? node.shape : undefined;
  // Iterative walk: a model of thousands of chained layers must not overflow the stack.
  const pending: TensorNode[] = [...builder.outputs];
  const reachedInputs: TensorNode[] = [];
  while (pending.length > 0) {
    const node = pending.pop() as TensorNode;
    if (node.kind === 'input') {
      inputShape ??= node.shape;
      if (!reachedInputs.includes(node)) reachedInputs.push(node);
      continue;
    }
    if (reached.has(node.application)) continue;
    reached.add(node.application);
    pending.push(...node.application.inputs, ...(node.application.states ?? []));
  }
  const ordered = [...reached].sort((a, b) => a.order - b.order);
  const indexOf = new Map(ordered.map((application, index) => [application, index]));
  // Undeclared inputs in the order the model applies them.
  for (const application of ordered) {
    for (const input of application.inputs) if (input.kind === 'input' && reachedInputs.includes(input) && !modelInputs.includes(input)) modelInputs.push(input);
  }
  const layers = ordered.map((application): RawLayer => {
    const inputs: number[] = [];
    for (const input of application.inputs) {
      // A model input among other inputs (`add().apply([input, h])`) is modelInput(k): the Add sums its moment too.
      const index = input.kind === 'applied' ? indexOf.get(input.application) : modelInput(Math.max(0, modelInputs.indexOf(input)));
      if (index !== undefined && !inputs.includes(index)) inputs.push(index);
    }
    // A layer fed by model inputs only lists nothing.
    return withRepeat(withEntry({ call: application.layer.call, inputs: inputs.every((input) => input === MODEL_INPUT) ? [] : inputs }, application.entersModel), application.mark);
  });
  if (modelInputs.length < 2) return { layers, inputShape };
  return { layers, inputShape, inputShapes: modelInputs.map((node) => (node.kind === 'input' ? node.shape : undefined)) };
}

/** The applications a graph's outputs depend on, in the order they were made (iterative: graphs may be deep). */
export function reachedApplications(outputs: TensorNode[]): Application[] {
  const reached = new Set<Application>();
  const pending = [...outputs];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.kind === 'input' || reached.has(node.application)) continue;
    reached.add(node.application);
    pending.push(...node.application.inputs, ...(node.application.states ?? []));
  }
  return [...reached].sort((a, b) => a.order - b.order);
}

/**
 * A block's layers as a sequential model takes them (a functional model in `tf.sequential({layers: [block(64),
 * …]})`, a custom layer's `call`): in order, each with where its inputs sit when the block is not one chain (a
 * residual Add of `input` and the last layer). Undefined when the block has not one output made by its last
 * layer, reads a tensor other than `input` from outside, or holds RNN states.
 */
export function blockUses(outputs: TensorNode[], input: TensorNode | undefined): LayerUse[] | undefined {
  const applications = reachedApplications(outputs);
  const [output] = outputs;
  if (outputs.length !== 1 || output.kind !== 'applied' || output.application !== applications[applications.length - 1]) return undefined;
  const position = new Map(applications.map((application, index) => [application, index]));
  const uses: LayerUse[] = [];
  for (const [index, application] of applications.entries()) {
    if (application.states) return undefined;
    const inputsBack: number[] = [];
    for (const node of application.inputs) {
      const from = node.kind === 'applied' ? position.get(node.application) : node === input ? -1 : undefined;
      if (from === undefined) return undefined;
      inputsBack.push(index - from);
    }
    // A layer applied to what the evaluator does not know (`tf.matMul(unknown, w)`) is taken as fed by the one before.
    const chained = inputsBack.length === 0 || (inputsBack.length === 1 && inputsBack[0] === 1);
    uses.push(chained ? { layer: application.layer, mark: application.mark } : { layer: application.layer, mark: application.mark, inputsBack });
  }
  return uses;
}
