/**
 * What the parts of the evaluator share: the compiler module and file, the models found so far, the
 * loop iteration being run, the closures waiting to be evaluated, and the budgets that keep code being
 * typed (`for (;;)`, `Array(1e9)`) from hanging the editor.
 */
import type * as ts from 'typescript';
import type { InsertionPoint, Span } from '../../core/ir';
import { Clock, CutLog, ExtractionCancelled, formatCount, type WorkLimits } from '../budget';
import { idleCutDue, type IdleCut } from './idleLoops';
import { Journal } from './journal';
import type { ModelBuilder } from './models';
import type { Closure, LoopFrame, LoopMark, ObjectValue, Scope, Value } from './values';

/** Layers made per file before unrolling stops: loops are unrolled, never summarised, so this bounds the work. */
export const MAX_LAYERS = 100_000;
/** Evaluation steps per file: bounds the time of any input, including loops that make no layers. */
export const MAX_STEPS = 4_000_000;
/**
 * Steps one top-level statement (or one function run alone) may take: a busy loop or a huge call tree is
 * cut there, and the statements after it are still read (a model is rarely built in over 10⁵ steps).
 */
export const MAX_STATEMENT_STEPS = 2_000_000;
/** Inlined call depth: helpers calling helpers, and recursion, stop here. */
export const MAX_CALL_DEPTH = 12;
/** Arrays longer than this (`Array(1e9)`) are unknown. */
export const MAX_ARRAY_LENGTH = MAX_LAYERS;

/** The parts of a CallSite that depend on the syntax alone, cached per call node for calls in loops. */
export interface CallShape {
  configNode?: ts.Expression;
  calleeSpan: Span;
  span: Span;
  insertAt: InsertionPoint;
}

/**
 * Thrown when a budget runs out: evaluation stops and the models found so far are reported. `statement`:
 * only the top-level statement being run is cut. `span`: the innermost statement running when it ran out.
 */
export class BudgetExhausted extends Error {
  span?: Span;
  constructor(readonly reason: string, readonly statement = false) {
    super(reason);
  }
}

/** Runs `action`; an error in it (incomplete code we did not foresee) skips it, a spent budget stops all. */
export function guarded<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch (error) {
    if (error instanceof BudgetExhausted || error instanceof ExtractionCancelled) throw error;
    return undefined;
  }
}

/** The part of the evaluator that calls back into expression and statement evaluation. */
export interface Evaluator {
  readonly ts: typeof ts;
  /** `ts.SyntaxKind`, read once: the hot paths compare kinds instead of calling `ts.isX` through the module. */
  readonly syntax: typeof ts.SyntaxKind;
  /** `ts.tokenToString`, read once for the same reason: every operator evaluated asks it. */
  readonly tokenText: typeof ts.tokenToString;
  readonly sourceFile: ts.SourceFile;
  readonly state: EvaluationState;
  evaluate(node: ts.Expression, scope: Scope): Value;
  /** Runs a closure with the given arguments (inlining it); unknown past the depth limit. */
  invoke(closure: Closure, args: Value[]): Value;
  /**
   * `class {…}` as a value (classes.ts, reached through here so that expressions.ts does not import it); `name`:
   * the one `const Net = class {…}` gives an anonymous class (ECMA-262 NamedEvaluation: `Net.name` is 'Net').
   */
  classExpression(node: ts.ClassExpression, scope: Scope, name?: string): Value;
  span(node: ts.Node): Span;
}

export class EvaluationState {
  steps = 0;
  layerCount = 0;
  applicationCount = 0;
  /** Applications to known symbolic tensors: what a loop building a functional graph makes. */
  symbolicApplications = 0;
  /** Layers added to sequential models (a layer made once may be added several times). */
  additionCount = 0;
  callDepth = 0;
  /** What alternatives of unknown choice change, so that only one of them keeps its changes (`journal.ts`). */
  readonly journal = new Journal();
  /** Every model in creation order. */
  readonly models: ModelBuilder[] = [];
  /** The first closure made of each function node, in creation order: those never called are run alone at the end. */
  readonly closures: Closure[] = [];
  private readonly closureNodes = new Set<ts.Node>();
  /** Function nodes that have been run (called, or run alone). */
  readonly invoked = new Set<ts.Node>();
  readonly callShapes = new Map<ts.Node, CallShape>();
  /** Each class's shared instance → its declaration and name (a subclass of a tfjs model is named by it; classes.ts). */
  readonly classDeclarations = new WeakMap<ObjectValue, { node: ts.ClassLikeDeclaration; name?: string }>();
  /** Functions being run, innermost last: their names name the models they build. */
  readonly functions: Closure[] = [];
  /** Where a budget or a depth limit cut the reading. */
  readonly cutLog = new CutLog();
  /** Steps after which the top-level statement being run is cut. */
  statementLimit = Infinity;
  /** The innermost loop's current iteration, and (below it) the enclosing loops' ones. */
  private current: LoopMark | undefined;
  private readonly marks: LoopMark[] = [];
  private readonly clock: Clock;

