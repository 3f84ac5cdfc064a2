/**
 * Evaluating calls: arguments and insertion points, methods that build models and lists, functions and
 * classes of the file, library calls (layers, initializers, `Sequential`, `Input`, `Model`) and builtins.
 */
import type { SyntaxNode } from '@lezer/common';
import { argumentParserMethod } from './argparse';
import type { CallSite, InsertionPoint, Span } from '../../core/ir';
import { callBuiltin, callLibrary, functionalModel, lambdaFunction } from './library';
import { attribute, classMember, itemsOf, tensorNodes } from './operations';
import type { Runtime } from './runtime';
import { childrenOf, isPunctuation, spanOf } from './syntax';
import { WEIGHT_CALLEE, WEIGHT_METHODS } from './customLayers';
import { declareModelInputShape } from './classes';
import { functionalBaseInit } from './functionalSubclass';
import { BUILDING_METHODS } from './layerBuilds';
import { withoutBatch } from './models';
import { NONE, toArg, UNKNOWN, widerRepeat, type ArgValueAt, type CallArgs, type ObjectValue, type PyValue, type Repeat, type Scope } from './values';

/** Where a call is written: what a CallSite made for it needs. */
export interface CallWriting {
  node: SyntaxNode;
  calleeNode: SyntaxNode;
  insertAt: InsertionPoint;
}

export function evaluateCall(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  const calleeNode = node.firstChild;
  const argList = node.lastChild?.name === 'ArgList' ? node.lastChild : null;
  if (!calleeNode || !argList) return UNKNOWN;
  const { args, insertAt } = readArguments(rt, argList, scope);
  const writing: CallWriting = { node, calleeNode, insertAt };
  let callee: PyValue;
  const property = calleeNode.name === 'MemberExpression' ? calleeNode.lastChild : null;
  if (calleeNode.name === 'MemberExpression' && calleeNode.firstChild && property?.name === 'PropertyName') {
    // Evaluate the object once: methods that mutate it (`model.add`, `blocks.append`) need the object itself.
    const object = rt.evaluate(calleeNode.firstChild, scope);
    const name = rt.source.slice(property);
    const handedToBase = name === '__init__' ? functionalBaseInit(rt, calleeNode.firstChild, object, args, scope, node) : undefined;
    if (handedToBase) return handedToBase;
    // `self.add_weight(…)` in a custom layer: a weight, which its use in `call` makes a kernel layer (customLayers.ts).
    if (object.t === 'object' && object.cls.isModel && WEIGHT_METHODS.has(name)) {
      return { t: 'call', site: callSite(rt, WEIGHT_CALLEE, args, writing), repeat: rt.loopRepeat() };
    }
    const result = callMethod(rt, object, name, args, spanOf(node));
    if (result) return result;
    callee = attribute(object, name);
  } else {
    callee = rt.evaluate(calleeNode, scope);
  }
  return callValue(rt, callee, args, writing);
}

