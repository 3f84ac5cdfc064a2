/**
 * Calls: a method of a value the evaluator models (model, layer, array), a function of the file
 * (inlined), or a name from outside the file, resolved through the imports to a path that says what
 * it is — a tfjs layer or model factory, a builtin, or an opaque call reported as written.
 */
import type * as ts from 'typescript';
import type { Span } from '../../core/ir';
import { arrayGlobal, arrayMethod } from './arrays';
import { memberPath } from '../paths';
import { buildCallSite, calleeKind, unwrap, type ArgSlot } from './callSites';
import { isRelativeSpecifier, REQUIRE_TABLE } from './commonJs';
import { moduleName } from './imports';
import { globalCall } from './operators';
import type { Evaluator } from './state';
import { isReadOutput, isWeight, makeWeight, opaqueLayerSite, ownLayerInstance, runCustomLayer, weightKernel } from './customLayers';
import { configureClassModel, layerMethod, makeFunctional, makeInput, makeLayer, makeSequential, modelMethod } from './tfjs';
import { iterableItems, stringValue, unseenArguments, UNKNOWN, type ClassValue, type ObjectValue, type Scope, type Slot, type Value } from './values';

export function evaluateCall(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, scope: Scope): Value {
  const kind = ev.syntax;
  const callee = unwrap(ev, node.expression);
  if (callee.kind === kind.PropertyAccessExpression || callee.kind === kind.ElementAccessExpression) {
    const access = callee as ts.AccessExpression;
    if (access.expression.kind === kind.SuperKeyword) return superMethod(ev, node, access, scope);
    const receiver = ev.evaluate(access.expression, scope);
    const method = access.kind === kind.PropertyAccessExpression ? access.name.text : memberKey(ev, access.argumentExpression, scope);
    const args = evaluateArguments(ev, node, scope);
    if (method === undefined) return opaque(ev, args);
    return callMethod(ev, node, receiver, method, args);
  }
  if (callee.kind === kind.SuperKeyword) {
    // `super({layers})` / `super({inputs, outputs})` of a tfjs model subclass configures the model its instance is;
    // A custom layer's `super(config)` runs the constructor of the layer class of the file it extends on this
    // instance (the fields its call reads). Other classes keep theirs unrun: each `new` of a subclass would build
    // the base's model again, a loaded one included (`new Saveable(await tf.loadLayersModel(…))`).
    const self = scope.lookup('this')?.value;
    const args = evaluateArguments(ev, node, scope);
    if (self?.kind !== 'object') return UNKNOWN;
    if (self.model) configureClassModel(ev, self.model, args);
    const parent = ev.state.functions[ev.state.functions.length - 1]?.superConstruct;
    if (parent && self.base === 'layer') ev.invoke({ ...parent, thisValue: self }, args.map((arg) => arg.value));
    return UNKNOWN;
  }
  if (callee.kind === kind.ImportKeyword) {
    const specifier = ev.evaluate(node.arguments?.[0] ?? callee, scope);
    return specifier.kind === 'string' ? { kind: 'reference', path: moduleName(specifier.value) } : UNKNOWN;
  }
  const calleeValue = ev.evaluate(callee, scope);
  const args = evaluateArguments(ev, node, scope);
  if (calleeValue.kind === 'function') return ev.invoke(calleeValue.closure, args.map((arg) => arg.value));
  if (calleeValue.kind === 'class') return construct(ev, node, calleeValue, args);
  if (calleeValue.kind === 'reference') return (calleeValue.path === 'require' && requiredModule(args, scope)) || callPath(ev, node, calleeValue.path, args);
  return opaque(ev, args);
}

/** `require('./layers')` of a project file: what that module exports, from the table modules.ts declared. */
function requiredModule(args: ArgSlot[], scope: Scope): Value | undefined {
  const specifier = args[0]?.value;
  if (args.length !== 1 || specifier?.kind !== 'string' || !isRelativeSpecifier(specifier.value)) return undefined;
  const table = scope.lookup(REQUIRE_TABLE)?.value;
  return table?.kind === 'object' ? table.props.get(specifier.value)?.value : undefined;
}

