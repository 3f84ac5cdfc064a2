/**
 * Runs a file's statements over the evaluator's values, the way the file would run, as far as static
 * evaluation allows: loops with constant bounds are unrolled, `if` on a constant takes its branch, and
 * functions are inlined where they are called. Control flow that depends on unknown values is not
 * followed: the branches of such an `if` or `switch` are alternatives of which one is kept
 * (`journal.ts`), and a loop without a constant trip count runs once.
 * Functions nobody calls run once on their own at the end (their parameters take their defaults, else
 * are unknown), since that is where models are usually built (`function buildModel(depth = 20) {…}`).
 */
import type * as ts from 'typescript';
import type { Span } from '../../core/ir';
import { ExtractionCancelled, isStackOverflow, type WorkLimits } from '../budget';
import { classExpression, declareClass, parameterProperties } from './classes';
import { assign, evaluateExpression, nameFunction, nameModel } from './expressions';
import { forkModels, type Change } from './journal';
import { functionMayBuild, idleCutOf, type IdleCut } from './idleLoops';
import { tokenStart } from './insertion';
import { countingTripCount, keysOf, runLoop, stallCheck, type Completion } from './loops';
import { binary } from './operators';
import { bindName, bindParameters } from './patterns';
import { classModel } from './tfjs';
import { BudgetExhausted, EvaluationState, guarded, MAX_CALL_DEPTH, MAX_STATEMENT_STEPS, type Evaluator } from './state';
import { iterableItems, Scope, truthiness, UNDEFINED, UNKNOWN, unseenArguments, type Closure, type Value } from './values';

export class Interpreter implements Evaluator {
  readonly state: EvaluationState;
  readonly syntax: typeof ts.SyntaxKind;
  readonly tokenText: typeof ts.tokenToString;

  constructor(readonly ts: typeof import('typescript'), readonly sourceFile: ts.SourceFile, limits?: WorkLimits) {
    this.syntax = ts.SyntaxKind;
    this.tokenText = ts.tokenToString;
    this.state = new EvaluationState(limits);
  }

  /**
   * Runs the file with its imports bound, then every function nobody called. Throws only
   * `ExtractionCancelled`; a spent budget ends the run and is logged in `state.cutLog` with where it ran out.
   */
  run(imports: Record<string, string>): void {
    const scope = new Scope();
    for (const [name, path] of Object.entries(imports)) scope.declare(name, { kind: 'reference', path });
    try {
      this.hoist(this.sourceFile.statements, scope);
      for (const statement of this.sourceFile.statements) this.withinStatementBudget(statement, scope);
      // Callers first: a builder that another function of the file calls is read through that call, with its
      // arguments, not alone and then again (`buildModel(type)` calling `buildMLP(shape, rate)`). What no
      // caller reached runs alone after.
      const { closures, invoked } = this.state;
      const called = closures.some((fn) => !invoked.has(fn.node)) ? calledNames(this.ts, this.sourceFile) : new Set<string>();
      for (const callersFirst of [true, false]) {
        // Closures made while running add to the list: it is read by index on purpose.
        for (let index = 0; index < closures.length; index++) {
          const uncalled = closures[index];
          if (invoked.has(uncalled.node) || (callersFirst && called.has(shortName(uncalled) ?? ''))) continue;
          // A loader or training function left uncalled builds nothing run alone: it is not run.
          if (!functionMayBuild(this, uncalled)) continue;
          this.withinStatementBudget(uncalled.node, uncalled);
        }
      }
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
      this.state.cutLog.addOnce(error.span ?? { start: 0, end: 0 }, error.reason);
    }
  }