/** Calls `callee` with evaluated arguments. */
export function callValue(rt: Runtime, callee: PyValue, args: CallArgs, writing: CallWriting): PyValue {
  switch (callee.t) {
    case 'function':
    case 'method': {
      const result = rt.callFunction(callee.fn, callee.closure, args, callee.t === 'method' ? callee.self : undefined);
      return result.t === 'unknown' ? opaqueCall(rt, callee.fn.name, args, writing) : result;
    }
    case 'class': {
      const site = callSite(rt, callee.cls.name, args, writing);
      // A model class of the file with neither `__init__` nor `call` keeps `keras.Model(inputs, outputs)`.
      const inheritsConstructor = callee.cls.isModel && !classMember(callee.cls, '__init__') && !classMember(callee.cls, 'call');
      return (inheritsConstructor ? functionalModel(rt, site, args, writing.node) : undefined) ?? rt.instantiate(callee.cls, args, site);
    }
    case 'object': return rt.applyObject(callee, args);
    case 'partial': return callValue(rt, callee.target, mergeArguments(callee.args, args), writing);
    case 'call': {
      const lambda = tensorsOf(args).length ? lambdaFunction(callee.site) : undefined;
      if (lambda) {
        const result = callValue(rt, lambda.fn, mergeArguments(lambda.bound, args), writing);
        if (tensorNodes(result).length) return result;
      }
      const applied = applyLayer(rt, callee.site, callee.repeat, args);
      if (applied.t !== 'unknown') {
        rt.book.builds.markBuilt(callee.site, { by: 'call', span: spanOf(writing.node) });
        return applied;
      }
      // A call of what a call returned (`make_layer('relu')(64)`): a layer made by a factory, called as written.
      return { t: 'call', site: callSite(rt, writtenCallee(rt, writing), args, writing), repeat: rt.loopRepeat() };
    }
    case 'sequential': {
      // Called on a tensor or on data, a model builds its layers.
      rt.book.builds.settleSequential(callee.build, undefined, 'call', spanOf(writing.node));
      const [input] = appliedInputs(rt, args);
      if (input === undefined) return UNKNOWN;
      const span = spanOf(writing.node);
      const applyCustom = (object: ObjectValue, tensor: number) => {
        const [output] = tensorNodes(rt.applyObject(object, { positional: [{ value: { t: 'tensor', node: tensor }, span }], keyword: new Map() }));
        return output;
      };
      return { t: 'tensor', node: rt.book.applySequential(callee.build, input, rt.loopRepeat(), applyCustom) };
    }
    case 'functional': {
      const inputs = appliedInputs(rt, args);
      if (!inputs.length) return UNKNOWN;
      const outputs = rt.book.applyFunctional(callee.build, inputs, rt.loopRepeat());
      return outputs.length === 1 ? { t: 'tensor', node: outputs[0] } : { t: 'list', items: outputs.map((id): PyValue => ({ t: 'tensor', node: id })) };
    }
    case 'ref': {
      if (callee.path === 'dataclasses.field') return dataclassDefault(rt, args, writing);
      const builtin = callBuiltin(callee.path, args);
      if (builtin) return builtin;
      return callLibrary(rt, callSite(rt, callee.path, args, writing), args, writing.node);
    }
    case 'unknown': {
      const tensors = tensorsOf(args);
      return tensors.length ? opaqueCall(rt, writtenCallee(rt, writing), args, writing) : UNKNOWN;
    }
    default: return UNKNOWN;
  }
}

/**
 * `field(default=x)` → x; `field(default_factory=f)` → `f()`, made once where the class is defined (each
 * instance would get a fresh copy: the same value for reading widths and layers).
 */
function dataclassDefault(rt: Runtime, args: CallArgs, writing: CallWriting): PyValue {
  const value = args.keyword.get('default')?.value;
  if (value) return value;
  const factory = args.keyword.get('default_factory')?.value;
  return factory ? callValue(rt, factory, { positional: [], keyword: new Map() }, writing) : UNKNOWN;
}

/**
 * A call we cannot follow (a recursive helper, a callee we cannot name) still made something: applied to
 * tensors, a node of the graph; else an object made by that call, as written.
 */
function opaqueCall(rt: Runtime, callee: string, args: CallArgs, writing: CallWriting): PyValue {
  const site = callSite(rt, callee, args, writing);
  const tensors = tensorsOf(args);
  if (tensors.length) return { t: 'tensor', node: rt.book.apply(site, tensors, false, rt.loopRepeat()) };
  return { t: 'call', site, repeat: rt.loopRepeat() };
}

/** The callee as written, for callees that are not names (`make_layer('relu')`). */
function writtenCallee(rt: Runtime, writing: CallWriting): string {
  const node = writing.calleeNode;
  return node.to - node.from <= 200 ? rt.source.slice(node) : 'unknown';
}

/** A layer object applied: `Dense(8)(x)`, `d(x)` (a shared layer applied twice is two nodes). */
export function applyLayer(rt: Runtime, site: CallSite, made: Repeat | undefined, args: CallArgs): PyValue {
  const inputs = appliedInputs(rt, args);
  if (!inputs.length) return UNKNOWN;
  return { t: 'tensor', node: rt.book.apply(site, inputs, true, widerRepeat(made, rt.loopRepeat())) };
}

