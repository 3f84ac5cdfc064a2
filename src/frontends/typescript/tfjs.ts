/**
 * What tfjs calls do to the evaluator's values: `tf.layers.x(config)` makes a layer, `tf.sequential`
 * and `model.add` build a layer list, `tf.input`, `layer.apply` and `tf.model` build a graph.
 */
import type * as ts from 'typescript';
import { buildCallSite, type ArgSlot } from './callSites';
import { customLayerUses } from './customLayers';
import { blockUses, reachedApplications, type Application, type ModelBuilder, type TensorNode } from './models';
import type { Evaluator } from './state';
import { toArg, UNDEFINED, UNKNOWN, type LayerValue, type ObjectValue, type Value } from './values';

type CallNode = ts.CallExpression | ts.NewExpression;

export function makeLayer(ev: Evaluator, node: CallNode, callee: string, args: ArgSlot[]): LayerValue | Value {
  if (!ev.state.countLayerAt(ev, node)) return UNKNOWN;
  return { kind: 'layer', call: buildCallSite(ev, node, callee, args), mark: ev.state.currentMark() };
}

export function makeSequential(ev: Evaluator, node: CallNode, args: ArgSlot[]): Value {
  const model = newModel(ev, node, 'sequential');
  const layers = configOf(args)?.props.get('layers')?.value;
  if (layers?.kind === 'array') for (const item of layers.items) addToSequential(ev, model, item.value);
  return { kind: 'model', model };
}

/** `tf.model({inputs, outputs})`: the graph is read back from the output tensors when the model is reported. */
export function makeFunctional(ev: Evaluator, node: CallNode, args: ArgSlot[]): Value {
  const model = newModel(ev, node, 'functional');
  const config = configOf(args);
  model.inputs = tensorsIn(config?.props.get('inputs')?.value);
  model.outputs = tensorsIn(config?.props.get('outputs')?.value);
  return { kind: 'model', model };
}

/** `tf.input({shape: [784]})`: a model input; its `shape` becomes the model's input shape. */
export function makeInput(args: ArgSlot[]): Value {
  const shape = configOf(args)?.props.get('shape');
  const node: TensorNode = shape ? { kind: 'input', shape: toArg(shape), shapeValue: shape.value } : { kind: 'input' };
  return { kind: 'tensor', node };
}

/** Methods of a model value: `add` appends to a sequential model, `apply` runs it on tensors. */
export function modelMethod(ev: Evaluator, model: ModelBuilder, method: string, args: ArgSlot[]): Value {
  if (method === 'add' && model.style === 'sequential') {
    addToSequential(ev, model, args[0]?.value ?? UNKNOWN);
    return UNDEFINED;
  }
  if (method === 'apply' && model.style === 'sequential') {
    // A sequential model used as a block of a functional one: its layers are applied one after another.
    // A residual block added to it is wired as its layers say (`inputsBack`), the rest one after another.
    const given = tensorsIn(args[0]?.value);
    const produced: TensorNode[] = [];
    model.layers.forEach((use, index) => {
      const from = (back: number): TensorNode[] => (index - back >= 0 ? [produced[index - back]] : given);
      const node = applyLayer(ev, use.layer, use.inputsBack ? use.inputsBack.flatMap(from) : from(1));
      if (index === 0) entering(node, model);
      produced.push(node);
    });
    const outputs = produced.length ? produced.slice(-1) : given;
    return outputs.length === 1 ? { kind: 'tensor', node: outputs[0] } : UNKNOWN;
  }
  if (method === 'apply') return applyFunctional(ev, model, tensorsIn(args[0]?.value));
  return UNKNOWN;
}

/**
 * A functional model used as a block of another (`decoder.apply(encoder.apply(x)[2])`, a GAN's
 * `discriminator.apply(generator.apply(z))`): its graph applied again, layers shared, from the tensors given in
 * place of its inputs. Its outputs, one tensor or a list as it declared them.
 */