  /**
   * Runs one top-level statement (or a function run alone) within MAX_STATEMENT_STEPS: past them it is cut,
   * logged, and the next one runs. Errors of code being typed skip it silently, as inside blocks; a stack
   * overflow (nesting deeper than the evaluator's recursion) is logged.
   */
  private withinStatementBudget(node: ts.Node, run: Scope | Closure): void {
    const state = this.state;
    state.statementLimit = state.steps + MAX_STATEMENT_STEPS;
    try {
      // A top-level statement in the file's scope, or a function nobody called, with arguments unseen.
      if (run instanceof Scope) this.execute(node as ts.Statement, run);
      else this.invoke(run, unseenArguments(run));
    } catch (error) {
      if (error instanceof BudgetExhausted && error.statement) state.cutLog.add(this.span(node), error.reason);
      else if (error instanceof BudgetExhausted || error instanceof ExtractionCancelled) throw error;
      else if (isStackOverflow(error)) state.cutLog.add(this.span(node), DEEP_NESTING);
    } finally {
      state.statementLimit = Infinity;
    }
  }

  evaluate(node: ts.Expression, scope: Scope): Value {
    return evaluateExpression(this, node, scope);
  }

  classExpression(node: ts.ClassExpression, scope: Scope, name?: string): Value {
    return classExpression(this, node, scope, name);
  }

  span(node: ts.Node): Span {
    return { start: tokenStart(node, this.sourceFile), end: node.end };
  }

  invoke(fn: Closure, args: Value[]): Value {
    const state = this.state;
    const body = fn.node.body;
    if (!body || state.callDepth >= MAX_CALL_DEPTH) return UNKNOWN;
    state.invoked.add(fn.node);
    const scope = new Scope(fn.scope);
    if (fn.thisValue) scope.declare('this', fn.thisValue);
    state.callDepth++;
    state.functions.push(fn);
    try {
      bindParameters(this, fn.node.parameters, args, scope);
      this.beforeBody(fn, scope);
      if (fn.node.kind === this.syntax.Constructor && fn.thisValue?.kind === 'object') parameterProperties(this, fn.node, fn.thisValue, scope);
      if (body.kind !== this.syntax.Block) return this.evaluate(body as ts.Expression, scope);
      const completion = this.executeList((body as ts.Block).statements, scope);
      // A generator's calls return an iterator, not what it returns.
      if ('asteriskToken' in fn.node && fn.node.asteriskToken) return UNKNOWN;
      return completion?.kind === 'return' ? completion.value : UNDEFINED;
    } finally {
      state.callDepth--;
      state.functions.pop();
    }
  }

  /**
   * A constructor of a `tf.Sequential` / `tf.LayersModel` subclass makes the model its instance is; a parameter
   * named `tf` that nobody passed is the tfjs global (browser code given `tf` by a script tag).
   */
  private beforeBody(fn: Closure, scope: Scope): void {
    const self = fn.thisValue;
    if (fn.node.kind === this.syntax.Constructor && self?.kind === 'object' && (self.base === 'sequential' || self.base === 'model')) {
      const declaration = this.state.classDeclarations.get(self);
      self.model = classModel(this, declaration?.node ?? fn.node, declaration?.name, self.base);
    }
    // Only where the file binds no `tf` of its own: a parameter shadowing an import is the caller's business.
    const tf = scope.lookup('tf');
    const global = !fn.scope.lookup('tf');
    if (global && tf?.value.kind === 'unknown' && fn.node.parameters.some((parameter) => parameter.name.kind === this.syntax.Identifier && parameter.name.text === 'tf')) {
      scope.declare('tf', { kind: 'reference', path: 'tf' });
    }
  }

  private executeList(statements: readonly ts.Statement[], scope: Scope): Completion {
    this.hoist(statements, scope);
    for (const statement of statements) {
      let completion: Completion;
      try {
        completion = this.execute(statement, scope);
      } catch (error) {
        // Incomplete code we did not foresee skips its statement; a spent budget stops everything, and the
        // innermost statement running says where.
        if (error instanceof BudgetExhausted) {
          error.span ??= this.span(statement);
          throw error;
        }
        if (error instanceof ExtractionCancelled) throw error;
        if (isStackOverflow(error)) this.state.cutLog.add(this.span(statement), DEEP_NESTING);
        continue;
      }
      if (completion) return completion;
    }
    return undefined;
  }