/** Model and list methods that change their object; undefined for any other method. `at`: the call. */
function callMethod(rt: Runtime, object: PyValue, name: string, args: CallArgs, at: Span): PyValue | undefined {
  const options = argumentParserMethod(object, name, args);
  if (options) return options;
  const first = args.positional[0]?.value;
  if (BUILDING_METHODS.has(name) && (object.t === 'sequential' || object.t === 'functional' || (object.t === 'object' && object.cls.isModel))) {
    markModelBuilt(rt, object, at);
  }
  // `layer.build(input_shape)` makes that layer's weights.
  if (name === 'build' && object.t === 'call') rt.book.builds.markBuilt(object.site, { by: 'build', span: at });
  // A subclassed model's `build(input_shape)` gives the input its `call` is read on.
  if (name === 'build' && object.t === 'object' && object.cls.isModel) {
    const shape = args.positional[0] ?? args.keyword.get('input_shape');
    if (shape) declareModelInputShape(rt, object, withoutBatch(toArg(shape.value, shape.span)));
  }
  if (name === 'get_layer' && (object.t === 'sequential' || object.t === 'functional')) return namedLayer(rt, object, args);
  if (object.t === 'sequential') {
    const build = object.build;
    if (name === 'add' && first) {
      rt.book.addToSequential(build, first, rt.loopRepeat());
      rt.book.builds.settleSequential(build, undefined);
    } else if (name === 'pop') build.layers.pop();
    else if (name === 'build') {
      const shape = args.positional[0] ?? args.keyword.get('input_shape');
      if (shape && !build.inputShape) build.inputShape = withoutBatch(toArg(shape.value, shape.span));
      rt.book.builds.settleSequential(build, undefined, 'build', at);
    } else return undefined;
    return NONE;
  }
  if (object.t === 'list') {
    const items = object.items;
    // What a loop of unknown length adds, it adds any number of times (`set.add` is read as append).
    const grows = name === 'append' || name === 'add' || name === 'extend' || name === 'insert';
    if (grows && (rt.inStandInIteration() || (name === 'extend' && (first?.t !== 'list' || first.open)))) object.open = true;
    switch (name) {
      case 'append': case 'add': if (first) items.push(first); return NONE;
      case 'extend': if (first) items.push(...(itemsOf(first, 100_000)?.items ?? [])); return NONE;
      case 'insert': {
        const index = first?.t === 'num' ? first.v : undefined;
        const item = args.positional[1]?.value;
        if (index !== undefined && item) items.splice(index < 0 ? Math.max(0, items.length + index) : index, 0, item);
        else object.open = true;
        return NONE;
      }
      case 'pop': {
        if (first === undefined) return items.pop() ?? UNKNOWN;
        if (first.t !== 'num') return UNKNOWN;
        return items.splice(first.v < 0 ? items.length + first.v : first.v, 1)[0] ?? UNKNOWN;
      }
      case 'copy': return { t: 'list', items: [...items], open: object.open };
      // `layers.__len__()` is `len(layers)` (a DeepVIV PINN loops `range(self.denseList.__len__())`).
      case '__len__': return object.open ? UNKNOWN : { t: 'num', v: items.length };
      default: return undefined;
    }
  }
  if (object.t === 'dict') {
    switch (name) {
      case 'get': return (first?.t === 'str' ? object.entries.get(first.v) : undefined) ?? args.positional[1]?.value ?? NONE;
      case 'keys': return { t: 'list', items: [...object.entries.keys()].map((key): PyValue => ({ t: 'str', v: key })) };
      case 'values': return { t: 'list', items: [...object.entries.values()] };
      case 'items': return { t: 'list', items: [...object.entries].map(([key, value]): PyValue => ({ t: 'list', items: [{ t: 'str', v: key }, value] })) };
      case 'copy': return { t: 'dict', entries: new Map(object.entries), open: object.open };
      case 'update':
        // Entries we cannot list (a dict read from elsewhere, pairs) leave the size unknown.
        if (first?.t === 'dict' && !first.open) for (const [key, value] of first.entries) object.entries.set(key, value);
        else if (first) object.open = true;
        for (const [key, arg] of args.keyword) object.entries.set(key, arg.value);
        return NONE;
      case 'setdefault': {
        if (first?.t !== 'str') {
          object.open = true;
          return args.positional[1]?.value ?? UNKNOWN;
        }
        if (!object.entries.has(first.v)) object.entries.set(first.v, args.positional[1]?.value ?? NONE);
        return object.entries.get(first.v) ?? UNKNOWN;
      }
      default: return undefined;
    }
  }
  if (object.t === 'str' && (name === 'lower' || name === 'upper')) return { t: 'str', v: name === 'lower' ? object.v.toLowerCase() : object.v.toUpperCase() };
  return undefined;
}

/** `model.get_layer("hidden")` (by the `name=` a layer was given) or `get_layer(index=2)`. */
function namedLayer(rt: Runtime, model: PyValue, args: CallArgs): PyValue {
  const index = args.keyword.get('index')?.value;
  if (index?.t === 'num') return modelLayers(rt, model)[index.v] ?? UNKNOWN;
  const wanted = (args.keyword.get('name') ?? args.positional[0])?.value;
  if (wanted?.t !== 'str') return UNKNOWN;
  const site = rt.book.layerSites(model).find((candidate) => {
    const written = candidate.keyword.name?.value;
    return written?.kind === 'string' && written.value === wanted.v;
  });
  return site ? { t: 'call', site } : UNKNOWN;
}