function applyFunctional(ev: Evaluator, model: ModelBuilder, inputs: TensorNode[]): Value {
  if (inputs.length === 0 || model.outputs.length === 0) return UNKNOWN;
  const replaced = new Map<TensorNode, TensorNode>();
  model.inputs.forEach((node, index) => { if (inputs[index]) replaced.set(node, inputs[index]); });
  const applications = reachedApplications(model.outputs);
  const rebuilt = new Map<Application, TensorNode>();
  const renewed = (node: TensorNode): TensorNode => (node.kind === 'input' ? replaced.get(node) ?? node : rebuilt.get(node.application) ?? node);
  for (const application of applications) {
    const node = applyLayer(ev, application.layer, application.inputs.map(renewed), application.states?.map(renewed));
    // Fed by the block's inputs: where the block begins.
    if (application.inputs.some((input) => input.kind === 'input' && replaced.has(input))) entering(node, model);
    rebuilt.set(application, node);
  }
  const outputs = model.outputs.map((node): Value => ({ kind: 'tensor', node: renewed(node) }));
  return model.outputs.length === 1 ? outputs[0] : { kind: 'array', items: outputs.map((value) => ({ value, span: model.fallbackSpan })) };
}

/**
 * `layer.apply(x)` / `layer.apply([a, b])`: a new symbolic tensor. An RNN's `{initialState: [h]}` (tfjs-layers
 * `RNN.apply(inputs, kwargs)`) makes the encoder that produced `h` part of the model, but `h` enters through
 * the recurrent kernel, not the input kernel: it is kept apart from the inputs moments flow through. So are
 * the states an RNN is given after its input in one list, `lstm.apply([x, h, c])` (recurrent.ts
 * `standardizeArgs`: `initialState = inputs.slice(1)`).
 */
export function layerMethod(ev: Evaluator, layer: LayerValue, method: string, args: ArgSlot[]): Value {
  if (method !== 'apply') return UNKNOWN;
  const initialState = configOf(args.slice(1))?.props.get('initialState')?.value;
  let inputs = tensorsIn(args[0]?.value);
  let states = tensorsIn(initialState);
  if (args[0]?.value.kind === 'array' && inputs.length > 1 && takesStatesInInputs(layer)) {
    states = [...inputs.slice(1), ...states];
    inputs = inputs.slice(0, 1);
  }
  return { kind: 'tensor', node: applyLayer(ev, layer, inputs, states) };
}

/** tfjs factories whose `apply` reads a list's tail as initial states: the RNNs and their Bidirectional wrapper. */
const STATEFUL_APPLY = new Set(['simplernn', 'gru', 'lstm', 'rnn', 'convlstm2d', 'bidirectional']);

function takesStatesInInputs(layer: LayerValue): boolean {
  const callee = layer.call.callee;
  return STATEFUL_APPLY.has(callee.slice(callee.lastIndexOf('.') + 1).toLowerCase());
}

function applyLayer(ev: Evaluator, layer: LayerValue, inputs: TensorNode[], states: TensorNode[] = []): TensorNode {
  const state = ev.state;
  state.tick();
  const grounded = inputs.some((input) => input.kind === 'input' || input.application.grounded);
  const application: Application = { layer, inputs, order: state.applicationCount++, mark: state.currentMark() ?? layer.mark, grounded };
  // A model run on data (`policy.apply(states)` in a training step) builds nothing a loop should be kept for.
  if (grounded) state.symbolicApplications++;
  if (states.length > 0) application.states = states;
  return { kind: 'applied', application };
}

/**
 * A named model applied or added as a block of another (a GAN's `discriminator.apply(generator.apply(z))`,
 * `combined.add(generator)`): its first layer says so, and the core judges each part as the model it is.
 */
function entering(node: TensorNode, model: ModelBuilder): void {
  if (node.kind === 'applied' && model.name !== undefined) node.application.entersModel = model.name;
}