function callMethod(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, receiver: Value, method: string, args: ArgSlot[]): Value {
  switch (receiver.kind) {
    case 'reference':
      return callPath(ev, node, memberPath(receiver.path, method), args);
    case 'model':
      return modelMethod(ev, receiver.model, method, args);
    case 'layer':
      return layerMethod(ev, receiver, method, args);
    case 'array':
      return arrayMethod(ev, receiver, method, args, ev.span(node));
    case 'call':
      // `this.kernel.read()`: the weight itself.
      return method === 'read' && isWeight(receiver) ? receiver : opaque(ev, args);
    case 'tensor':
      return tensorMethod(ev, node, receiver, method, args);
    case 'class':
    case 'object': {
      if (receiver.kind === 'object' && receiver.base) {
        const tfjs = tfjsObjectMethod(ev, node, receiver, method, args);
        if (tfjs) return tfjs;
      }
      // Static methods live on the class's shared instance with the others.
      const property = (receiver.kind === 'class' ? receiver.instance : receiver).props.get(method)?.value;
      return property?.kind === 'function' ? ev.invoke(property.closure, args.map((arg) => arg.value)) : opaque(ev, args);
    }
    case 'function':
      // `fn.call(thisArg, …args)`: the closure keeps the `this` it was made with.
      return method === 'call' ? ev.invoke(receiver.closure, args.slice(1).map((arg) => arg.value)) : opaque(ev, args);
    default:
      return opaque(ev, args);
  }
}

/**
 * `super.add(layer)` in a `tf.Sequential` subclass, `super.addWeight(…)` in a custom layer: tfjs's own method on
 * the instance, never the class's override (which `super` skips: `build() { super.build(shape); … }` is no loop).
 */
function superMethod(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, access: ts.AccessExpression, scope: Scope): Value {
  const self = scope.lookup('this')?.value;
  const method = access.kind === ev.syntax.PropertyAccessExpression ? access.name.text : memberKey(ev, access.argumentExpression, scope);
  const args = evaluateArguments(ev, node, scope);
  const tfjs = self?.kind === 'object' && self.base && method !== undefined ? tfjsBaseMethod(ev, node, self, method, args) : undefined;
  return tfjs ?? opaque(ev, args);
}

/**
 * Methods tfjs gives a subclass's instance: a model's `add`/`apply` (on the model it is), a custom layer's
 * `addWeight` (a weight) and `apply` (its `build` and `call` run on the input). Undefined for the class's own.
 */
function tfjsObjectMethod(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, receiver: ObjectValue, method: string, args: ArgSlot[]): Value | undefined {
  if (receiver.props.get(method)?.value.kind === 'function') return undefined;
  return tfjsBaseMethod(ev, node, receiver, method, args);
}

function tfjsBaseMethod(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, receiver: ObjectValue, method: string, args: ArgSlot[]): Value | undefined {
  if (receiver.model && (method === 'add' || method === 'apply')) return modelMethod(ev, receiver.model, method, args);
  if (receiver.base !== 'layer') return undefined;
  if (method === 'addWeight') return makeWeight(ev, node, args);
  if (method !== 'apply') return undefined;
  const input = args[0]?.value ?? UNKNOWN;
  const output = runCustomLayer(ev, receiver, input);
  if (isReadOutput(output) || !isReadOutput(input)) return output;
  const site = receiver.opaqueSite ?? opaqueLayerSite(ev, node, ev.state.classDeclarations.get(receiver)?.name);
  return layerMethod(ev, { kind: 'layer', call: site, mark: ev.state.currentMark() }, 'apply', [args[0]]);
}

/** tfjs-core activation functions and tensor methods: applied to a symbolic tensor, an activation layer. */
const ACTIVATION_FUNCTIONS = new Set(['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softsign', 'leakyRelu', 'prelu']);

/** Element-wise tensor methods that keep the signal's shape (`x.add(bias)`, `x.mul(0.5)`). */
const SHAPE_KEEPING_METHODS = new Set(['add', 'sub', 'mul', 'div', 'addStrict', 'clone', 'asType', 'toFloat']);

