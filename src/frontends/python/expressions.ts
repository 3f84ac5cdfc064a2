/** Evaluating Python expressions: literals, names, operators, lists, comprehensions, members, subscripts. */
import type { SyntaxNode } from '@lezer/common';
import type { CallSite } from '../../core/ir';
import { activationOfFunction } from './activationFunctions';
import { evaluateCall, modelLayers } from './calls';
import { applyWeight, WEIGHT_CALLEE } from './customLayers';
import { isPretrainedClass } from '../../core/catalogue/backbones';
import { attribute, binaryOperation, distinctValues, itemsOf, lastSegment, slice, subscript, unaryOperation } from './operations';
import type { Runtime } from './runtime';
import { childNamed, childrenOf, expressionChildren, firstChildOf, isPunctuation, lastChildOf, numberLiteral, spanOf, stringLiteral } from './syntax';
import { isInitializerAttribute, writtenAssignment } from './layerBuilds';
import { tensorShape } from './staticShapes';
import { Scope, toArg, truthiness, UNKNOWN, type Param, type PyValue } from './values';

/** Tensor arithmetic of two tensors is a layer of its own in a Keras graph (`x + shortcut` is a residual add). */
const TENSOR_OPERATIONS: Record<string, string> = { '+': 'keras.ops.add', '-': 'keras.ops.subtract', '*': 'keras.ops.multiply' };

export function evaluateExpression(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  switch (node.name) {
    case 'Number': {
      const value = numberLiteral(rt.source.slice(node));
      return value === undefined ? UNKNOWN : { t: 'num', v: value, span: spanOf(node) };
    }
    case 'String': {
      const value = stringLiteral(rt.source.slice(node));
      return value === undefined ? UNKNOWN : { t: 'str', v: value, span: spanOf(node) };
    }
    case 'ContinuedString': {
      let value = '';
      for (const part of childrenOf(node)) {
        const piece = part.name === 'String' ? stringLiteral(rt.source.slice(part)) : undefined;
        if (piece === undefined) return UNKNOWN;
        value += piece;
      }
      return { t: 'str', v: value, span: spanOf(node) };
    }
    case 'Boolean': return { t: 'bool', v: rt.source.slice(node) === 'True', span: spanOf(node) };
    case 'None': return { t: 'none', span: spanOf(node) };
    case 'VariableName': {
      const name = rt.source.slice(node);
      const value = scope.get(name) ?? { t: 'ref', path: name };
      // A constant some function reassigns through `global`: its first value is only assumed.
      return value.t === 'num' && rt.reassignedGlobals.size && rt.reassignedGlobals.has(name) ? { ...value, assumed: true } : value;
    }
    case 'ParenthesizedExpression': {
      const inner = expressionChildren(node)[0];
      return inner ? rt.evaluate(inner, scope) : UNKNOWN;
    }
    case 'TupleExpression':
    case 'ArrayExpression': return { t: 'list', items: listItems(rt, childrenOf(node), scope), span: spanOf(node) };
    case 'SetExpression': {
      const items = listItems(rt, childrenOf(node), scope);
      return { t: 'list', items: distinctValues(items) ?? items, span: spanOf(node) };
    }
    case 'DictionaryExpression': return dictionary(rt, node, scope);
    case 'DictionaryComprehensionExpression': return dictionaryComprehension(rt, node, scope);
    case 'ArrayComprehensionExpression':
    case 'SetComprehensionExpression':
    case 'ComprehensionExpression': {
      const { items, open } = comprehension(rt, expressionParts(node), scope);
      const kept = node.name === 'SetComprehensionExpression' && !open ? distinctValues(items) ?? items : items;
      return { t: 'list', items: kept, span: spanOf(node), ...(open ? { open } : {}) };
    }
    case 'UnaryExpression': {
      const parts = childrenOf(node);
      const operand = parts[parts.length - 1];
      if (parts.length < 2 || !operand) return UNKNOWN;
      return unaryOperation(rt.source.slice(parts[0]), rt.evaluate(operand, scope));
    }
    case 'BinaryExpression': return binary(rt, node, scope);
    case 'ConditionalExpression': {
      // `a if test else b`: an unknown test takes `a`, the branch written first.
      const [whenTrue, , condition, , whenFalse] = childrenOf(node);
      const test = condition ? truthiness(rt.evaluate(condition, scope)) : undefined;
      const chosen = test === false ? whenFalse : whenTrue;
      return chosen ? rt.evaluate(chosen, scope) : UNKNOWN;
    }
    case 'MemberExpression': return member(rt, node, scope);
    case 'CallExpression': return evaluateCall(rt, node, scope);
    case 'LambdaExpression': return lambda(rt, node, scope);
    default: return UNKNOWN;
  }
}

