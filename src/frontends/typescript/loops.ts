/**
 * Loops are unrolled when their trip count is a constant. Code being typed often is not: a `while`
 * whose counter is not incremented yet would run forever, so a loop whose condition reads the same
 * values after an iteration as before it stops there, with its trip count unknown.
 */
import type * as ts from 'typescript';
import { idleCutDue, skipsLongLoop, type IdleCut } from './idleLoops';
import type { EvaluationState, Evaluator } from './state';
import type { Span } from '../../core/ir';
import { stringValue, type Scope, type Slot, type Value } from './values';

/** How a statement ended when not normally. */
export type Completion = undefined | { kind: 'break' } | { kind: 'continue' } | { kind: 'return'; value: Value };

/**
 * The loop driver: `shouldRun(i)` says whether iteration i runs (true), the loop ends (false), or we
 * cannot know (undefined: the body runs once if it has not run yet, and the trip count stays unknown so
 * its layers carry no repeat marker). A loop that has spent `idle.steps` steps building nothing builds data,
 * not a model: it is cut short the same way, and `idle.forget` makes what it writes unknown (idleLoops.ts).
 * `iterations`: the trip count when known before the loop runs (a long loop that cannot build is skipped).
 */
export function runLoop(
  state: EvaluationState, shouldRun: (iteration: number) => boolean | undefined, body: (iteration: number) => Completion, idle: IdleCut,
  iterations?: number,
): Completion {
  if (skipsLongLoop(idle, iterations)) {
    idle.forget();
    return undefined;
  }
  const frame = state.beginLoop();
  const workBefore = state.graphWork();
  const stepsBefore = state.steps;
  let count: number | undefined;
  try {
    for (let iteration = 0; ; iteration++) {
      state.tick();
      if (iteration > 0 && idleCutDue(state, stepsBefore, workBefore, idle)) {
        idle.forget();
        return undefined;
      }
      const verdict = shouldRun(iteration);
      if (verdict === false) {
        count = iteration;
        return undefined;
      }
      if (verdict === undefined) {
        if (iteration === 0) body(iteration);
        return undefined;
      }
      state.setIteration(frame, iteration);
      const completion = body(iteration);
      if (completion?.kind === 'break') {
        count = iteration + 1;
        return undefined;
      }
      if (completion?.kind === 'return') return completion;
    }
  } finally {
    state.endLoop(frame, count);
  }
}

/**
 * A check to call before each evaluation of `condition`: true when the names and property chains it
 * reads hold the same values as at the previous check, so the condition can never change. Conditions
 * that call anything (whose result may change on its own) or read nothing are never reported stalled.
 */
export function stallCheck(ev: Evaluator, condition: ts.Expression, scope: Scope): () => boolean {
  const operands = conditionOperands(ev, condition);
  if (!operands) return () => false;
  let previous: unknown[] | undefined;
  return () => {
    const snapshot: unknown[] = [];
    for (const operand of operands) snapshotOf(ev.evaluate(operand, scope), snapshot);
    let stalled = previous !== undefined;
    for (let index = 0; stalled && index < snapshot.length; index++) stalled = Object.is(snapshot[index], previous?.[index]);
    previous = snapshot;
    return stalled;
  };
}

function conditionOperands(ev: Evaluator, condition: ts.Expression): ts.Expression[] | undefined {
  const kind = ev.syntax;
  const operands: ts.Expression[] = [];
  let calls = false;
  const forEachChild = ev.ts.forEachChild;
  const visit = (node: ts.Node): void => {
    if (node.kind === kind.CallExpression || node.kind === kind.NewExpression || node.kind === kind.TaggedTemplateExpression
      || node.kind === kind.AwaitExpression || node.kind === kind.YieldExpression) {
      calls = true;
    } else if (node.kind === kind.Identifier || node.kind === kind.PropertyAccessExpression) {
      operands.push(node as ts.Expression);
    } else {
      forEachChild(node, visit);
    }
  };
  visit(condition);
  return calls || operands.length === 0 ? undefined : operands;
}

