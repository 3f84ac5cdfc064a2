/** Evaluating Python expressions for the Keras interpreter: literals, names, arithmetic, lists, and calls. */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, CallSite, InsertionPoint } from '../../core/ir';
import type { KerasInterpreter } from './interpreter';
import { Scope, toArg, UNKNOWN, withSpan, type PyValue } from './values';

const MAX_RANGE = 100_000;
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}', ',']);

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

export function evaluateExpression(run: KerasInterpreter, node: SyntaxNode, scope: Scope): PyValue {
  const span = run.span(node);
  switch (node.name) {
    case 'Number': {
      const value = Number(run.slice(node).replace(/_/g, ''));
      return Number.isFinite(value) ? { t: 'num', v: value, span } : { t: 'unknown', span };
    }
    case 'String': return { t: 'str', v: stringValue(run.slice(node)), span };
    case 'ContinuedString': return { t: 'str', v: childrenOf(node).map((part) => stringValue(run.slice(part))).join(''), span };
    case 'Boolean': return { t: 'bool', v: run.slice(node) === 'True', span };
    case 'None': return { t: 'none', span };
    case 'VariableName': {
      const name = run.slice(node);
      // The value itself (shared, as Python shares it); an argument takes its span from where it is written.
      const value = scope.get(name);
      if (value) return value;
      return { t: 'ref', path: run.calleePath(node, scope), span };
    }
    case 'ParenthesizedExpression': {
      const inner = childrenOf(node).find((child) => !BRACKETS.has(child.name));
      return inner ? withSpan(evaluateExpression(run, inner, scope), span) : UNKNOWN;
    }
    case 'TupleExpression':
    case 'ArrayExpression': return { t: 'list', items: listItems(run, node, scope), span };
    case 'ArrayComprehensionExpression': return { t: 'list', items: comprehension(run, node, scope), span };
    case 'UnaryExpression': {
      const [op, operand] = childrenOf(node);
      const value = operand ? evaluateExpression(run, operand, scope) : UNKNOWN;
      const symbol = run.slice(op);
      if (value.t === 'num' && symbol === '-') return { t: 'num', v: -value.v, span };
      if (value.t === 'num' && symbol === '+') return { ...value, span };
      return { t: 'unknown', span };
    }
    case 'BinaryExpression': {
      const [left, op, right] = childrenOf(node);
      if (!left || !op || !right) return UNKNOWN;
      const leftValue = evaluateExpression(run, left, scope);
      const rightValue = evaluateExpression(run, right, scope);
      const symbol = run.slice(op);
      // `x + y` of two tensors is a residual Add in a functional model.
      if (symbol === '+' && leftValue.t === 'tensor' && rightValue.t === 'tensor') return applyNode(run, syntheticAdd(run, node), [leftValue.node, rightValue.node]);
      return withSpan(run.binary(leftValue, symbol, rightValue), span);
    }
    case 'ConditionalExpression': {
      const [whenTrue, , condition, , whenFalse] = childrenOf(node);
      const test = condition ? evaluateExpression(run, condition, scope) : UNKNOWN;
      const chosen = test.t === 'bool' && !test.v || test.t === 'none' || (test.t === 'num' && test.v === 0) ? whenFalse : whenTrue;
      return chosen ? evaluateExpression(run, chosen, scope) : UNKNOWN;
    }
    case 'MemberExpression': return member(run, node, scope);
    case 'CallExpression': return call(run, node, scope);
    case 'LambdaExpression': return { t: 'func', node: { name: 'lambda', params: lambdaParams(run, node), syntax: node, executed: true }, closure: scope, span };
    default: return { t: 'unknown', span };
  }
}

function stringValue(literal: string): string {
  const body = literal.replace(/^[rRbBuUfF]+/, '');
  const quote = body.startsWith('"""') || body.startsWith("'''") ? 3 : 1;
  return body.slice(quote, Math.max(quote, body.length - quote));
}

function lambdaParams(run: KerasInterpreter, node: SyntaxNode) {
  const params = node.getChild('ParamList');
  return params ? childrenOf(params).filter((child) => child.name === 'VariableName').map((child) => ({ name: run.slice(child) })) : [];
}

function listItems(run: KerasInterpreter, node: SyntaxNode, scope: Scope): PyValue[] {
  const items: PyValue[] = [];
  const parts = childrenOf(node);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (BRACKETS.has(part.name)) continue;
    if (part.name === '*' && parts[i + 1]) {
      const spread = evaluateExpression(run, parts[++i], scope);
      if (spread.t === 'list') items.push(...spread.items);
      continue;
    }
    items.push(evaluateExpression(run, part, scope));
  }
  return items;
}