/** Items of a list/tuple/set literal (or a bare `a, b` tuple), with `*spread` unpacked. */
export function listItems(rt: Runtime, parts: SyntaxNode[], scope: Scope): PyValue[] {
  const items: PyValue[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === '*' && parts[i + 1]) {
      const spread = itemsOf(rt.evaluate(parts[++i], scope), 100_000);
      if (spread) items.push(...spread.items);
      continue;
    }
    if (isPunctuation(part)) continue;
    items.push(rt.evaluate(part, scope));
  }
  return items;
}

function dictionary(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  const entries = new Map<string, PyValue>();
  const parts = expressionChildren(node);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = rt.evaluate(parts[i], scope);
    if (key.t === 'str') entries.set(key.v, rt.evaluate(parts[i + 1], scope));
  }
  return { t: 'dict', entries, span: spanOf(node) };
}

function expressionParts(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((part) => !isPunctuation(part));
}

/**
 * `{name: keras.Input(shape=(1,), name=name) for name in FEATURES}`: an entry per item whose key is a
 * string; a key that cannot be known leaves the dict's size unknown.
 */
function dictionaryComprehension(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  const [keyNode, valueNode, ...clauses] = expressionParts(node);
  const entries = new Map<string, PyValue>();
  let open = false;
  if (keyNode && valueNode) {
    // The key and value evaluated once per item, as one pair: comprehension() runs its element per item.
    const pairs = comprehension(rt, [keyNode, ...clauses], scope, (local) => ({ t: 'list', items: [rt.evaluate(keyNode, local), rt.evaluate(valueNode, local)] }));
    open = pairs.open;
    for (const pair of pairs.items) {
      const [key, value] = pair.t === 'list' ? pair.items : [];
      if (key?.t === 'str' && value) entries.set(key.v, value);
      else open = true;
    }
  }
  return { t: 'dict', entries, span: spanOf(node), ...(open ? { open } : {}) };
}

type ComprehensionClause = { kind: 'for'; targets: SyntaxNode[]; iterable: SyntaxNode } | { kind: 'if'; test: SyntaxNode };

/**
 * `[element for target in iterable if test …]`: the element once per item, with the targets bound in a scope
 * of its own. `parts` are the children without brackets: element, then `for`/`in`/`if` clauses. `element`
 * evaluates what each item makes, where that is not the first part alone (a dict comprehension's pair).
 * `open`: an iterable could not be read, and its one stand-in pass made items of an unknown number.
 */
export function comprehension(rt: Runtime, parts: SyntaxNode[], scope: Scope, element?: (local: Scope) => PyValue): { items: PyValue[]; open: boolean } {
  const list: ComprehensionClause[] = [];
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].name === 'for') {
      const inIndex = parts.findIndex((part, index) => index > i && part.name === 'in');
      if (inIndex < 0 || !parts[inIndex + 1]) return { items: [], open: false };
      list.push({ kind: 'for', targets: parts.slice(i + 1, inIndex), iterable: parts[inIndex + 1] });
      i = inIndex + 1;
    } else if (parts[i].name === 'if' && parts[i + 1]) {
      list.push({ kind: 'if', test: parts[++i] });
    }
  }
  const first = parts[0];
  if (!first || !list.length) return { items: [], open: false };
  const results: PyValue[] = [];
  let open = false;
  const local = new Scope(scope);
  const run = (clause: number) => {
    const current = list[clause];
    if (!current) {
      results.push(element ? element(local) : rt.evaluate(first, local));
      return;
    }
    if (current.kind === 'if') {
      // An unknown condition keeps the element: the code as written when it is taken.
      if (truthiness(rt.evaluate(current.test, local)) !== false) run(clause + 1);
      return;
    }
    const iterable = itemsOf(rt.evaluate(current.iterable, local), 100_000);
    if (!iterable) {
      open = true;
      bindTargets(rt, current.targets, UNKNOWN, local);
      rt.iterate(0, undefined, () => run(clause + 1), true);
      return;
    }
    for (let index = 0; index < iterable.items.length; index++) {
      const item = iterable.items[index];
      const more = rt.iterate(index, iterable.count, () => {
        bindTargets(rt, current.targets, item, local);
        run(clause + 1);
      });
      if (!more) return;
    }
    if (iterable.count > iterable.items.length) rt.truncated(current.iterable, iterable.count, iterable.items.length);
  };
  run(0);
  return { items: results, open };
}