  constructor(limits?: WorkLimits) {
    this.clock = new Clock(limits);
  }

  tick(): void {
    if (++this.steps > MAX_STEPS) throw new BudgetExhausted(`the file's budget of ${formatCount(MAX_STEPS)} evaluation steps ran out here: nothing after this point was read`);
    if (this.steps > this.statementLimit) throw new BudgetExhausted(`this statement took over ${formatCount(MAX_STATEMENT_STEPS)} evaluation steps: the rest of it was skipped`, true);
    if (this.clock.expired()) throw new BudgetExhausted('the time budget for this file ran out here: nothing after this point was read');
  }

  /** Grows whenever something is built: an alternative that leaves it unchanged built nothing. */
  progress(): number {
    return this.layerCount + this.applicationCount + this.additionCount;
  }

  /** Grows when a model's graph grows: what a loop that is kept running must do (idleLoops.ts). */
  graphWork(): number {
    return this.layerCount + this.symbolicApplications + this.additionCount;
  }

  /** False past MAX_LAYERS: the layer is not made (the call's value is unknown), and the cut is logged once at `span`. */
  countLayer(span: Span): boolean {
    if (this.layerCount >= MAX_LAYERS) return this.layerCapReached(span);
    this.layerCount++;
    return true;
  }

  /** `countLayer` where the span is costly to make: asked for only when the cap is reached. */
  countLayerAt(ev: { span(node: ts.Node): Span }, node: ts.Node): boolean {
    if (this.layerCount >= MAX_LAYERS) return this.layerCapReached(ev.span(node));
    this.layerCount++;
    return true;
  }

  private layerCapReached(span: Span): false {
    this.cutLog.addOnce(span, `the file's cap of ${formatCount(MAX_LAYERS)} layers was reached here: this layer and the ones after it were not read`);
    return false;
  }

  rememberClosure(closure: Closure): void {
    if (this.closureNodes.has(closure.node)) return;
    this.closureNodes.add(closure.node);
    this.closures.push(closure);
  }

  /** The iteration of the innermost loop being run, if any. */
  currentMark(): LoopMark | undefined {
    return this.current;
  }

  beginLoop(): LoopFrame {
    const frame: LoopFrame = {};
    if (this.current) this.marks.push(this.current);
    this.current = { frame, iteration: 0 };
    return frame;
  }

  /** A fresh mark per iteration: layers keep the mark of the iteration that made them. */
  setIteration(frame: LoopFrame, iteration: number): void {
    this.current = { frame, iteration };
  }

  /** `count` undefined: the trip count is not a constant, so the layers carry no repeat marker. */
  endLoop(frame: LoopFrame, count: number | undefined): void {
    frame.count = count;
    this.current = this.marks.pop();
  }

  /**
   * Runs `body` once per iteration in a loop frame (`Array.from`, `.map`): the count is known up front. With
   * `idle`, a callback that has built nothing after its idle steps is cut as loops are (idleLoops.ts): false.
   */
  repeat(count: number, body: (iteration: number) => void, idle?: IdleCut): boolean {
    const frame = this.beginLoop();
    const stepsBefore = this.steps;
    const workBefore = this.graphWork();
    let completed = true;
    try {
      for (let iteration = 0; iteration < count; iteration++) {
        if (idle && iteration > 0 && idleCutDue(this, stepsBefore, workBefore, idle)) {
          idle.forget();
          completed = false;
          break;
        }
        this.setIteration(frame, iteration);
        body(iteration);
      }
    } finally {
      this.endLoop(frame, completed ? count : undefined);
    }
    return completed;
  }
}
