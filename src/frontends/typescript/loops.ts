/**
 * Loops are unrolled when their trip count is a constant. Code being typed often is not: a `while`
 * whose counter is not incremented yet would run forever, so a loop whose condition reads the same
 * values after an iteration as before it stops there, with its trip count unknown.
 */
import type * as ts from 'typescript';
import { idleCutDue, skipsLongLoop, type IdleCut } from './idleLoops';
import type { EvaluationState, Evaluator } from './state';
import type { Scope, Value } from './values';

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
  const visit = (node: ts.Node): void => {
    if (node.kind === kind.CallExpression || node.kind === kind.NewExpression || node.kind === kind.TaggedTemplateExpression
      || node.kind === kind.AwaitExpression || node.kind === kind.YieldExpression) {
      calls = true;
    } else if (node.kind === kind.Identifier || node.kind === kind.PropertyAccessExpression) {
      operands.push(node as ts.Expression);
    } else {
      ev.ts.forEachChild(node, visit);
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
