/**
 * Classes of the file. A class deriving from `keras.Model` or `keras.layers.Layer` (directly or through
 * another class of the file) is a subclassed model: its layers are made in `__init__` and applied in `call`,
 * which is run once on a fresh input to read the graph. Other classes are plain objects (a builder class).
 */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, CallSite } from '../../core/ir';
import { applyLayer } from './calls';
import { baseInitModel, builtByBaseInit } from './functionalSubclass';
import { WEIGHT_CALLEE } from './customLayers';
import { classMember, lastSegment, tensorNodes } from './operations';
import type { Runtime } from './runtime';
import { childNamed, childrenOf, isPunctuation, spanOf } from './syntax';
import { Scope, UNKNOWN, type CallArgs, type ClassDef, type ObjectValue, type PyValue } from './values';

/** Base classes that make a subclass a model (Keras `Model`, `Layer`, and Keras 3's `Functional`). */
const MODEL_BASES = new Set(['Model', 'Layer', 'Functional', 'Sequential']);
const WHOLE_MODEL_BASES = new Set(['Model', 'Functional', 'Sequential']);

const NO_ARGS: CallArgs = { positional: [], keyword: new Map() };

/** What class handling needs beyond the Runtime. */
export interface ClassHost extends Runtime {
  executeBody(body: SyntaxNode, scope: Scope): void;
  /** Runs `read` as if at the top of the file: outside the loops and inlined models of the caller. */
  standalone<T>(read: () => T): T;
}

/** `@dataclass`, `@dataclasses.dataclass`, `@dataclass(frozen=True)`. */
const DATACLASS_DECORATOR = /^@\s*(?:dataclasses\s*\.\s*)?dataclass\b/;

export function defineClass(host: ClassHost, statement: SyntaxNode, scope: Scope, decorators: SyntaxNode[] = []): ClassDef | undefined {
  const nameNode = childNamed(statement, 'VariableName');
  const body = childNamed(statement, 'Body');
  if (!nameNode || !body) return undefined;
  const bases: ClassDef[] = [];
  let isModel = false;
  let isWholeModel = false;
  const baseList = childNamed(statement, 'ArgList');
  const baseParts = baseList ? childrenOf(baseList) : [];
  for (let i = 0; i < baseParts.length; i++) {
    const part = baseParts[i];
    if (isPunctuation(part)) continue;
    if (baseParts[i + 1]?.name === 'AssignOp') {
      i += 2; // `metaclass=…`
      continue;
    }
    const base = host.evaluate(part, scope);
    if (base.t === 'class') {
      bases.push(base.cls);
      isModel ||= base.cls.isModel;
      isWholeModel ||= base.cls.isWholeModel === true;
    } else if (base.t === 'ref') {
      isModel ||= MODEL_BASES.has(lastSegment(base.path));
      isWholeModel ||= WHOLE_MODEL_BASES.has(lastSegment(base.path));
    }
  }
  // The body runs in a scope of its own: what it binds becomes the class's methods and attributes.
  const classScope = new Scope(scope);
  host.executeBody(body, classScope);
  const cls: ClassDef = {
    name: host.source.slice(nameNode), syntax: statement, bases, methods: new Map(), attrs: new Map(),
    closure: scope, isModel, analysed: false, ...(isWholeModel ? { isWholeModel } : {}),
  };
  if (decorators.some((decorator) => DATACLASS_DECORATOR.test(host.source.slice(decorator)))) cls.fields = dataclassFields(host, body);
  for (const [name, value] of classScope.own()) {
    if (value.t === 'function' && value.fn.syntax.name === 'FunctionDefinition') {
      value.fn.isMethod = true;
      cls.methods.set(name, value.fn);
    } else {
      cls.attrs.set(name, value);
    }
  }
  scope.set(cls.name, { t: 'class', cls });
  return cls;
}

