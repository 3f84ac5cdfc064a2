/**
 * What expression and call evaluation need from the interpreter that runs them. The interpreter
 * (interpreter.ts) implements it; expressions.ts and calls.ts only see this interface, so the modules
 * form no import cycle.
 */
import type { SyntaxNode } from '@lezer/common';
import type { CallSite, Span } from '../../core/ir';
import type { ModelBook } from './models';
import type { SourceText } from './syntax';
import type { CallArgs, CallSiteMemo, ClassDef, FunctionDef, ObjectValue, PyValue, Repeat, Scope } from './values';

export interface Runtime {
  readonly source: SourceText;
  readonly book: ModelBook;
  /** The last CallSite made for each call node, with the arguments it was made from (see `callSite`). */
  readonly callSites: CallSiteMemo;
  /** Module constants some function reassigns through `global` (globals.ts): what is read from them is assumed. */
  readonly reassignedGlobals: ReadonlySet<string>;
  evaluate(node: SyntaxNode, scope: Scope): PyValue;
  /** Runs a function of the file (inlined, depth-limited, never recursively). */
  callFunction(fn: FunctionDef, closure: Scope, args: CallArgs, self?: ObjectValue): PyValue;
  /** `Net(…)` for a class of the file: a new instance, its `__init__` run. */
  instantiate(cls: ClassDef, args: CallArgs, site: CallSite): PyValue;
  /** Calling an instance (`block(x)`): its `call` method, inlined into the caller's model. */
  applyObject(object: ObjectValue, args: CallArgs): PyValue;
  /** The marker of the loops being unrolled right now, if any. */
  loopRepeat(): Repeat | undefined;
  /**
   * Runs one unrolled iteration; false when the file's repetition budget is spent. `standIn`: the one
   * iteration run for a loop whose number of iterations is unknown.
   */
  iterate(iteration: number, count: number | undefined, body: () => void, standIn?: boolean): boolean;
  /** A loop or comprehension of `count` items of which only the first `kept` are read: said, never silent. */
  truncated(node: SyntaxNode, count: number, kept: number): void;
  /** Whether a stand-in iteration is running: what it adds to a list, the list may hold any number of times. */
  inStandInIteration(): boolean;
  /** The model name and span for a model made by the call `node`: the assignment it is the value of, else its statement. */
  modelContext(node: SyntaxNode): { name?: string; span: Span };
}