/**
 * `model.layers` as Keras lists them: a Sequential's layers; a functional model's, after one InputLayer per
 * input (Keras 3 `Functional.layers` includes them), which InitLint has no call for (unknown).
 */
export function modelLayers(rt: Runtime, model: PyValue): PyValue[] {
  const layers = rt.book.layerSites(model).map((site): PyValue => ({ t: 'call', site }));
  return model.t === 'functional' ? [...model.build.inputs.map(() => UNKNOWN), ...layers] : layers;
}

/** `model.fit(…)`, `model.summary()`: every layer of the model is built by then. */
function markModelBuilt(rt: Runtime, model: PyValue, at: Span): void {
  if (model.t === 'sequential') rt.book.builds.settleSequential(model.build, undefined, 'use', at);
  for (const site of rt.book.layerSites(model)) rt.book.builds.markBuilt(site, { by: 'use', span: at });
}

/** The tensors among the arguments, in order (`layers.Add()([x, shortcut])` → both). */
/**
 * The tensors a layer or model is applied to. Applied to data (a parameter of a function run with its defaults,
 * a subclassed model's `self.node_features` made by `tf.cast(…)` outside the graph): a model input, since
 * whatever a layer or model is applied to is a tensor.
 */
function appliedInputs(rt: Runtime, args: CallArgs): number[] {
  const inputs = tensorsOf(args);
  const first = args.positional[0]?.value;
  return !inputs.length && first && isData(first) ? [rt.book.input(undefined)] : inputs;
}

/** A value we cannot see, or what a function (lowercase: `tf.zeros`, `np.array`; not a class such as a layer) made. */
function isData(value: PyValue): boolean {
  if (value.t === 'unknown') return true;
  if (value.t !== 'call') return false;
  const first = value.site.callee.charCodeAt(value.site.callee.lastIndexOf('.') + 1);
  return first >= 97 && first <= 122;
}

export function tensorsOf(args: CallArgs): number[] {
  const nodes: number[] = [];
  for (const arg of args.positional) tensorNodes(arg.value, nodes);
  for (const arg of args.keyword.values()) tensorNodes(arg.value, nodes);
  return nodes;
}

export function callSite(rt: Runtime, callee: string, args: CallArgs, writing: CallWriting): CallSite {
  // A call unrolled by a loop with the same arguments each time is one CallSite object, shared by its copies.
  const { from, to } = writing.node;
  const last = rt.callSites.get(from, to - from);
  if (last && last.callee === callee && sameArguments(last.args, args)) return last.site;
  const keyword: CallSite['keyword'] = {};
  args.keyword.forEach((arg, name) => {
    keyword[name] = toArg(arg.value, arg.span);
  });
  const site: CallSite = {
    callee,
    calleeSpan: spanOf(writing.calleeNode),
    span: spanOf(writing.node),
    positional: args.positional.map((arg) => toArg(arg.value, arg.span)),
    keyword,
    insertAt: writing.insertAt,
  };
  rt.callSites.set(from, to - from, { callee, args, site });
  return site;
}

function sameArguments(a: CallArgs, b: CallArgs): boolean {
  if (a.positional.length !== b.positional.length || a.keyword.size !== b.keyword.size) return false;
  for (let i = 0; i < a.positional.length; i++) if (!sameArgument(a.positional[i], b.positional[i])) return false;
  for (const [name, arg] of a.keyword) {
    const other = b.keyword.get(name);
    if (!other || !sameArgument(arg, other)) return false;
  }
  return true;
}

/** Same span and the same value: equal scalars written at the same place, or the very same object. */
function sameArgument(a: ArgValueAt, b: ArgValueAt): boolean {
  if (a.span.start !== b.span.start || a.span.end !== b.span.end) return false;
  const x = a.value;
  const y = b.value;
  if (x === y) return true;
  if (x.t !== y.t) return false;
  switch (x.t) {
    case 'num': case 'str': case 'bool': return x.v === (y as typeof x).v && sameSpan(x.span, (y as typeof x).span);
    case 'none': return sameSpan(x.span, (y as typeof x).span);
    case 'ref': return x.path === (y as typeof x).path;
    case 'call': return x.site === (y as typeof x).site;
    default: return false;
  }
}

function sameSpan(a: Span | undefined, b: Span | undefined): boolean {
  return a === b || (!!a && !!b && a.start === b.start && a.end === b.end);
}