/** What identifies a value between iterations: primitives by value, arrays by identity and length, the rest by identity. */
function snapshotOf(value: Value, snapshot: unknown[]): void {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      snapshot.push(value.value);
      break;
    case 'null':
    case 'undefined':
      snapshot.push(value.kind);
      break;
    case 'array':
      snapshot.push(value, value.items.length);
      break;
    default:
      snapshot.push(value);
  }
}

/** `for (const key in object)`: the keys of an object whose keys are all known. */
export function keysOf(value: Value, span: Span): Slot[] | undefined {
  if (value.kind !== 'object' || !value.complete) return undefined;
  return [...value.props.keys()].map((key) => ({ value: stringValue(key), span }));
}

/**
 * The trip count of a counting loop, `for (let i = a; i < b; i++)` (`<=`, `i += 1`, `++i`), when a and b are
 * known numbers when it starts; undefined for any other loop.
 */
export function countingTripCount(ev: Evaluator, statement: ts.ForStatement, loopScope: Scope): number | undefined {
  const kind = ev.syntax;
  const { initializer, condition, incrementor } = statement;
  if (initializer?.kind !== kind.VariableDeclarationList || condition?.kind !== kind.BinaryExpression || !incrementor) return undefined;
  const declarations = (initializer as ts.VariableDeclarationList).declarations;
  const counter = declarations.length === 1 && declarations[0].name.kind === kind.Identifier ? (declarations[0].name as ts.Identifier).text : undefined;
  const test = condition as ts.BinaryExpression;
  const operator = test.operatorToken.kind;
  if (!counter || test.left.kind !== kind.Identifier || (test.left as ts.Identifier).text !== counter) return undefined;
  if (operator !== kind.LessThanToken && operator !== kind.LessThanEqualsToken) return undefined;
  if (!stepsByOne(ev, incrementor, counter)) return undefined;
  const start = loopScope.lookup(counter)?.value;
  // The bound is read once more here: only when reading it cannot do anything (`n`, `xs.length`, `a * b`).
  if (!readsOnly(ev, test.right)) return undefined;
  const bound = ev.evaluate(test.right, loopScope);
  if (start?.kind !== 'number' || bound.kind !== 'number') return undefined;
  return Math.max(0, Math.ceil(bound.value - start.value + (operator === kind.LessThanEqualsToken ? 1 : 0)));
}

/** `i++`, `++i`, `i += 1`. */
function stepsByOne(ev: Evaluator, incrementor: ts.Expression, counter: string): boolean {
  const kind = ev.syntax;
  if (incrementor.kind === kind.PostfixUnaryExpression || incrementor.kind === kind.PrefixUnaryExpression) {
    const { operator, operand } = incrementor as ts.PostfixUnaryExpression;
    return operator === kind.PlusPlusToken && operand.kind === kind.Identifier && (operand as ts.Identifier).text === counter;
  }
  if (incrementor.kind !== kind.BinaryExpression) return false;
  const { left, operatorToken, right } = incrementor as ts.BinaryExpression;
  return operatorToken.kind === kind.PlusEqualsToken && left.kind === kind.Identifier && (left as ts.Identifier).text === counter
    && right.kind === kind.NumericLiteral && (right as ts.NumericLiteral).text === '1';
}

/** Names, numbers, member reads and arithmetic on them: an expression whose evaluation changes nothing. */
function readsOnly(ev: Evaluator, node: ts.Node): boolean {
  const kind = ev.syntax;
  switch (node.kind) {
    case kind.Identifier:
    case kind.NumericLiteral:
    case kind.ThisKeyword:
      return true;
    case kind.PropertyAccessExpression:
      return readsOnly(ev, (node as ts.PropertyAccessExpression).expression);
    case kind.ParenthesizedExpression:
      return readsOnly(ev, (node as ts.ParenthesizedExpression).expression);
    case kind.BinaryExpression: {
      const { left, operatorToken, right } = node as ts.BinaryExpression;
      const arithmetic = operatorToken.kind >= kind.PlusToken && operatorToken.kind <= kind.PercentToken;
      return arithmetic && readsOnly(ev, left) && readsOnly(ev, right);
    }
    default:
      return false;
  }
}