/** `tf.matMul(x, w).add(b)`, `x.relu()` on a symbolic tensor. */
function tensorMethod(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, receiver: Extract<Value, { kind: 'tensor' }>, method: string, args: ArgSlot[]): Value {
  // `x.add(out)` of two symbolic tensors: a residual Add; `x.add(bias)` keeps x's shape.
  if (method === 'add' && args[0]?.value.kind === 'tensor') return mergeTensors(ev, node, method, [{ value: receiver, span: ev.span(node) }, args[0]]);
  if (SHAPE_KEEPING_METHODS.has(method)) return receiver;
  if (!ACTIVATION_FUNCTIONS.has(method)) return opaque(ev, args);
  const layer = { kind: 'layer' as const, call: buildCallSite(ev, node, method, args), mark: ev.state.currentMark() };
  return layerMethod(ev, layer, 'apply', [{ value: receiver, span: ev.span(node) }]);
}

/** A merge of symbolic tensors written as a tfjs-core op: the merge layer (`callee`'s last name) applied to them. */
function mergeTensors(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, callee: string, tensors: ArgSlot[]): Value {
  const layer = { kind: 'layer' as const, call: buildCallSite(ev, node, callee, []), mark: ev.state.currentMark() };
  return layerMethod(ev, layer, 'apply', [{ value: { kind: 'array', items: tensors }, span: ev.span(node) }]);
}

/**
 * `new C(args)` of a class of the file: its constructor runs with these arguments on the class's instance, or
 * on an instance of its own for a custom layer, of which a model holds several (`customLayers.ts`).
 */
function construct(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, classValue: ClassValue, args: ArgSlot[]): Value {
  if (classValue.instance.base !== 'layer') {
    if (classValue.construct) ev.invoke(classValue.construct, args.map((arg) => arg.value));
    return classValue.instance;
  }
  const own = ownLayerInstance(classValue);
  own.instance.opaqueSite = opaqueLayerSite(ev, node, ev.state.classDeclarations.get(classValue.instance)?.name);
  if (own.construct) ev.invoke(own.construct, args.map((arg) => arg.value));
  return own.instance;
}

/** A call of a name from outside the file (or not declared in it), by its resolved path. */
function callPath(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, path: string, args: ArgSlot[]): Value {
  switch (calleeKind(path)) {
    case 'layer': return makeLayer(ev, node, path, args);
    case 'sequential': return makeSequential(ev, node, args);
    case 'model': return makeFunctional(ev, node, args);
    case 'input': return makeInput(args);
    case 'tidy': {
      const callback = args.find((arg) => arg.value.kind === 'function')?.value;
      return callback?.kind === 'function' ? ev.invoke(callback.closure, []) : UNKNOWN;
    }
  }
  const name = path.slice(path.lastIndexOf('.') + 1);
  const kernel = weightKernel(ev, name, args);
  if (kernel) return layerMethod(ev, kernel.layer, 'apply', [kernel.input]);
  // `tf.relu(x)` on a symbolic tensor (a custom layer's `call`): an activation applied, as a layer.
  if (ACTIVATION_FUNCTIONS.has(name) && args[0]?.value.kind === 'tensor' && /^(tf|@tensorflow\/tfjs[a-z-]*)\./.test(path)) {
    return layerMethod(ev, { kind: 'layer', call: buildCallSite(ev, node, path, args), mark: ev.state.currentMark() }, 'apply', [args[0]]);
  }
  // `tf.add(x, out)` in a custom layer's `call`: a residual Add, as `tf.layers.add()` applied to both.
  if (name === 'add' && args.length === 2 && args.every((arg) => arg.value.kind === 'tensor') && /^(tf|@tensorflow\/tfjs[a-z-]*)\./.test(path)) {
    return mergeTensors(ev, node, path, args);
  }
  if (path === 'Object.assign') return assignObjects(ev, args);
  if (path === 'Object.keys' || path === 'Object.values' || path === 'Object.entries') return listObject(path, args[0]?.value, ev.span(node));
  if (path === 'require') {
    const module = args[0]?.value;
    return module?.kind === 'string' ? { kind: 'reference', path: moduleName(module.value) } : UNKNOWN;
  }
  const builtin = globalCall(path, args.map((arg) => arg.value)) ?? arrayGlobal(ev, path, args, ev.span(node));
  if (builtin) return builtin;
  runCallbacks(ev, args);
  return { kind: 'call', call: buildCallSite(ev, node, path, args) };
}

