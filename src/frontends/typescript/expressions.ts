/**
 * Expressions to values: literals, containers, names through scopes (unbound names become references
 * with their written path), member access, operators, assignments, closures and calls.
 */
import type * as ts from 'typescript';
import { evaluateCall, memberKey } from './calls';
import { memberPath } from '../paths';
import { unwrap } from './callSites';
import { binary, globalConstant, unary } from './operators';
import type { Evaluator } from './state';
import { bindVueInstance } from './vueOptions';
import {
  iterableItems, numberValue, stringValue, truthiness, UNDEFINED, UNKNOWN,
  type ObjectValue, type Scope, type Slot, type Value,
} from './values';

/** Compound assignment operators and the binary operator each applies. */
const COMPOUND: Record<string, string> = {
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '%=': '%', '**=': '**', '<<=': '<<', '>>=': '>>', '>>>=': '>>>', '&=': '&', '|=': '|', '^=': '^',
};

export function evaluateExpression(ev: Evaluator, node: ts.Expression, scope: Scope): Value {
  ev.state.tick();
  const kind = ev.syntax;
  switch (node.kind) {
    case kind.NumericLiteral: return numberValue(Number((node as ts.NumericLiteral).text));
    case kind.StringLiteral:
    case kind.NoSubstitutionTemplateLiteral: return stringValue((node as ts.StringLiteral).text);
    case kind.TrueKeyword: return { kind: 'boolean', value: true };
    case kind.FalseKeyword: return { kind: 'boolean', value: false };
    case kind.NullKeyword: return { kind: 'null' };
    case kind.ThisKeyword: return scope.lookup('this')?.value ?? UNKNOWN;
    case kind.Identifier: return identifier((node as ts.Identifier).text, scope);
    case kind.TemplateExpression: return template(ev, node as ts.TemplateExpression, scope);
    case kind.ArrayLiteralExpression: return arrayLiteral(ev, node as ts.ArrayLiteralExpression, scope);
    case kind.ObjectLiteralExpression: return objectLiteral(ev, node as ts.ObjectLiteralExpression, scope);
    case kind.PropertyAccessExpression:
    case kind.ElementAccessExpression: return member(ev, node as ts.AccessExpression, scope);
    case kind.CallExpression:
    case kind.NewExpression: return evaluateCall(ev, node as ts.CallExpression | ts.NewExpression, scope);
    case kind.BinaryExpression: return binaryExpression(ev, node as ts.BinaryExpression, scope);
    case kind.PrefixUnaryExpression: return prefixUnary(ev, node as ts.PrefixUnaryExpression, scope);
    case kind.PostfixUnaryExpression: return update(ev, node as ts.PostfixUnaryExpression, scope, false);
    case kind.ConditionalExpression: return conditional(ev, node as ts.ConditionalExpression, scope).value;
    case kind.ArrowFunction:
    case kind.FunctionExpression: return closure(ev, node as ts.ArrowFunction, scope);
    case kind.ClassExpression: return ev.classExpression(node as ts.ClassExpression, scope);
    case kind.ParenthesizedExpression:
    case kind.AsExpression:
    case kind.SatisfiesExpression:
    case kind.NonNullExpression:
    case kind.TypeAssertionExpression:
    case kind.AwaitExpression:
    case kind.ExpressionWithTypeArguments: return ev.evaluate((node as ts.ParenthesizedExpression).expression, scope);
    case kind.VoidExpression:
      ev.evaluate((node as ts.VoidExpression).expression, scope);
      return UNDEFINED;
    default: return UNKNOWN;
  }
}

/** A declared name's value; an undeclared one is a global or import-less name kept as written. */
function identifier(name: string, scope: Scope): Value {
  const binding = scope.lookup(name);
  if (binding) return binding.value;
  if (name === 'undefined') return UNDEFINED;
  if (name === 'NaN') return numberValue(NaN);
  if (name === 'Infinity') return numberValue(Infinity);
  return { kind: 'reference', path: name };
}