/** `[Dense(64) for _ in range(20)]`: the element repeated per item, with the loop variable bound. */
function comprehension(run: KerasInterpreter, node: SyntaxNode, scope: Scope): PyValue[] {
  const parts = childrenOf(node).filter((part) => part.name !== '[' && part.name !== ']');
  const forIndex = parts.findIndex((part) => part.name === 'for');
  const inIndex = parts.findIndex((part) => part.name === 'in');
  if (forIndex < 1 || inIndex < 0 || !parts[inIndex + 1]) return [];
  const element = parts[0];
  const targets = parts.slice(forIndex + 1, inIndex).filter((part) => part.name === 'VariableName');
  const iterable = evaluateExpression(run, parts[inIndex + 1], scope);
  const items = iterable.t === 'list' ? iterable.items : [UNKNOWN];
  const local = new Scope(scope);
  const result: PyValue[] = [];
  items.forEach((item, iteration) => {
    if (targets.length === 1) local.set(run.slice(targets[0]), item);
    run.pushLoop({ iteration, count: items.length });
    try {
      result.push(evaluateExpression(run, element, local));
    } finally {
      run.popLoop();
    }
  });
  return result;
}

function member(run: KerasInterpreter, node: SyntaxNode, scope: Scope): PyValue {
  const span = run.span(node);
  const [objectNode] = childrenOf(node);
  const property = node.getChild('PropertyName');
  if (!objectNode) return UNKNOWN;
  const object = evaluateExpression(run, objectNode, scope);
  if (property) {
    const name = run.slice(property);
    if (object.t === 'object') return object.attrs.get(name) ?? UNKNOWN;
    if (object.t === 'ref') return { t: 'ref', path: `${object.path}.${name}`, span };
    return { t: 'unknown', span };
  }
  // Subscript `x[0]`, `x[-1]`: on lists with a constant index.
  const index = childrenOf(node).find((child, position) => position > 0 && !BRACKETS.has(child.name));
  const key = index ? evaluateExpression(run, index, scope) : UNKNOWN;
  if (object.t === 'list' && key.t === 'num' && Number.isInteger(key.v)) {
    const item = object.items[key.v < 0 ? object.items.length + key.v : key.v];
    return item ?? UNKNOWN;
  }
  return { t: 'unknown', span };
}

interface ParsedArgs {
  positional: PyValue[];
  keyword: Record<string, PyValue>;
  site: Pick<CallSite, 'positional' | 'keyword' | 'insertAt'>;
}

function readArgs(run: KerasInterpreter, argList: SyntaxNode | null, scope: Scope, callEnd: number): ParsedArgs {
  const positional: PyValue[] = [];
  const keyword: Record<string, PyValue> = {};
  const site: ParsedArgs['site'] = { positional: [], keyword: {}, insertAt: { offset: callEnd, prefix: '', suffix: '' } };
  if (!argList) return { positional, keyword, site };
  const parts = childrenOf(argList);
  let lastArgumentEnd = -1;
  let trailingComma = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === '(' || part.name === ')') continue;
    if (part.name === ',') {
      trailingComma = true;
      lastArgumentEnd = part.to;
      continue;
    }
    trailingComma = false;
    if ((part.name === '*' || part.name === '**') && parts[i + 1]) {
      lastArgumentEnd = parts[++i].to;
      continue;
    }
    if (part.name === 'VariableName' && parts[i + 1]?.name === 'AssignOp' && parts[i + 2]) {
      const name = run.slice(part);
      const valueNode = parts[i + 2];
      const value = evaluateExpression(run, valueNode, scope);
      keyword[name] = value;
      site.keyword[name] = toArg(value, run.span(valueNode));
      lastArgumentEnd = valueNode.to;
      i += 2;
      continue;
    }
    const value = evaluateExpression(run, part, scope);
    positional.push(value);
    site.positional.push(toArg(value, run.span(part)));
    lastArgumentEnd = part.to;
  }
  const close = parts.find((part) => part.name === ')');
  const insertAt: InsertionPoint = lastArgumentEnd < 0
    ? { offset: close ? close.from : argList.to, prefix: '', suffix: close ? '' : ')' }
    : { offset: lastArgumentEnd, prefix: trailingComma ? ' ' : ', ', suffix: '' };
  site.insertAt = insertAt;
  return { positional, keyword, site };
}