/** `Net(…)`: a new instance with `__init__` run on the arguments; a model class is read from its first instance. */
export function instantiate(host: ClassHost, cls: ClassDef, args: CallArgs, site: CallSite | undefined): ObjectValue {
  const object: ObjectValue = { t: 'object', cls, attrs: new Map(), site, repeat: host.loopRepeat() };
  const construct = () => {
    const init = classMember(cls, '__init__');
    if (init && 'method' in init) host.callFunction(init.method, init.owner.closure, args, object);
    else if (cls.fields) bindFields(cls.fields, args, object);
  };
  if (!cls.isModel || cls.analysed) {
    construct();
    if (!cls.isModel && !firstInstances.has(cls)) firstInstances.set(cls, object);
    return object;
  }
  // The class's own model is read from its first instance, apart from the loops it happens to be made in
  // (`[Net() for _ in range(5)]` is five models, not one model with repeated layers).
  host.standalone(() => {
    construct();
    // The class's `call` run on a stand-in input is InitLint's reading: the user's code has built nothing yet.
    host.book.builds.reading(() => readModelClass(host, cls, object));
  });
  return object;
}

/** `block(x)` for an instance: its `call` (or `__call__`), inlined; the nodes are marked as the class's own. */
export function applyObject(host: ClassHost, object: ObjectValue, args: CallArgs): PyValue {
  // Keras builds a layer on its first call: the weights `build` makes are what `call` uses.
  if (object.cls.isModel && !builtObjects.has(object)) {
    builtObjects.add(object);
    const build = classMember(object.cls, 'build');
    const span = args.positional[0]?.span ?? { start: object.cls.syntax.from, end: object.cls.syntax.from };
    if (build && 'method' in build) host.callFunction(build.method, build.owner.closure, { positional: [{ value: UNKNOWN, span }], keyword: new Map() }, object);
  }
  const call = classMember(object.cls, 'call') ?? classMember(object.cls, '__call__');
  if (call && 'method' in call) {
    const run = () => host.callFunction(call.method, call.owner.closure, args, object);
    const first = host.book.graph.length;
    const result = object.cls.isModel ? host.book.inline(classKey(object.cls), run) : run();
    // A whole model applied inside another (a GAN's critic(generator(z))) is entered at the first node its call
    // made: the core judges each part as the model it is, and no chain runs from one into the other.
    if (object.cls.isWholeModel && first < host.book.graph.length) host.book.graph[first].entersModel ??= object.cls.name;
    return result;
  }
  // A functional subclass (its graph handed to `super().__init__`) applies that graph, as `keras.Model` would.
  const graph = object.cls.isModel ? baseInitModel(object.cls) : undefined;
  const inputs = graph ? args.positional.flatMap((arg) => tensorNodes(arg.value)) : [];
  if (graph && inputs.length) {
    const outputs = host.book.applyFunctional(graph, inputs, host.loopRepeat());
    return outputs.length === 1 ? { t: 'tensor', node: outputs[0] } : { t: 'list', items: outputs.map((id): PyValue => ({ t: 'tensor', node: id })) };
  }
  return object.site ? applyLayer(host, object.site, object.repeat, args) : UNKNOWN;
}

/** Instances whose `build` has run (on their first call, or when their class's model was read). */
const builtObjects = new WeakSet<ObjectValue>();

/** The input each model object's `call` was read on, and the shapes `build` gave before that reading. */
const standInInputs = new WeakMap<ObjectValue, number>();
const declaredInputShapes = new WeakMap<ObjectValue, Arg>();

/**
 * `model.build((None, 2))` after the model was made, or `self.build(input_shape=(None, 2))` in its `__init__` (how
 * PINNs and other subclassed MLPs make their weights): Keras runs `call` on an input of that shape (batch dropped
 * by the caller), so the input InitLint read `call` on has it, and the first layer its fan_in.
 */
export function declareModelInputShape(host: Runtime, object: ObjectValue, shape: Arg): void {
  const input = standInInputs.get(object);
  if (input === undefined) {
    if (!declaredInputShapes.has(object)) declaredInputShapes.set(object, shape);
    return;
  }
  const node = host.book.graph[input];
  if (node && !node.site && !node.inputShape) node.inputShape = shape;
}

/** The first instance of each builder class (a plain class of the file), made with the arguments the file gives. */
const firstInstances = new WeakMap<ClassDef, ObjectValue>();

/**
 * Model classes never instantiated, and methods of builder classes never called: run once, on the class's first
 * instance where the file made one (an agent built with its real sizes, whose loss method nothing calls), else on
 * an instance made with defaults. A fresh instance would run `__init__` again without its arguments, and build
 * every model it builds a second time, of unknown widths.
 */