  /** Function declarations are bound before the statements of their block run. */
  private hoist(statements: readonly ts.Statement[], scope: Scope): void {
    for (const statement of statements) {
      if (statement.kind !== this.syntax.FunctionDeclaration) continue;
      const declaration = statement as ts.FunctionDeclaration;
      if (!declaration.body || !declaration.name) continue;
      const fn: Closure = { node: declaration, scope, name: declaration.name.text, span: this.span(declaration) };
      this.state.rememberClosure(fn);
      scope.declare(declaration.name.text, { kind: 'function', closure: fn });
    }
  }

  private execute(statement: ts.Statement, scope: Scope): Completion {
    const kind = this.syntax;
    this.state.tick();
    switch (statement.kind) {
      case kind.ExpressionStatement:
        this.evaluate((statement as ts.ExpressionStatement).expression, scope);
        return undefined;
      case kind.VariableStatement: {
        const { declarationList, modifiers } = statement as ts.VariableStatement;
        // `declare const depth: number` has a value, just not one written here.
        const ambient = modifiers?.some((modifier) => modifier.kind === kind.DeclareKeyword) ?? false;
        this.declare(declarationList, scope, this.span(statement), ambient ? UNKNOWN : UNDEFINED);
        return undefined;
      }
      case kind.ReturnStatement: {
        const expression = (statement as ts.ReturnStatement).expression;
        return { kind: 'return', value: expression ? this.evaluate(expression, scope) : UNDEFINED };
      }
      case kind.Block:
        return this.executeList((statement as ts.Block).statements, new Scope(scope));
      case kind.IfStatement:
        return this.branch(statement as ts.IfStatement, scope);
      case kind.ForStatement:
        return this.forLoop(statement as ts.ForStatement, scope);
      case kind.ForOfStatement:
      case kind.ForInStatement:
        return this.forOfLoop(statement as ts.ForOfStatement, scope);
      case kind.WhileStatement:
      case kind.DoStatement: {
        const { expression, statement: body } = statement as ts.WhileStatement;
        const doFirst = statement.kind === kind.DoStatement;
        const stalled = stallCheck(this, expression, scope);
        const check = (iteration: number) => {
          if (doFirst && iteration === 0) return true;
          return stalled() ? undefined : truthiness(this.evaluate(expression, scope));
        };
        return runLoop(this.state, check, () => this.execute(body, scope), this.idleCut(statement, scope));
      }
      case kind.BreakStatement:
        return { kind: 'break' };
      case kind.ContinueStatement:
        return { kind: 'continue' };
      case kind.LabeledStatement:
        return this.execute((statement as ts.LabeledStatement).statement, scope);
      case kind.SwitchStatement:
        return this.switchCases(statement as ts.SwitchStatement, scope);
      case kind.TryStatement: {
        const { tryBlock, finallyBlock } = statement as ts.TryStatement;
        const completion = this.executeList(tryBlock.statements, new Scope(scope));
        const final = finallyBlock && this.executeList(finallyBlock.statements, new Scope(scope));
        return final ?? completion;
      }
      case kind.ThrowStatement:
        this.evaluate((statement as ts.ThrowStatement).expression, scope);
        return { kind: 'return', value: UNKNOWN };
      case kind.ClassDeclaration:
        declareClass(this, statement as ts.ClassDeclaration, scope);
        return undefined;
      case kind.ExportAssignment:
        this.evaluate((statement as ts.ExportAssignment).expression, scope);
        return undefined;
      default:
        return undefined;
    }
  }

  /** `const model = …` names the model; `const build = () => …` names the function. */
  private declare(list: ts.VariableDeclarationList, scope: Scope, statementSpan: Span, uninitialized = UNDEFINED): void {
    for (const declaration of list.declarations) {
      const { initializer, name } = declaration;
      const named = name.kind === this.syntax.Identifier ? name.text : undefined;
      const value = !initializer ? uninitialized
        : initializer.kind === this.syntax.ClassExpression ? this.classExpression(initializer as ts.ClassExpression, scope, named)
        : this.evaluate(initializer, scope);
      bindName(this, declaration.name, value, scope);
      if (declaration.name.kind !== this.syntax.Identifier) continue;
      nameModel(value, declaration.name.text, statementSpan);
      nameFunction(value, declaration.name.text, statementSpan);
    }
  }