function template(ev: Evaluator, node: ts.TemplateExpression, scope: Scope): Value {
  let text = node.head.text;
  let known = true;
  for (const part of node.templateSpans) {
    const value = ev.evaluate(part.expression, scope);
    if (value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean') text += String(value.value);
    else known = false;
    text += part.literal.text;
  }
  return known ? stringValue(text) : UNKNOWN;
}

function arrayLiteral(ev: Evaluator, node: ts.ArrayLiteralExpression, scope: Scope): Value {
  const items: Slot[] = [];
  for (const element of node.elements) {
    const span = ev.span(element);
    if (element.kind === ev.syntax.SpreadElement) {
      // An unknown spread keeps one unknown item so the known elements around it still count.
      const spread = ev.evaluate((element as ts.SpreadElement).expression, scope);
      items.push(...(iterableItems(spread, span) ?? [{ value: UNKNOWN, span }]));
    } else if (element.kind === ev.syntax.OmittedExpression) {
      items.push({ value: UNDEFINED, span });
    } else {
      items.push(evaluateSlot(ev, element, scope));
    }
  }
  return { kind: 'array', items };
}

function objectLiteral(ev: Evaluator, node: ts.ObjectLiteralExpression, scope: Scope): Value {
  const kind = ev.syntax;
  const object: ObjectValue = { kind: 'object', props: new Map(), complete: true };
  let hasMethods = false;
  for (const property of node.properties) {
    if (property.kind === kind.PropertyAssignment) {
      const key = propertyKey(ev, property.name, scope);
      const slot = evaluateSlot(ev, property.initializer, scope);
      const value = slot.value;
      if (key === undefined) {
        object.complete = false;
        continue;
      }
      object.props.set(key, slot);
      if (value.kind === 'function') nameFunction(value, key, ev.span(property));
    } else if (property.kind === kind.ShorthandPropertyAssignment) {
      object.props.set(property.name.text, { value: identifier(property.name.text, scope), span: ev.span(property.name) });
    } else if (property.kind === kind.SpreadAssignment) {
      const spread = ev.evaluate(property.expression, scope);
      if (spread.kind === 'object') {
        for (const [key, slot] of spread.props) object.props.set(key, slot);
        object.complete &&= spread.complete;
      } else if (spread.kind !== 'null' && spread.kind !== 'undefined') {
        object.complete = false;
      }
    } else if (property.kind === kind.MethodDeclaration) {
      hasMethods = true;
      const key = propertyKey(ev, property.name, scope);
      const value = closure(ev, property, scope, object, key);
      if (key === undefined) object.complete = false;
      else object.props.set(key, { value, span: ev.span(property) });
    } else {
      object.complete = false;
    }
  }
  // A layer's config has no methods: only an object that has some may be a Vue component's options.
  if (hasMethods) bindVueInstance(ev, object);
  return object;
}

export function propertyKey(ev: Evaluator, name: ts.PropertyName, scope: Scope): string | undefined {
  const kind = ev.syntax;
  // `#net`: a private field is keyed by its name with the `#`, as `this.#net` reads it.
  switch (name.kind) {
    case kind.Identifier:
    case kind.PrivateIdentifier:
    case kind.StringLiteral:
    case kind.NoSubstitutionTemplateLiteral: return name.text;
    case kind.NumericLiteral: return String(Number(name.text));
    case kind.ComputedPropertyName: return memberKey(ev, name.expression, scope);
    default: return undefined;
  }
}

function member(ev: Evaluator, node: ts.AccessExpression, scope: Scope): Value {
  const receiver = ev.evaluate(node.expression, scope);
  const key = node.kind === ev.syntax.PropertyAccessExpression ? node.name.text : memberKey(ev, node.argumentExpression, scope);
  return key === undefined ? UNKNOWN : memberOf(receiver, key);
}

export function memberOf(receiver: Value, key: string): Value {
  switch (receiver.kind) {
    case 'reference': {
      const path = memberPath(receiver.path, key);
      return globalConstant(path) ?? { kind: 'reference', path };
    }
    case 'array':
    case 'string': {
      const length = receiver.kind === 'array' ? receiver.items.length : receiver.value.length;
      if (key === 'length') return numberValue(length);
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0) return UNKNOWN;
      if (index >= length) return UNDEFINED;
      return receiver.kind === 'array' ? receiver.items[index].value : stringValue(receiver.value[index]);
    }
    case 'object':
      return receiver.props.get(key)?.value ?? (receiver.complete ? UNDEFINED : UNKNOWN);
    case 'class':
      return memberOf(receiver.instance, key);
    case 'tensor':
      // `const [out, stateH] = gru.apply(x)`: every output of one application comes from that application.
      return /^\d+$/.test(key) ? receiver : UNKNOWN;
    case 'model': {
      // `encoder.apply(encoder.inputs)`, `tf.model({inputs: base.inputs, …})`: a functional model's own tensors.
      const { model } = receiver;
      const tensors = model.style === 'functional' && (key === 'inputs' || key === 'outputs') ? model[key] : undefined;
      return tensors?.length ? { kind: 'array', items: tensors.map((node) => ({ value: { kind: 'tensor', node }, span: model.fallbackSpan })) } : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

function binaryExpression(ev: Evaluator, node: ts.BinaryExpression, scope: Scope): Value {
  const kind = ev.syntax;
  const operator = node.operatorToken.kind;
  if (operator === kind.EqualsToken) return assign(ev, node.left, ev.evaluate(node.right, scope), node, scope);
  if (operator === kind.CommaToken) {
    ev.evaluate(node.left, scope);
    return ev.evaluate(node.right, scope);
  }
  const text = ev.tokenText(operator) ?? '';
  if (text === '&&' || text === '||' || text === '??') return logical(ev, text, node.left, node.right, scope).value;
  if (text === '&&=' || text === '||=' || text === '??=') {
    return assign(ev, node.left, logical(ev, text.slice(0, 2), node.left, node.right, scope).value, node, scope);
  }
  const left = ev.evaluate(node.left, scope);
  const right = ev.evaluate(node.right, scope);
  if (Object.hasOwn(COMPOUND, text)) return assign(ev, node.left, binary(COMPOUND[text], left, right), node, scope);
  return binary(text, left, right);
}

/**
 * `a && b`, `a || b`, `a ?? b`. When `a` is unknown (an options parameter nobody passed), `||` and `??`
 * assume the written default `b`: that is the model the file describes when run as written.
 */
function logical(ev: Evaluator, operator: string, leftNode: ts.Expression, rightNode: ts.Expression, scope: Scope): Slot {
  const left = evaluateSlot(ev, leftNode, scope);
  const decided = operator === '??'
    ? (left.value.kind === 'unknown' ? undefined : left.value.kind !== 'null' && left.value.kind !== 'undefined')
    : truthiness(left.value);
  if (decided === undefined) {
    const right = evaluateSlot(ev, rightNode, scope);
    return operator === '&&' ? { value: UNKNOWN, span: right.span } : right;
  }
  const keepLeft = operator === '&&' ? !decided : decided;
  return keepLeft ? left : evaluateSlot(ev, rightNode, scope);
}

function prefixUnary(ev: Evaluator, node: ts.PrefixUnaryExpression, scope: Scope): Value {
  const kind = ev.syntax;
  if (node.operator === kind.PlusPlusToken || node.operator === kind.MinusMinusToken) return update(ev, node, scope, true);
  return unary(ev.tokenText(node.operator) ?? '', ev.evaluate(node.operand, scope));
}

/** `i++`, `--i` on a name: the new value is stored, the old or new one returned. */
function update(ev: Evaluator, node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression, scope: Scope, prefix: boolean): Value {
  const old = ev.evaluate(node.operand, scope);
  const next = binary(node.operator === ev.syntax.PlusPlusToken ? '+' : '-', old, numberValue(1));
  assign(ev, node.operand, next, node, scope);
  return prefix ? next : old;
}

/** An unknown condition evaluates both branches and keeps the first that is known (a guess that keeps graphs connected). */
function conditional(ev: Evaluator, node: ts.ConditionalExpression, scope: Scope): Slot {
  const condition = truthiness(ev.evaluate(node.condition, scope));
  if (condition === true) return evaluateSlot(ev, node.whenTrue, scope);
  if (condition === false) return evaluateSlot(ev, node.whenFalse, scope);
  const whenTrue = evaluateSlot(ev, node.whenTrue, scope);
  const whenFalse = evaluateSlot(ev, node.whenFalse, scope);
  return whenTrue.value.kind === 'unknown' ? whenFalse : whenTrue;
}

/**
 * A value with the span of the expression that wrote it: for `c ? a : b`, `a ?? b` and `a || b`, the
 * operand chosen, so a fix of `options.init ?? 'glorotNormal'` replaces the default, not the option.
 */
export function evaluateSlot(ev: Evaluator, node: ts.Expression, scope: Scope): Slot {
  const kind = ev.syntax;
  let written = node;
  while (written.kind === kind.ParenthesizedExpression) written = (written as ts.ParenthesizedExpression).expression;
  if (written.kind === kind.ConditionalExpression) return conditional(ev, written as ts.ConditionalExpression, scope);
  if (written.kind === kind.BinaryExpression) {
    const binaryNode = written as ts.BinaryExpression;
    const operator = binaryNode.operatorToken.kind;
    if (operator === kind.QuestionQuestionToken || operator === kind.BarBarToken) {
      return logical(ev, operator === kind.BarBarToken ? '||' : '??', binaryNode.left, binaryNode.right, scope);
    }
  }
  return { value: ev.evaluate(node, scope), span: ev.span(node) };
}

/**
 * Stores `value` in a name, an object property or an array element; other targets (destructuring)
 * are ignored. A model assigned to a name is named by it: `model = tf.sequential()`.
 */
export function assign(ev: Evaluator, target: ts.Expression, value: Value, node: ts.Expression, scope: Scope): Value {
  const kind = ev.syntax;
  target = unwrap(ev, target);
  const journal = ev.state.journal;
  if (target.kind === kind.Identifier) {
    const name = (target as ts.Identifier).text;
    // An undeclared name is not ours to track.
    const binding = scope.lookup(name);
    if (binding) {
      const previous = binding.value;
      binding.value = value;
      if (journal.recording) journal.record(() => { binding.value = previous; }, () => { binding.value = value; });
    }
    nameModel(value, name, ev.span(node));
  } else if (target.kind === kind.PropertyAccessExpression || target.kind === kind.ElementAccessExpression) {
    const access = target as ts.AccessExpression;
    const receiver = ev.evaluate(access.expression, scope);
    const key = access.kind === kind.PropertyAccessExpression ? access.name.text : memberKey(ev, access.argumentExpression, scope);
    if (key === undefined) return value;
    const span = node.kind === kind.BinaryExpression ? ev.span((node as ts.BinaryExpression).right) : ev.span(node);
    const slot = { value, span };
    if (receiver.kind === 'object') {
      const props = receiver.props;
      const previous = props.get(key);
      props.set(key, slot);
      if (journal.recording) journal.record(() => (previous ? props.set(key, previous) : props.delete(key)), () => props.set(key, slot));
    }
    const index = Number(key);
    if (receiver.kind === 'array' && Number.isInteger(index) && index >= 0 && index <= receiver.items.length) {
      const items = receiver.items;
      const previous = items[index] as Slot | undefined;
      items[index] = slot;
      if (journal.recording) journal.record(() => (previous ? (items[index] = previous) : items.splice(index)), () => (items[index] = slot));
    }
    nameModel(value, key, ev.span(node));
  } else if (target.kind === kind.ArrayLiteralExpression) {
    // `[fake, aux] = discriminator.apply(fake)`: each name takes its item, as a declaration's pattern would.
    (target as ts.ArrayLiteralExpression).elements.forEach((element, index) => {
      if (element.kind === kind.OmittedExpression || element.kind === kind.SpreadElement) return;
      const item = memberOf(value, String(index));
      const withDefault = element.kind === kind.BinaryExpression && (element as ts.BinaryExpression).operatorToken.kind === kind.EqualsToken;
      const elementTarget = withDefault ? (element as ts.BinaryExpression).left : element;
      assign(ev, elementTarget, withDefault && item.kind === 'undefined' ? ev.evaluate((element as ts.BinaryExpression).right, scope) : item, node, scope);
    });
  }
  return value;
}

/** The first name a model is stored under names it, with the statement (or assignment) that stores it. */
export function nameModel(value: Value, name: string, span: { start: number; end: number }): void {
  if (value.kind === 'model' && value.model.name === undefined) {
    value.model.name = name;
    value.model.span = span;
  }
}

/** A function stored under a name (`const build = …`, `{build: () => …}`) is named by it if it has no name of its own. */
export function nameFunction(value: Value, name: string, span: { start: number; end: number }): void {
  if (value.kind === 'function' && value.closure.name === undefined) {
    value.closure.name = name;
    value.closure.span = span;
  }
}

/** A function value; methods carry the object they belong to as `this`. */
export function closure(
  ev: Evaluator, node: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration | ts.GetAccessorDeclaration,
  scope: Scope, thisValue?: Value, name?: string,
): Value {
  const functionName = name ?? (node.name?.kind === ev.syntax.Identifier ? node.name.text : undefined);
  const value: Value = { kind: 'function', closure: { node, scope, thisValue, name: functionName, span: ev.span(node) } };
  ev.state.rememberClosure(value.closure);
  return value;
}