/**
 * `Object.assign(target, ...sources)` copies the sources' own properties onto the target, left to right,
 * skipping null and undefined (ECMA-262 §20.1.2.1): how options meet their defaults in pre-spread code.
 */
function assignObjects(ev: Evaluator, args: ArgSlot[]): Value {
  const target = args[0]?.value;
  if (target?.kind !== 'object') return UNKNOWN;
  const journal = ev.state.journal;
  const before = journal.recording ? { props: new Map(target.props), complete: target.complete } : undefined;
  for (const { value } of args.slice(1)) {
    if (value.kind === 'object') {
      for (const [key, slot] of value.props) target.props.set(key, slot);
      target.complete &&= value.complete;
    } else if (value.kind !== 'null' && value.kind !== 'undefined') {
      target.complete = false;
    }
  }
  if (before) {
    const after = { props: new Map(target.props), complete: target.complete };
    const restore = (state: typeof before) => () => {
      target.props.clear();
      for (const [key, slot] of state.props) target.props.set(key, slot);
      target.complete = state.complete;
    };
    journal.record(restore(before), restore(after));
  }
  return target;
}

/**
 * `Object.keys/values/entries` of an object whose keys are all known (`for (const [name, units] of
 * Object.entries(config.hidden))`), in JS order: integer keys ascending, then the others as written
 * (ECMA-262 §10.1.11.1 OrdinaryOwnPropertyKeys).
 */
function listObject(path: string, value: Value | undefined, span: Span): Value {
  if (value?.kind !== 'object' || !value.complete) return UNKNOWN;
  const isIndex = (key: string) => /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
  const keys = [...value.props.keys()];
  const ordered = [...keys.filter(isIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isIndex(key))];
  const items = ordered.map((key): Slot => {
    const slot = value.props.get(key) as Slot;
    const name: Slot = { value: stringValue(key), span };
    if (path === 'Object.keys') return name;
    if (path === 'Object.values') return slot;
    return { value: { kind: 'array', items: [name, slot] }, span };
  });
  return { kind: 'array', items };
}

/** The result of a call we cannot follow; callbacks passed to it still run once (`data.forEach((row) => …)`). */
function opaque(ev: Evaluator, args: ArgSlot[]): Value {
  runCallbacks(ev, args);
  return UNKNOWN;
}

function runCallbacks(ev: Evaluator, args: ArgSlot[]): void {
  for (const arg of args) {
    if (arg.value.kind === 'function' && !ev.state.invoked.has(arg.value.closure.node)) ev.invoke(arg.value.closure, unseenArguments(arg.value.closure));
  }
}

/** Arguments in order; a spread of a known array contributes its items. */
function evaluateArguments(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, scope: Scope): ArgSlot[] {
  const written = node.arguments;
  if (!written) return [];
  const spread = ev.syntax.SpreadElement;
  let spreads = false;
  for (let i = 0; i < written.length && !spreads; i++) spreads = written[i].kind === spread;
  // Most calls spread nothing: their list is allocated at its size (a list grown from [] reserves 17 slots). One
  // argument (`model.add(layer)`, `tf.layers.dense(config)`) is the common case: no closure for it.
  if (!spreads && written.length === 1) {
    const only = written[0];
    return [{ value: ev.evaluate(only, scope), span: ev.span(only), node: only }];
  }
  if (!spreads) return written.map((argument) => ({ value: ev.evaluate(argument, scope), span: ev.span(argument), node: argument }));
  const args: ArgSlot[] = [];
  for (const argument of written) {
    if (argument.kind === spread) {
      const spreadValue = ev.evaluate((argument as ts.SpreadElement).expression, scope);
      const span = ev.span(argument);
      args.push(...(iterableItems(spreadValue, span) ?? [{ value: UNKNOWN, span }]));
    } else {
      args.push({ value: ev.evaluate(argument, scope), span: ev.span(argument), node: argument });
    }
  }
  return args;
}

/** `x['apply']`, `arr[0]`: the key of an element access when it is a constant. */
export function memberKey(ev: Evaluator, expression: ts.Expression, scope: Scope): string | undefined {
  const key = ev.evaluate(expression, scope);
  if (key.kind === 'string') return key.value;
  if (key.kind === 'number') return String(key.value);
  return undefined;
}