  /**
   * A constant condition takes its branch. On an unknown one, `return`/`break` are not followed; a branch
   * without `else` runs (an optional layer is part of the model as written), and `if … else …` are
   * alternatives: both run, one keeps its changes (see `alternatives`).
   */
  private branch(statement: ts.IfStatement, scope: Scope): Completion {
    const condition = truthiness(this.evaluate(statement.expression, scope));
    if (condition === true) return this.execute(statement.thenStatement, scope);
    const { thenStatement, elseStatement } = statement;
    if (condition === false) return elseStatement ? this.execute(elseStatement, scope) : undefined;
    if (!elseStatement) this.execute(thenStatement, scope);
    else this.alternatives([() => this.execute(thenStatement, scope), () => this.execute(elseStatement, scope)]);
    return undefined;
  }

  /**
   * Mutually exclusive code whose choice is unknown: every alternative runs (the models and functions it
   * makes are seen), then its changes to what existed before it are taken back (`journal.ts`). The first
   * alternative that builds something keeps its changes, else the first one, as the Keras front end takes
   * the first branch: `if (type === 'cnn') … else …` is one model, not the two stacked.
   */
  private alternatives(runs: (() => void)[]): void {
    const { state } = this;
    const outcomes: { built: boolean; changes: Change[] }[] = [];
    for (const run of runs) {
      state.journal.begin(state.models.length);
      const before = state.progress();
      try {
        guarded(run);
      } finally {
        outcomes.push({ built: state.progress() > before, changes: state.journal.rollBack() });
      }
    }
    const chosen = outcomes.find((outcome) => outcome.built) ?? outcomes[0];
    // Every other alternative that grew a model is checked too, as a fork of that model (`forkModels`): for the
    // outermost choice outside loops, where one fork per alternative is one model the code can build.
    if (!state.journal.recording && !state.currentMark()) {
      outcomes.forEach((outcome, index) => {
        if (outcome !== chosen && outcome.built) forkModels(state, outcome.changes, index + 1);
      });
    }
    if (chosen) state.journal.replay(chosen.changes);
  }

  /** When and how a loop that builds nothing is cut (idleLoops.ts). */
  private idleCut(statement: ts.Statement, scope: Scope): IdleCut {
    return idleCutOf(this, statement, scope);
  }

  private forLoop(statement: ts.ForStatement, scope: Scope): Completion {
    const loopScope = new Scope(scope);
    const initializer = statement.initializer;
    if (initializer?.kind === this.syntax.VariableDeclarationList) this.declare(initializer as ts.VariableDeclarationList, loopScope, this.span(initializer));
    else if (initializer) this.evaluate(initializer as ts.Expression, loopScope);
    const { condition, incrementor } = statement;
    const stalled = condition ? stallCheck(this, condition, loopScope) : () => false;
    return runLoop(
      this.state,
      (iteration) => {
        if (iteration > 0 && incrementor) this.evaluate(incrementor, loopScope);
        if (!condition) return true;
        return stalled() ? undefined : truthiness(this.evaluate(condition, loopScope));
      },
      () => this.execute(statement.statement, loopScope),
      this.idleCut(statement, loopScope),
      countingTripCount(this, statement, loopScope),
    );
  }

  /** `for (const x of items)` per item; `for (const key in object)` per key of a fully known object. */
  private forOfLoop(statement: ts.ForOfStatement | ts.ForInStatement, scope: Scope): Completion {
    const iterable = this.evaluate(statement.expression, scope);
    const span = this.span(statement.expression);
    const items = statement.kind === this.syntax.ForInStatement ? keysOf(iterable, span) : iterableItems(iterable, span);
    const initializer = statement.initializer;
    return runLoop(
      this.state,
      (iteration) => (items ? iteration < items.length : undefined),
      (iteration) => {
        const iterationScope = new Scope(scope);
        const item = items?.[iteration]?.value ?? UNKNOWN;
        if (initializer.kind === this.syntax.VariableDeclarationList) {
          for (const declaration of (initializer as ts.VariableDeclarationList).declarations) bindName(this, declaration.name, item, iterationScope);
        } else {
          assign(this, initializer as ts.Expression, item, initializer as ts.Expression, iterationScope);
        }
        return this.execute(statement.statement, iterationScope);
      },
      this.idleCut(statement, scope),
      items?.length,
    );
  }