export function readUnusedClasses(host: ClassHost, classes: ClassDef[]): void {
  for (const cls of classes) {
    if (cls.isModel) {
      if (!cls.analysed) instantiate(host, cls, NO_ARGS, undefined);
      continue;
    }
    const unused = [...cls.methods.values()].filter((method) => !method.executed && !method.name.startsWith('__'));
    if (!unused.length) continue;
    const object = firstInstances.get(cls) ?? instantiate(host, cls, NO_ARGS, undefined);
    for (const method of unused) if (!method.executed) host.callFunction(method, cls.closure, NO_ARGS, object);
  }
}

/** The annotated names of a dataclass body (`units: int = 64`, `hidden: list[int]`), in order. */
function dataclassFields(host: ClassHost, body: SyntaxNode): string[] {
  const fields: string[] = [];
  for (const statement of childrenOf(body)) {
    const [target, annotation] = childrenOf(statement);
    if (statement.name === 'AssignStatement' && target?.name === 'VariableName' && annotation?.name === 'TypeDef') fields.push(host.source.slice(target));
  }
  return fields;
}

/** The generated `__init__`: arguments by position, then by name; a field not given keeps its class default. */
function bindFields(fields: string[], args: CallArgs, object: ObjectValue): void {
  fields.forEach((name, index) => {
    const given = args.keyword.get(name)?.value ?? args.positional[index]?.value;
    if (given) object.attrs.set(name, given);
  });
}

function classKey(cls: ClassDef): string {
  return `${cls.syntax.from}:${cls.syntax.to}`;
}

/**
 * The model of a subclassed class: `build` (a Layer's), then `call` on a fresh input. Without a `call` that
 * applies layers to it, the layers `__init__` made, in the order it made them.
 */
function readModelClass(host: ClassHost, cls: ClassDef, self: ObjectValue): void {
  cls.analysed = true;
  builtObjects.add(self);
  const span = spanOf(cls.syntax);
  const build = classMember(cls, 'build');
  if (build && 'method' in build) host.callFunction(build.method, build.owner.closure, { positional: [{ value: UNKNOWN, span }], keyword: new Map() }, self);
  // `super().__init__(inputs, outputs)` already made the class's model (functionalSubclass.ts).
  if (builtByBaseInit(self)) return;
  const input = host.book.input(declaredInputShapes.get(self));
  standInInputs.set(self, input);
  let outputs: number[] = [];
  const call = classMember(cls, 'call');
  if (call && 'method' in call) {
    const first = host.book.graph.length;
    const returned = host.callFunction(call.method, call.owner.closure, { positional: [{ value: { t: 'tensor', node: input }, span }], keyword: new Map() }, self);
    outputs = tensorNodes(returned);
    // A `call` that returns no tensor (an action sampled from a distribution) still applied its layers in order:
    // the last ones are its heads, where chaining the attributes would join them one after the other.
    if (!outputs.length) outputs = host.book.headsSince(input, first);
  }
  if (!outputs.length) outputs = chainAttributes(host, self, input);
  if (outputs.length) host.book.newFunctional(cls.name, true, span, span, 'subclassed', [input], outputs);
}

/**
 * The layers held in `self`'s attributes (and lists of them), chained in the order they were assigned. Whole
 * models held there (a GAN's generator and discriminator, used only by `train_step`) are not chained: without
 * a `call` nothing says how they connect, and each is reported as the model it is. Metrics, losses and
 * optimizers are no layers.
 */
function chainAttributes(host: ClassHost, self: ObjectValue, input: number): number[] {
  let last = input;
  const visit = (value: PyValue): void => {
    if (value.t === 'list') value.items.forEach(visit);
    else if (value.t === 'call' && !isBookkeeping(value.site.callee)) last = host.book.apply(value.site, [last], true, value.repeat);
    else if (value.t === 'object' && value.site) last = host.book.apply(value.site, [last], true, value.repeat);
  };
  for (const value of self.attrs.values()) visit(value);
  return last === input ? [] : [last];
}

/** Keras modules whose objects a model holds besides its layers (`keras.metrics.Mean(name="loss")`). */
const BOOKKEEPING_MODULES = new Set(['metrics', 'losses', 'optimizers', 'callbacks', 'initializers', 'regularizers', 'constraints', 'schedules']);

/** A weight the layer made (`self.add_weight(…)`: a position embedding, a class token) is held too, and is no layer. */
function isBookkeeping(callee: string): boolean {
  return callee === WEIGHT_CALLEE || callee.split('.').slice(0, -1).some((segment) => BOOKKEEPING_MODULES.has(segment));
}