function call(run: KerasInterpreter, node: SyntaxNode, scope: Scope): PyValue {
  const span = run.span(node);
  const calleeNode = node.firstChild;
  if (!calleeNode) return UNKNOWN;
  const argList = node.getChild('ArgList');
  const args = readArgs(run, argList, scope, node.to);

  // Methods that build models and lists: model.add(…), layers.append(…), layers.extend(…).
  if (calleeNode.name === 'MemberExpression') {
    const property = calleeNode.getChild('PropertyName');
    const method = property ? run.slice(property) : '';
    if (['add', 'append', 'extend', 'insert'].includes(method) && calleeNode.firstChild) {
      const target = evaluateExpression(run, calleeNode.firstChild, scope);
      const argument = method === 'insert' ? args.positional[1] : args.positional[0];
      if (target.t === 'sequential' && argument) {
        run.appendToSequential(target.model, argument);
        return { t: 'none', span };
      }
      if (target.t === 'list' && argument) {
        if (method === 'extend' && argument.t === 'list') target.items.push(...argument.items);
        else if (method !== 'extend') target.items.push(argument);
        return { t: 'none', span };
      }
    }
  }

  const calleeValue = calleeNode.name === 'CallExpression' || calleeNode.name === 'MemberExpression' || calleeNode.name === 'VariableName'
    ? evaluateExpression(run, calleeNode, scope)
    : UNKNOWN;
  if (calleeValue.t === 'layer') return applyLayer(run, calleeValue, args.positional);
  if (calleeValue.t === 'func') return run.callFunction(calleeValue.node, args.positional, args.keyword, calleeValue.closure);
  if (calleeValue.t === 'sequential') return firstTensor(args.positional) ?? UNKNOWN;

  const path = run.calleePath(calleeNode, scope);
  const name = path.slice(path.lastIndexOf('.') + 1);
  const site: CallSite = { callee: path, calleeSpan: run.span(calleeNode), span, ...args.site };
  switch (name) {
    case 'range': return rangeOf(args.positional, span);
    case 'len': return args.positional[0]?.t === 'list' ? { t: 'num', v: args.positional[0].items.length, span } : UNKNOWN;
    case 'list':
    case 'tuple': return args.positional[0] ?? { t: 'list', items: [], span };
    case 'int':
    case 'float': return args.positional[0]?.t === 'num' ? { t: 'num', v: name === 'int' ? Math.trunc(args.positional[0].v) : args.positional[0].v, span } : UNKNOWN;
    case 'Sequential': {
      const build = run.newSequential(run.statementSpan() ?? span, run.assignmentName());
      const layers = args.keyword.layers ?? args.positional[0];
      if (layers) run.appendToSequential(build, layers);
      const nameArg = args.keyword.name;
      if (nameArg?.t === 'str' && !run.assignmentName()) build.name = nameArg.v;
      return { t: 'sequential', model: build, span };
    }
    case 'Input': {
      const id = run.graph.push({ inputs: [], inputShape: site.keyword.shape ?? site.positional[0] ?? site.keyword.batch_shape }) - 1;
      return { t: 'tensor', node: id, span };
    }
    default: break;
  }
  if (run.isModelConstructor(path)) {
    const outputs = args.keyword.outputs ?? args.positional[1];
    const nodes = outputs ? run.tensorNodes(outputs) : [];
    if (nodes.length) run.addFunctionalModel(run.assignmentName() ?? `Model@${run.lineOf(span.start)}`, 'functional', run.statementSpan() ?? span, nodes);
    return { t: 'unknown', span };
  }
  if (run.isLayerClass(path)) {
    const tensors = args.positional.flatMap((value) => run.tensorNodes(value));
    // Functional forms `layers.add([a, b])` construct and apply at once.
    if (/^[a-z]/.test(name)) return applyNode(run, site, tensors);
    return { t: 'layer', call: site, repeat: run.currentRepeat(), span };
  }
  const tensors = args.positional.flatMap((value) => run.tensorNodes(value));
  if (tensors.length && run.isActivationFunction(path)) return applyNode(run, site, tensors.slice(0, 1));
  // Any other function of a tensor (tf.reshape, a custom op): the signal passes through.
  if (tensors.length) return { t: 'tensor', node: tensors[0], span };
  return { t: 'call', call: site, span };
}

function firstTensor(values: PyValue[]): PyValue | undefined {
  return values.find((value) => value.t === 'tensor');
}

function rangeOf(args: PyValue[], span: { start: number; end: number }): PyValue {
  const numbers = args.map((arg) => (arg.t === 'num' ? arg.v : NaN));
  if (!numbers.length || numbers.some(Number.isNaN)) return { t: 'unknown', span };
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
  const items: PyValue[] = [];
  if (step === 0) return { t: 'unknown', span };
  for (let value = start; step > 0 ? value < stop : value > stop; value += step) {
    items.push({ t: 'num', v: value });
    if (items.length >= MAX_RANGE) break;
  }
  return { t: 'list', items, span };
}

function applyLayer(run: KerasInterpreter, layer: Extract<PyValue, { t: 'layer' }>, args: PyValue[]): PyValue {
  let inputs = args.flatMap((value) => run.tensorNodes(value));
  // A layer applied to something we cannot see (a parameter): treat it as the model input.
  if (!inputs.length) inputs = [run.graph.push({ inputs: [] }) - 1];
  return applyNode(run, layer.call, inputs, layer.repeat);
}

function applyNode(run: KerasInterpreter, site: CallSite, inputs: number[], repeat?: { iteration: number; count: number }): PyValue {
  const id = run.graph.push({ call: site, inputs, repeat: run.currentRepeat() ?? repeat }) - 1;
  return { t: 'tensor', node: id, span: site.span };
}

function syntheticAdd(run: KerasInterpreter, node: SyntaxNode): CallSite {
  const span = run.span(node);
  return { callee: 'keras.layers.Add', calleeSpan: span, span, positional: [], keyword: {}, insertAt: { offset: -1, prefix: '', suffix: '' } };
}

export type { Arg };