function binary(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  const parts = childrenOf(node);
  if (parts.length < 3) return UNKNOWN;
  const leftNode = parts[0];
  const rightNode = parts[parts.length - 1];
  // `is not`, `not in` are two tokens.
  const operator = parts.length === 3 ? rt.source.slice(parts[1]) : parts.slice(1, -1).map((part) => rt.source.slice(part)).join(' ');
  const left = rt.evaluate(leftNode, scope);
  // `and` / `or` short-circuit as Python does (a known falsy left side never evaluates the right).
  if (operator === 'and' && truthiness(left) === false) return left;
  if (operator === 'or' && truthiness(left) === true) return left;
  const right = rt.evaluate(rightNode, scope);
  return arithmetic(rt, { node, operator: parts[1], left: leftNode, right: rightNode }, operator, left, right);
}

/** Where an operation is written: the whole expression (or `x += y` statement), its operator and operands. */
export interface OperationWriting {
  node: SyntaxNode;
  operator: SyntaxNode;
  left: SyntaxNode;
  right: SyntaxNode;
}

/**
 * `left op right` once both sides are evaluated. Tensor arithmetic of two tensors is a node of the graph (`x +
 * shortcut`, also written `x += shortcut`); a tensor times or over a number (`x * 0.5`) is a `Rescaling`; any
 * other arithmetic of a tensor and a number (`x + 1`) stays the tensor.
 */
export function arithmetic(rt: Runtime, writing: OperationWriting, operator: string, left: PyValue, right: PyValue): PyValue {
  if (left.t !== 'tensor' && right.t !== 'tensor') return binaryOperation(left, operator, right);
  // `inputs @ self.w`: a custom layer's weight applied as a dense kernel.
  if (operator === '@') {
    const args = { positional: [{ value: left, span: spanOf(writing.left) }, { value: right, span: spanOf(writing.right) }], keyword: new Map() };
    const kernel = applyWeight(rt, 'matmul', args, spanOf(writing.node));
    if (kernel) return kernel;
  }
  const scaled = constantScale(rt, writing, operator, left, right);
  if (scaled) return scaled;
  const callee = TENSOR_OPERATIONS[operator];
  if (!callee || left.t !== 'tensor' || right.t !== 'tensor') return left.t === 'tensor' ? left : right;
  const site: CallSite = {
    callee,
    calleeSpan: spanOf(writing.operator),
    span: spanOf(writing.node),
    positional: [{ span: spanOf(writing.left), value: { kind: 'unknown' } }, { span: spanOf(writing.right), value: { kind: 'unknown' } }],
    keyword: {},
    // An operator takes no keyword argument; nothing the core inserts into an add applies here.
    insertAt: { offset: writing.node.to, prefix: '', suffix: '' },
  };
  return { t: 'tensor', node: rt.book.apply(site, [left.node, right.node], false, rt.loopRepeat()) };
}

/**
 * `t * 0.1`, `0.1 * t`, `t / 8`: a tensor scaled by a known number is a `Rescaling(c)` node, so a residual
 * branch's scale (EDSR's `Lambda(lambda t: t * scaling)`) is read. A tensor times a custom layer's weight
 * (SkipInit's `inputs * self.alpha`, ReZero's `self.alpha * h`) is a Rescaling by that weight, a scale the core
 * cannot read. Other arithmetic with a number keeps the tensor.
 */