  /**
   * The matching case and those it falls through to. Cases an unknown discriminant may match are
   * alternatives (each with its fall-through), as `if … else …` on an unknown condition are.
   */
  private switchCases(statement: ts.SwitchStatement, scope: Scope): Completion {
    const discriminant = this.evaluate(statement.expression, scope);
    const clauses = statement.caseBlock.clauses;
    const caseScope = new Scope(scope);
    // Per clause: does it match (true), not (false), or cannot we know (undefined); `default` is decided below.
    const matches: (boolean | undefined)[] = clauses.map((clause) => {
      if (!this.ts.isCaseClause(clause)) return false;
      const equal = binary('===', discriminant, this.evaluate(clause.expression, scope));
      return equal.kind === 'boolean' ? equal.value : undefined;
    });
    const known = !matches.includes(undefined);
    const fallback = clauses.findIndex((clause) => !this.ts.isCaseClause(clause));
    const runFrom = (start: number): Completion => {
      for (const clause of clauses.slice(start)) {
        const completion = this.executeList(clause.statements, caseScope);
        if (completion?.kind === 'break') return undefined;
        if (completion) return completion;
      }
      return undefined;
    };
    if (known) {
      const start = matches.indexOf(true);
      return start >= 0 ? runFrom(start) : fallback >= 0 ? runFrom(fallback) : undefined;
    }
    // Up to the first certain match, every possible match is an alternative; so is `default` when no case surely matches.
    const certain = matches.indexOf(true);
    const starts = matches.flatMap((match, index) => (match !== false && (certain < 0 || index <= certain) ? [index] : []));
    if (certain < 0 && fallback >= 0) starts.push(fallback);
    this.alternatives(starts.map((start) => () => runFrom(start)));
    return undefined;
  }

}

const DEEP_NESTING = 'this statement is nested too deeply to read: it was skipped';

/** The names the file calls a function or method by: `build(…)`, `this.build(…)`, `new Net(…)`. */
function calledNames(tsModule: typeof ts, sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  // An explicit stack: a file nested thousands deep must not overflow this walk.
  const pending: ts.Node[] = [sourceFile];
  const push = (child: ts.Node): void => {
    pending.push(child);
  };
  // Kinds compared directly: `ts.isX` through the module costs a call per node of the file. And `forEachChild`
  // read once: the `ts` namespace is a dictionary of getters, a lookup per node (a third of a walk's time).
  const kind = tsModule.SyntaxKind;
  const forEachChild = tsModule.forEachChild;
  for (let node = pending.pop(); node; node = pending.pop()) {
    // Types (annotations, interfaces, aliases) hold no calls: a typed file's annotations are a good part of it.
    if ((node.kind >= kind.FirstTypeNode && node.kind <= kind.LastTypeNode) || node.kind === kind.InterfaceDeclaration || node.kind === kind.TypeAliasDeclaration) continue;
    if (node.kind === kind.CallExpression || node.kind === kind.NewExpression) {
      let callee: ts.Expression = (node as ts.CallExpression).expression;
      while (callee.kind === kind.ParenthesizedExpression || callee.kind === kind.NonNullExpression) callee = (callee as ts.ParenthesizedExpression).expression;
      if (callee.kind === kind.Identifier) names.add((callee as ts.Identifier).text);
      else if (callee.kind === kind.PropertyAccessExpression) names.add((callee as ts.PropertyAccessExpression).name.text);
    }
    forEachChild(node, push);
  }
  return names;
}

/** `Net.build` → `build`, `Net.constructor` → `Net`: the name call sites (`net.build()`, `new Net()`) use. */
function shortName(fn: Closure): string | undefined {
  const dot = fn.name?.lastIndexOf('.') ?? -1;
  const member = fn.name?.slice(dot + 1);
  return member === 'constructor' && dot > 0 ? fn.name?.slice(0, dot) : member;
}