/** `partial(f, a, k=1)(b, k=2)` → `f(a, b, k=2)`. */
function mergeArguments(bound: CallArgs, given: CallArgs): CallArgs {
  return { positional: [...bound.positional, ...given.positional], keyword: new Map([...bound.keyword, ...given.keyword]) };
}

/**
 * The arguments of a call, and where one more keyword argument goes (see `insertionPoint`).
 */
function readArguments(rt: Runtime, argList: SyntaxNode, scope: Scope): { args: CallArgs; insertAt: InsertionPoint } {
  const args: CallArgs = { positional: [], keyword: new Map() };
  const parts = childrenOf(argList);
  let lastArgumentEnd = -1;
  let closeParen = -1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === ')') closeParen = part.from;
    if (part.name === 'for') {
      // A bare generator argument `f(x for x in y)`: one value we do not follow.
      const element = args.positional.pop();
      const end = parts[parts.length - 1].name === ')' ? parts[parts.length - 2] : parts[parts.length - 1];
      args.positional.push({ value: UNKNOWN, span: { start: element?.span.start ?? part.from, end: end.to } });
      lastArgumentEnd = end.to;
      closeParen = parts[parts.length - 1].name === ')' ? parts[parts.length - 1].from : -1;
      break;
    }
    if (isPunctuation(part)) continue;
    if ((part.name === '*' || part.name === '**') && parts[i + 1] && !isPunctuation(parts[i + 1])) {
      const expression = parts[++i];
      spreadArgument(part.name === '**', rt.evaluate(expression, scope), spanOf(expression), args);
      lastArgumentEnd = expression.to;
      continue;
    }
    if (part.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp') {
      const valueNode = parts[i + 2] && !isPunctuation(parts[i + 2]) ? parts[i + 2] : undefined;
      i += valueNode ? 2 : 1;
      if (!valueNode) continue;
      args.keyword.set(rt.source.slice(part), { value: rt.evaluate(valueNode, scope), span: spanOf(valueNode) });
      lastArgumentEnd = valueNode.to;
      continue;
    }
    args.positional.push({ value: rt.evaluate(part, scope), span: spanOf(part) });
    lastArgumentEnd = part.to;
  }
  return { args, insertAt: insertionPoint(rt.source.text, lastArgumentEnd, closeParen, argList.to) };
}

/**
 * Where one more keyword argument goes. After the last argument with `, `; but a trailing comma on the line
 * of the closing parenthesis (`Dense(64,)`) is used: the argument goes before `)`. A trailing comma before
 * a parenthesis on a line of its own (a multi-line call) stays after the new argument. Empty parentheses
 * take the argument alone.
 */
function insertionPoint(text: string, lastArgumentEnd: number, closeParen: number, listEnd: number): InsertionPoint {
  if (lastArgumentEnd < 0) return { offset: closeParen >= 0 ? closeParen : listEnd, prefix: '', suffix: '' };
  if (closeParen > lastArgumentEnd) {
    let comma = false;
    for (let i = lastArgumentEnd; i < closeParen; i++) {
      const char = text.charCodeAt(i);
      if (char === 10 || char === 13 || char === 35 /* # */) return { offset: lastArgumentEnd, prefix: ', ', suffix: '' };
      if (char === 44 /* , */) comma = true;
    }
    const spaced = text.charCodeAt(closeParen - 1) === 32 || text.charCodeAt(closeParen - 1) === 9;
    if (comma) return { offset: closeParen, prefix: spaced ? '' : ' ', suffix: '' };
  }
  return { offset: lastArgumentEnd, prefix: ', ', suffix: '' };
}

/** `*items` → positional arguments; `**config` → keyword arguments (each at the span where its value is written). */
function spreadArgument(keywords: boolean, value: PyValue, span: { start: number; end: number }, args: CallArgs): void {
  if (keywords) {
    if (value.t !== 'dict') return;
    for (const [name, entry] of value.entries) args.keyword.set(name, { value: entry, span: spanOfWritten(entry) ?? span });
    return;
  }
  const items = itemsOf(value, 100_000);
  if (!items) {
    args.positional.push({ value: UNKNOWN, span });
    return;
  }
  for (const item of items.items) args.positional.push({ value: item, span: spanOfWritten(item) ?? span });
}

function spanOfWritten(value: PyValue): { start: number; end: number } | undefined {
  return 'span' in value ? value.span : value.t === 'call' ? value.site.span : undefined;
}