function constantScale(rt: Runtime, writing: OperationWriting, operator: string, left: PyValue, right: PyValue): PyValue | undefined {
  const [tensor, number, numberNode] = left.t === 'tensor' ? [left, right, writing.right] : [right, left, writing.left];
  if (tensor.t !== 'tensor') return undefined;
  const weight = operator === '*' && number.t === 'call' && number.site.callee === WEIGHT_CALLEE ? number.site : undefined;
  if (!weight && (number.t !== 'num' || !Number.isFinite(number.v))) return undefined;
  const scale = number.t !== 'num' ? undefined : operator === '*' ? number.v : operator === '/' && tensor === left && number.v !== 0 ? 1 / number.v : undefined;
  if (!weight && (scale === undefined || scale === 1)) return undefined;
  const site: CallSite = {
    callee: 'keras.layers.Rescaling',
    calleeSpan: spanOf(writing.operator),
    span: spanOf(writing.node),
    positional: [{ span: spanOf(numberNode), value: weight ? { kind: 'call', call: weight } : { kind: 'number', value: scale! } }],
    keyword: {},
    insertAt: { offset: writing.node.to, prefix: '', suffix: '' },
  };
  return { t: 'tensor', node: rt.book.apply(site, [tensor.node], false, rt.loopRepeat()) };
}

function member(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  // `a.b` (most members) needs only its first and last children; a subscript reads them all.
  const objectNode = firstChildOf(node);
  if (!objectNode) return UNKNOWN;
  const object = rt.evaluate(objectNode, scope);
  const last = lastChildOf(node);
  const property = last?.name === 'PropertyName' ? last : undefined;
  if (property) {
    const name = rt.source.slice(property);
    // `model.layers`: the layers a model of the file holds, each the call that made it.
    if (name === 'layers' && (object.t === 'sequential' || object.t === 'functional')) return { t: 'list', items: modelLayers(rt, object) };
    // `base_model.output` of a Keras application or loaded model: the tensor it puts out, of its own input.
    if ((name === 'output' || name === 'input' || name === 'outputs' || name === 'inputs') && object.t === 'call' && isPretrainedClass(lastSegment(object.site.callee))) {
      const ends = rt.book.pretrainedEnds(object.site);
      return { t: 'tensor', node: name.startsWith('output') ? ends.output : ends.input };
    }
    if (name === 'shape' && object.t === 'tensor') return tensorShape(rt.book, object.node);
    return attribute(object, name);
  }
  // Lezer's grammar reads the float `2.` (`VarianceScaling(scale=2.)`) as a member of `2` with no name: it is
  // the number, up to its dot.
  if (objectNode.name === 'Number' && object.t === 'num' && objectNode.nextSibling?.name === '.') {
    return { t: 'num', v: object.v, span: { start: objectNode.from, end: objectNode.nextSibling.to } };
  }
  // Subscript `x[0]`, `x[-1]`, `x[1:3]`, `x[::-1]`.
  const parts = childrenOf(node);
  const inside = parts.slice(2, parts[parts.length - 1]?.name === ']' ? -1 : undefined);
  const colons = inside.flatMap((part, index) => (part.name === ':' ? [index] : []));
  if (!colons.length) return inside[0] ? subscript(object, rt.evaluate(inside[0], scope)) : UNKNOWN;
  if (colons.length > 2 || inside.some((part) => part.name === ',')) return object.t === 'tensor' ? object : UNKNOWN;
  // The expression between two bounds (or the list's ends), if one is written there.
  const between = (from: number, to: number) => (to - from === 2 ? rt.evaluate(inside[from + 1], scope) : undefined);
  const [first, second = inside.length] = colons;
  return slice(object, between(-1, first), between(first, second), colons.length === 2 ? between(second, inside.length) : undefined);
}

function lambda(rt: Runtime, node: SyntaxNode, scope: Scope): PyValue {
  const params = parameters(rt, childNamed(node, 'ParamList'), scope);
  const activation = activationOfFunction(rt.source, node, params);
  return { t: 'function', fn: { name: 'lambda', params, syntax: node, executed: true, isMethod: false, ...(activation ? { activation } : {}) }, closure: scope };
}

/**
 * A `def`'s or `lambda`'s parameters, each default evaluated where it is written, as Python does. A default is an
 * expression, not a parameter: `def create(input_shape=input_shape)` has one parameter whose default is the
 * global (`lambda x, s=scale: x * s` captures the scale the same way).
 */
