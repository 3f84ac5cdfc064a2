/**
 * Loops that build nothing: a training loop (`for (let episode = 0; episode < 600; episode++)`), a data
 * pipeline, an evaluation sweep. Once a loop has spent IDLE_LOOP_STEPS evaluation steps without making,
 * applying or adding a layer it is cut, and what it writes becomes unknown: the values its remaining
 * iterations would have given are never guessed, and a 120,000-step rollout costs what a few iterations do.
 */
import type * as ts from 'typescript';
import { assign } from './expressions';
import type { Evaluator } from './state';
import { UNKNOWN, type Scope } from './values';

/**
 * Steps a loop may take without building anything. Loops that compute a model's configuration (a list of
 * widths, a doubling filter count) finish in tens of steps; a training step of real code takes hundreds.
 */
export const IDLE_LOOP_STEPS = 600;

/** Methods that change their receiver in place (arrays, maps, sets). */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'add', 'clear']);

/** Per loop node: the expressions it writes to (names, properties, receivers of mutators), found once. */
const targetsByLoop = new WeakMap<ts.Node, ts.Expression[]>();

/** Everything `loop` may have written becomes unknown in `scope` (names the loop declares itself are not seen there). */
export function forgetWrites(ev: Evaluator, loop: ts.Node, scope: Scope): void {
  for (const target of writtenTargets(ev, loop)) {
    try {
      assign(ev, target, UNKNOWN, target, scope);
    } catch {
      // A receiver we cannot evaluate holds nothing we know, so nothing to forget.
    }
  }
}

function writtenTargets(ev: Evaluator, loop: ts.Node): ts.Expression[] {
  let targets = targetsByLoop.get(loop);
  if (targets) return targets;
  const kind = ev.syntax;
  const found: ts.Expression[] = [];
  const written = (target: ts.Expression): void => {
    while (target.kind === kind.ParenthesizedExpression || target.kind === kind.NonNullExpression || target.kind === kind.AsExpression) {
      target = (target as ts.ParenthesizedExpression).expression;
    }
    if (target.kind === kind.Identifier || target.kind === kind.PropertyAccessExpression) found.push(target);
    // `xs[i] = …`: the key is the loop's own, so the whole container is what changed.
    else if (target.kind === kind.ElementAccessExpression) written((target as ts.ElementAccessExpression).expression);
    else if (target.kind === kind.ArrayLiteralExpression) for (const element of (target as ts.ArrayLiteralExpression).elements) written(element);
    else if (target.kind === kind.ObjectLiteralExpression) {
      for (const property of (target as ts.ObjectLiteralExpression).properties) {
        if (property.kind === kind.ShorthandPropertyAssignment) written((property as ts.ShorthandPropertyAssignment).name);
        else if (property.kind === kind.PropertyAssignment) written((property as ts.PropertyAssignment).initializer);
      }
    } else if (target.kind === kind.SpreadElement) written((target as ts.SpreadElement).expression);
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === kind.BinaryExpression) {
      const binary = node as ts.BinaryExpression;
      const operator = binary.operatorToken.kind;
      if (operator >= kind.FirstAssignment && operator <= kind.LastAssignment) written(binary.left);
    } else if (node.kind === kind.PrefixUnaryExpression || node.kind === kind.PostfixUnaryExpression) {
      const { operator, operand } = node as ts.PrefixUnaryExpression;
      if (operator === kind.PlusPlusToken || operator === kind.MinusMinusToken) written(operand);
    } else if (node.kind === kind.CallExpression) {
      const callee = (node as ts.CallExpression).expression;
      if (callee.kind === kind.PropertyAccessExpression && MUTATORS.has((callee as ts.PropertyAccessExpression).name.text)) {
        written((callee as ts.PropertyAccessExpression).expression);
      }
    } else if (node.kind === kind.DeleteExpression) {
      written((node as ts.DeleteExpression).expression);
    }
    ev.ts.forEachChild(node, visit);
  };
  visit(loop);
  targets = found;
  targetsByLoop.set(loop, targets);
  return targets;
}