/** A layer, or every layer of a sequential model, appended with the loop iteration adding it. */
function addToSequential(ev: Evaluator, model: ModelBuilder, value: Value): void {
  const { state } = ev;
  const mark = state.currentMark();
  const layers = model.layers;
  const length = layers.length;
  // A custom layer adds the kernel layers its `call` applies; a Sequential subclass's instance is its model.
  if (value.kind === 'object' && value.base === 'layer') {
    for (const use of customLayerUses(ev, value)) layers.push({ ...use, mark: mark ?? use.mark });
  } else if (value.kind === 'object' && value.model) {
    value = { kind: 'model', model: value.model };
  }
  if (value.kind === 'layer') {
    layers.push({ layer: value, mark: mark ?? value.mark });
  } else if (value.kind === 'model' && value.model !== model) {
    // A loop, not a spread: a nested model may hold more layers than a call can take arguments. A functional
    // block's layers keep where their inputs sit (a residual Add takes the block's input and its last layer).
    const blockInput = value.model.inputs[0];
    const nested = value.model.style === 'sequential' ? [...value.model.layers] : value.model.inputs.length === 1 ? blockUses(value.model.outputs, blockInput) ?? [] : [];
    if (length === 0 && nested.length && blockInput?.kind === 'input' && blockInput.shape) model.inputShape = blockInput.shape;
    const name = value.model.name;
    nested.forEach((use, index) => layers.push(index === 0 && name !== undefined ? { ...use, entersModel: name } : use));
  }
  if (layers.length === length) return;
  state.additionCount++;
  // Straight-line code (no earlier branch forked the model, no alternative being recorded) is done here.
  if (!model.forks && !state.journal.recording) return;
  const added = layers.slice(length);
  // The forks of this model (the other alternatives of an earlier branch) take what is added after it too.
  const forks = model.forks ?? [];
  const forkLengths = forks.map((fork) => fork.layers.length);
  for (const fork of forks) for (const use of added) fork.layers.push(use);
  if (state.journal.recording) {
    // Only the forks that existed now: a later choice forks the model again (`forkModels` pushes onto this same
    // list), and that fork keeps its own layers when this change is taken back or made again.
    const forkCount = forks.length;
    const undo = () => {
      layers.length = length;
      for (let index = 0; index < forkCount; index++) forks[index].layers.length = forkLengths[index];
    };
    state.journal.record(undo, () => {
      undo();
      for (const use of added) layers.push(use);
      for (let index = 0; index < forkCount; index++) for (const use of added) forks[index].layers.push(use);
    }, model.serial);
  }
}

/**
 * The model the instance of a `tf.Sequential` / `tf.LayersModel` subclass is, named by its class: made when the
 * constructor runs, filled by `this.add(…)` and `super({…})`.
 */
export function classModel(ev: Evaluator, classNode: ts.Node, name: string | undefined, base: 'sequential' | 'model'): ModelBuilder {
  return newModel(ev, classNode, base === 'sequential' ? 'sequential' : 'functional', name);
}

/** `super({layers: […]})` of a Sequential subclass, `super({inputs, outputs})` of a LayersModel one. */
export function configureClassModel(ev: Evaluator, model: ModelBuilder, args: ArgSlot[]): void {
  const config = configOf(args);
  if (model.style === 'sequential') {
    const layers = config?.props.get('layers')?.value;
    if (layers?.kind === 'array') for (const item of layers.items) addToSequential(ev, model, item.value);
    return;
  }
  model.inputs = tensorsIn(config?.props.get('inputs')?.value);
  model.outputs = tensorsIn(config?.props.get('outputs')?.value);
}

function newModel(ev: Evaluator, node: ts.Node, style: ModelBuilder['style'], className?: string): ModelBuilder {
  const enclosing = ev.state.functions[ev.state.functions.length - 1];
  const span = ev.span(node);
  // Inside a named function the function names the model; elsewhere its factory and line do; a class's own model, its class.
  const { name = `${style === 'sequential' ? 'sequential' : 'model'}@${lineOf(ev.sourceFile.text, span.start)}`, span: declaration = span } = className ? { name: className, span } : enclosing?.name ? enclosing : {};
  const model: ModelBuilder = {
    style,
    serial: ev.state.models.length,
    fallbackName: name,
    fallbackSpan: declaration,
    layers: [],
    inputs: [],
    outputs: [],
  };
  ev.state.models.push(model);
  return model;
}

/**
 * The 1-based line of `offset`, counting the line breaks before it as TypeScript does (LF, CR, CRLF, U+2028,
 * U+2029): asking the source file would compute the start of every line of the file (a scan of all of it, and
 * an array as long) for the one model it names.
 */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = 0; at < offset; at++) {
    const code = text.charCodeAt(at);
    if (code === 10 || code === 0x2028 || code === 0x2029 || (code === 13 && text.charCodeAt(at + 1) !== 10)) line++;
  }
  return line;
}

function configOf(args: ArgSlot[]): ObjectValue | undefined {
  const first = args[0]?.value;
  return first?.kind === 'object' ? first : undefined;
}

/** The symbolic tensors in a value: a tensor, or (nested) arrays of them. */
function tensorsIn(value: Value | undefined): TensorNode[] {
  if (!value) return [];
  if (value.kind === 'tensor') return [value.node];
  if (value.kind === 'array') return value.items.flatMap((item) => tensorsIn(item.value));
  return [];
}