export function parameters(rt: Runtime, paramList: SyntaxNode | null, scope: Scope): Param[] {
  const params: Param[] = [];
  const parts = paramList ? childrenOf(paramList) : [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].name !== 'VariableName') continue;
    const marker = parts[i - 1]?.name;
    const param: Param = { name: rt.source.slice(parts[i]), kind: marker === '*' ? 'args' : marker === '**' ? 'kwargs' : 'plain' };
    let next = i + 1;
    if (parts[next]?.name === 'TypeDef') next++;
    if (parts[next]?.name === 'AssignOp' && parts[next + 1]) {
      param.defaultValue = rt.evaluate(parts[next + 1], scope);
      i = next + 1;
    }
    params.push(param);
  }
  return params;
}

/** `d[key] = value`, `items[i] = value`: a key that cannot be known leaves the dict's size unknown. */
function setItem(object: Extract<PyValue, { t: 'dict' | 'list' }>, key: PyValue, value: PyValue): void {
  if (object.t === 'dict') {
    if (key.t === 'str') object.entries.set(key.v, value);
    else object.open = true;
    return;
  }
  const index = key.t === 'num' && Number.isInteger(key.v) ? (key.v < 0 ? object.items.length + key.v : key.v) : -1;
  if (index >= 0 && index < object.items.length) object.items[index] = value;
}

/**
 * Binds assignment / loop targets: a name, `self.attr`, `items[0]`, or a tuple of targets (`i, (a, b)`),
 * with one `*rest` target taking what the others leave.
 */
export function bindTargets(rt: Runtime, targets: SyntaxNode[], value: PyValue, scope: Scope): void {
  // One target, as most are (`x = …`, `for i in …`).
  if (targets.length === 1 && targets[0].name !== '*' && !isPunctuation(targets[0])) {
    bindTarget(rt, targets[0], value, scope);
    return;
  }
  const names = targets.filter((target) => !isPunctuation(target));
  if (names.length === 1 && names[0].name !== '*') {
    bindTarget(rt, names[0], value, scope);
    return;
  }
  // A layer with several outputs (`out, h, c = LSTM(…, return_state=True)(x)`) is one node of the graph:
  // each target is that node's output, as `value[i]` is.
  const items = value.t === 'tensor' ? names.map(() => value) : itemsOf(value, 100_000)?.items;
  let index = 0;
  for (let i = 0; i < names.length; i++) {
    if (names[i].name === '*' && names[i + 1]) {
      const rest = items ? items.length - (names.length - i - 2) : 0;
      bindTarget(rt, names[++i], items ? { t: 'list', items: items.slice(index, Math.max(index, rest)) } : UNKNOWN, scope);
      index = Math.max(index, rest);
      continue;
    }
    bindTarget(rt, names[i], items?.[index++] ?? UNKNOWN, scope);
  }
}

function bindTarget(rt: Runtime, target: SyntaxNode, value: PyValue, scope: Scope): void {
  switch (target.name) {
    case 'VariableName':
      scope.set(rt.source.slice(target), value);
      return;
    case 'MemberExpression': {
      // `self.dense = Dense(…)`, `self.blocks[0] = …`, `labels[name] = i`
      const parts = childrenOf(target);
      const object = parts[0] ? rt.evaluate(parts[0], scope) : UNKNOWN;
      const property = parts[parts.length - 1];
      if (object.t === 'object' && property?.name === 'PropertyName') object.attrs.set(rt.source.slice(property), value);
      if (object.t === 'call' && property?.name === 'PropertyName' && parts[0]) noteInitializerAssignment(rt, target, parts[0], rt.source.slice(property), object.site, value);
      if (object.t === 'class' && property?.name === 'PropertyName') object.cls.attrs.set(rt.source.slice(property), value);
      if ((object.t === 'dict' || object.t === 'list') && parts[1]?.name === '[' && parts[2]) setItem(object, rt.evaluate(parts[2], scope), value);
      return;
    }
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'ParenthesizedExpression':
      bindTargets(rt, childrenOf(target), value, scope);
      return;
    default:
      return;
  }
}


/** `layer.kernel_initializer = value` on a layer the file made: recorded with whether the layer was built then. */
function noteInitializerAssignment(rt: Runtime, target: SyntaxNode, objectNode: SyntaxNode, field: string, site: CallSite, value: PyValue): void {
  const statement = target.parent;
  const valueNode = statement?.lastChild;
  if (!isInitializerAttribute(field) || statement?.name !== 'AssignStatement' || !valueNode || valueNode === target) return;
  rt.book.builds.assign(site, writtenAssignment(rt.source, statement, objectNode, field, toArg(value, spanOf(valueNode))));
}
