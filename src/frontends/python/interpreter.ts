/**
 * A small abstract interpreter over the Lezer Python tree. It runs the statements of a file in order —
 * assignments, loops with constant bounds (unrolled), `if` with known conditions, functions (inlined at
 * their calls), classes — and records every model it sees being built. It never runs user code and never
 * throws: each statement is guarded, and what cannot be evaluated becomes `unknown`.
 */
import type { SyntaxNode } from '@lezer/common';
import type { AnalysisCut, CallSite, RawModel, Span } from '../../core/ir';
import { Clock, CutLog, ExtractionCancelled, formatCount, isStackOverflow, type WorkLimits } from '../budget';
import { activationOfFunction } from './activationFunctions';
import { applyObject, defineClass, instantiate, readUnusedClasses, type ClassHost } from './classes';
import { arithmetic, bindTargets, evaluateExpression, listItems, parameters } from './expressions';
import { reassignedGlobals } from './globals';
import { chosenCase } from './matching';
import { ModelBook } from './models';
import { ModelReach } from './modelReach';
import { ProjectImports, type LocalModule, type LocalModules } from './localModules';
import { itemCount, itemsOf, tensorNodes } from './operations';
import { childNamed, childrenOf, isPunctuation, spanOf, type SourceText } from './syntax';
import {
  CallSiteMemo, nestRepeat, NONE, Scope, truthiness, UNKNOWN,
  type CallArgs, type ClassDef, type FunctionDef, type ObjectValue, type Param, type PyValue, type Repeat,
} from './values';

/** Unrolled repetitions (loop iterations, comprehension items) per file. */
const MAX_ITERATIONS = 100_000;
/**
 * Statements executed plus expressions evaluated per file: a bound on the time a pathological file (wide
 * loop bodies, huge literals in loops) can take, about a second.
 */
const MAX_STEPS = 3_000_000;
/**
 * Steps one top-level statement (or one function read alone) may take: a busy loop or a huge call tree is
 * cut there and the statements after it are still read.
 */
const MAX_STATEMENT_STEPS = 1_500_000;
const STATEMENT_CUT = `this statement took over ${formatCount(MAX_STATEMENT_STEPS)} evaluation steps: the rest of it was skipped`;
const DEEP_NESTING = 'this statement is nested too deeply to read: it was skipped';
/** Iterations from which a loop that cannot change a model is skipped (short loops fill lists of widths). */
const LONG_LOOP = 32;
/** The same for a short loop inside loops that cannot change a model either, counting all their iterations. */
const LONG_NESTED_LOOP = 256;
/** Nested calls of the file's own functions followed. */
const MAX_CALL_DEPTH = 8;

type Signal = { kind: 'return'; value: PyValue } | { kind: 'break' } | { kind: 'continue' };

/** A statement being executed, with the assignment it makes (names models built by its value). */
interface StatementFrame {
  node: SyntaxNode;
  value?: { from: number; to: number; name: string };
}

export class Interpreter implements ClassHost {
  readonly book = new ModelBook();
  readonly callSites = new CallSiteMemo();
  private globals?: ReadonlySet<string>;
  private readonly loops: { iteration: number; count?: number; standIn: boolean }[] = [];
  /** Iterations of the enclosing loops that cannot change a model, multiplied: what a loop inside them repeats. */
  private inertRepetitions = 1;
  private readonly statements: StatementFrame[] = [];
  private readonly active = new Set<FunctionDef>();
  private readonly functions: { fn: FunctionDef; closure: Scope }[] = [];
  private readonly classes: ClassDef[] = [];
  private iterationsLeft = MAX_ITERATIONS;
  private steps = 0;
  /** Steps after which the top-level statement being read is cut. */
  private statementLimit = Infinity;
  /** Why the whole file stopped being read (its step or time budget ran out). */
  private stopped: string | undefined;
  private readonly clock: Clock;
  private readonly cutLog = new CutLog();

  /** `modules`: the project's modules mounted after the file in `source` (see `extractPythonProject`). */
  constructor(readonly source: SourceText, limits?: WorkLimits, private readonly modules?: LocalModules) {
    this.clock = new Clock(limits);
    this.reach = new ModelReach(source, this.book);
    this.imports = new ProjectImports(source, modules, (entry, moduleScope) => this.runModuleTop(entry, moduleScope));
  }

  /** What import statements bind: the project's modules (run here), library paths. */
  private readonly imports: ProjectImports;

  /** A module's top level, run once at its first import (ProjectImports): its models are its own. */
  private runModuleTop(entry: LocalModule, moduleScope: Scope): void {
    const loops = this.loops.splice(0);
    try {
      for (let statement = entry.top.firstChild; statement && !this.stopped; statement = statement.nextSibling) {
        entry.topLevel.add(statement.from);
        this.runStatement(statement, moduleScope);
      }
    } finally {
      this.loops.push(...loops);
    }
  }

  /** Loops that cannot change a model are not run (training loops, data preparation). */
  private readonly reach: ModelReach;

  /** Where the variables of the tree under `top` are written, read by the caller's own walk of it (see `readTokens`). */
  knowVariables(top: SyntaxNode, offsets: number[]): void {
    this.reach.knowVariables(top, offsets);
  }

  /** Where budgets or depth cut the reading (after `run`). */
  get cuts(): AnalysisCut[] {
    return this.cutLog.cuts;
  }

  /** Throws only `ExtractionCancelled`. */
  run(top: SyntaxNode): RawModel[] {
    const module = new Scope();
    for (let statement = top.firstChild; statement && !this.stopped; statement = statement.nextSibling) {
      this.withinStatementBudget(statement, () => this.runStatement(statement, module));
    }
    // A `build_model()` never called here (a library module) is still read, with its defaults.
    for (let i = 0; i < this.functions.length && !this.stopped; i++) {
      const { fn, closure } = this.functions[i];
      if (fn.executed || fn.isMethod || !this.inMainFile(fn.syntax)) continue;
      this.withinStatementBudget(fn.syntax, () => this.guard(() => this.callFunction(fn, closure, { positional: [], keyword: new Map() })));
    }
    if (!this.stopped) this.withinStatementBudget(top, () => this.guard(() => readUnusedClasses(this, this.classes.filter((cls) => this.inMainFile(cls.syntax)))));
    if (!this.stopped) this.withinStatementBudget(top, () => this.guard(() => this.book.readCustomSequentials((object, input) => this.applyCustomLayer(object, input))));
    return this.book.finish();
  }

  /** A custom layer object applied to a tensor: the output tensor its `call` makes. */
  applyCustomLayer(object: ObjectValue, input: number): number | undefined {
    const span = { start: object.cls.syntax.from, end: object.cls.syntax.from };
    return tensorNodes(this.applyObject(object, { positional: [{ value: { t: 'tensor', node: input }, span }], keyword: new Map() }))[0];
  }

  private withinStatementBudget(node: SyntaxNode, read: () => void): void {
    this.statementLimit = this.steps + MAX_STATEMENT_STEPS;
    try {
      read();
    } finally {
      if (this.steps > this.statementLimit && !this.stopped) this.cutLog.add(spanOf(node), STATEMENT_CUT);
      this.statementLimit = Infinity;
    }
  }

  /** Counts one step; false when the file's or the statement's budget is spent (what is left is unknown). */
  private spend(): boolean {
    if (this.stopped) return false;
    if (++this.steps > MAX_STEPS) this.stop(`the file's budget of ${formatCount(MAX_STEPS)} evaluation steps ran out here: nothing after this point was read`);
    else if (this.clock.expired()) this.stop('the time budget for this file ran out here: nothing after this point was read');
    return !this.stopped && this.steps <= this.statementLimit;
  }

  private stop(reason: string): void {
    this.stopped = reason;
    const frame = this.statements[this.statements.length - 1];
    this.cutLog.addOnce(frame ? spanOf(frame.node) : { start: 0, end: 0 }, reason);
  }

  // ---------------------------------------------------------------------------------------------
  // Runtime
  // ---------------------------------------------------------------------------------------------

  get reassignedGlobals(): ReadonlySet<string> {
    return (this.globals ??= reassignedGlobals(this.source.text));
  }

  evaluate(node: SyntaxNode, scope: Scope): PyValue {
    if (!this.spend()) return UNKNOWN;
    return evaluateExpression(this, node, scope);
  }

  loopRepeat(): Repeat | undefined {
    let marker: Repeat | undefined;
    for (const loop of this.loops) {
      if (loop.count === undefined) continue;
      const frame = { iteration: loop.iteration, count: loop.count };
      marker = marker ? nestRepeat(marker, frame) : frame;
    }
    return marker;
  }

  iterate(iteration: number, count: number | undefined, body: () => void, standIn = false): boolean {
    if (this.stopped || this.steps > this.statementLimit) return false;
    if (this.iterationsLeft <= 0) {
      const frame = this.statements[this.statements.length - 1];
      const reason = `the file's budget of ${formatCount(MAX_ITERATIONS)} unrolled loop iterations ran out here: loops from here on were not read`;
      if (frame) this.cutLog.addOnce(spanOf(frame.node), reason);
      this.iterationsLeft = -1;
      return false;
    }
    this.iterationsLeft--;
    this.loops.push({ iteration, count, standIn });
    try {
      body();
    } finally {
      this.loops.pop();
    }
    return true;
  }

  truncated(node: SyntaxNode, count: number, kept: number): void {
    this.cutLog.add(spanOf(node), `this loop makes ${formatCount(count)} items: only the first ${formatCount(kept)} were read`);
  }

  inStandInIteration(): boolean {
    return this.loops.some((loop) => loop.standIn);
  }

  modelContext(node: SyntaxNode): { name?: string; span: Span } {
    const frame = this.statements[this.statements.length - 1];
    if (!frame) return { span: spanOf(node) };
    const named = frame.value && frame.value.from === node.from && frame.value.to === node.to;
    return { name: named ? frame.value!.name : undefined, span: spanOf(frame.node) };
  }

  callFunction(fn: FunctionDef, closure: Scope, args: CallArgs, self?: ObjectValue): PyValue {
    if (this.active.has(fn) || this.active.size >= MAX_CALL_DEPTH) return UNKNOWN;
    fn.executed = true;
    const local = new Scope(closure);
    bindParameters(fn.params, args, local, self);
    this.active.add(fn);
    try {
      if (fn.syntax.name === 'LambdaExpression') {
        const body = fn.syntax.lastChild;
        return body ? this.evaluate(body, local) : UNKNOWN;
      }
      const body = childNamed(fn.syntax, 'Body');
      const signal = body ? this.executeBlock(body, local) : undefined;
      return signal?.kind === 'return' ? signal.value : NONE;
    } finally {
      this.active.delete(fn);
    }
  }

  instantiate(cls: ClassDef, args: CallArgs, site: CallSite): PyValue {
    return instantiate(this, cls, args, site);
  }

  applyObject(object: ObjectValue, args: CallArgs): PyValue {
    return applyObject(this, object, args);
  }

  executeBody(body: SyntaxNode, scope: Scope): void {
    this.executeBlock(body, scope);
  }

  standalone<T>(read: () => T): T {
    const loops = this.loops.splice(0);
    try {
      return this.book.standalone(read);
    } finally {
      this.loops.push(...loops);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Statements
  // ---------------------------------------------------------------------------------------------

  private executeBlock(block: SyntaxNode, scope: Scope): Signal | undefined {
    for (let statement = block.firstChild; statement; statement = statement.nextSibling) {
      const signal = this.runStatement(statement, scope);
      if (signal) return signal;
      if (this.stopped || this.steps > this.statementLimit) return undefined;
    }
    return undefined;
  }

  private runStatement(statement: SyntaxNode, scope: Scope): Signal | undefined {
    if (statement.name === ':' || statement.name === 'Comment' || statement.type.isError) return undefined;
    if (!this.spend()) return undefined;
    this.statements.push({ node: statement });
    try {
      return this.execute(statement, scope);
    } catch (error) {
      // A statement we cannot follow is skipped; the rest of the file still counts. Nesting deeper than the
      // evaluator's recursion is said.
      if (error instanceof ExtractionCancelled) throw error;
      if (isStackOverflow(error)) this.cutLog.add(spanOf(statement), DEEP_NESTING);
      return undefined;
    } finally {
      this.statements.pop();
    }
  }

  private execute(statement: SyntaxNode, scope: Scope): Signal | undefined {
    switch (statement.name) {
      case 'AssignStatement': this.assign(statement, scope); return undefined;
      case 'UpdateStatement': this.update(statement, scope); return undefined;
      case 'ExpressionStatement': {
        const expression = statement.firstChild;
        if (expression) this.evaluate(expression, scope);
        return undefined;
      }
      case 'ReturnStatement': {
        const parts = childrenOf(statement).slice(1);
        const values = listItems(this, parts, scope);
        const tuple = parts.some((part) => part.name === ',');
        return { kind: 'return', value: tuple ? { t: 'list', items: values } : values[0] ?? NONE };
      }
      case 'ImportStatement': this.imports.bind(statement, scope); return undefined;
      case 'ForStatement': return this.forStatement(statement, scope);
      case 'WhileStatement': return this.whileStatement(statement, scope);
      case 'IfStatement': return this.ifStatement(statement, scope);
      case 'MatchStatement': {
        const body = chosenCase(this, statement, scope);
        return body ? this.executeBlock(body, scope) : undefined;
      }
      case 'WithStatement': {
        const body = childNamed(statement, 'Body');
        return body ? this.executeBlock(body, scope) : undefined;
      }
      case 'TryStatement': return this.tryStatement(statement, scope);
      case 'BreakStatement': return { kind: 'break' };
      case 'ContinueStatement': return { kind: 'continue' };
      case 'FunctionDefinition': this.defineFunction(statement, scope); return undefined;
      case 'ClassDefinition': {
        const cls = defineClass(this, statement, scope);
        if (cls) this.classes.push(cls);
        return undefined;
      }
      case 'DecoratedStatement': {
        const inner = childNamed(statement, 'FunctionDefinition') ?? childNamed(statement, 'ClassDefinition');
        if (inner?.name === 'ClassDefinition') {
          const cls = defineClass(this, inner, scope, statement.getChildren('Decorator'));
          if (cls) this.classes.push(cls);
          return undefined;
        }
        return inner ? this.execute(inner, scope) : undefined;
      }
      default: return undefined;
    }
  }

  /** `a = 1`, `a = b = f()`, `a, b = 1, 2`, `self.d = Dense(8)`, `x: int = 3`. */
  private assign(statement: SyntaxNode, scope: Scope): void {
    let parts = childrenOf(statement);
    // `x: int = 3`: the annotation is neither target nor value.
    if (parts.some((part) => part.name === 'TypeDef')) parts = parts.filter((part) => part.name !== 'TypeDef');
    let lastOperator = -1;
    for (let i = 0; i < parts.length; i++) if (parts[i].name === 'AssignOp') lastOperator = i;
    if (lastOperator < 0) return;
    // The value: one expression (`= f(x)`), or a tuple (`= a, b`). Read in one pass, without copying the parts.
    const valueCount = parts.length - lastOperator - 1;
    let valueNode: SyntaxNode | undefined;
    let expressions = 0;
    let tuple = false;
    for (let i = lastOperator + 1; i < parts.length; i++) {
      if (parts[i].name === ',') tuple = true;
      if (isPunctuation(parts[i])) continue;
      expressions++;
      valueNode ??= parts[i];
    }
    const targetGroups: SyntaxNode[][] = [[]];
    for (let i = 0; i < lastOperator; i++) {
      if (parts[i].name === 'AssignOp') targetGroups.push([]);
      else targetGroups[targetGroups.length - 1].push(parts[i]);
    }
    const firstTargets = targetGroups[0];
    if (expressions === 1 && valueCount === 1 && firstTargets.length === 1 && valueNode) {
      const name = targetName(firstTargets[0], this.source);
      if (name) this.statements[this.statements.length - 1].value = { from: valueNode.from, to: valueNode.to, name };
    }
    const value = tuple ? { t: 'list' as const, items: listItems(this, parts.slice(lastOperator + 1), scope) } : valueNode ? this.evaluate(valueNode, scope) : UNKNOWN;
    for (const targets of targetGroups) bindTargets(this, targets, value, scope);
    // `model = build_model()` names a model its function returned unnamed (`return keras.Sequential([...])`);
    // `model, base = build_transfer()` names each model of the tuple by its target.
    if (!holdsModel(value)) return;
    const targetNames = firstTargets.filter((part) => !isPunctuation(part));
    if (targetNames.length === 1 && targetNames[0].name === 'VariableName') nameReturnedModel(value, this.source.slice(targetNames[0]));
    else if (targetNames.length > 1 && value.t === 'list' && targetNames.every((part) => part.name === 'VariableName')) {
      targetNames.forEach((part, index) => { if (value.items[index]) nameReturnedModel(value.items[index], this.source.slice(part)); });
    }
  }

  /** `x += 1`; on a list, `+=` extends it in place as Python does. */
  private update(statement: SyntaxNode, scope: Scope): void {
    const [target, operator, valueNode] = childrenOf(statement);
    if (!target || !operator || !valueNode) return;
    const current = this.evaluate(target, scope);
    const value = this.evaluate(valueNode, scope);
    const symbol = this.source.slice(operator).slice(0, -1);
    if (symbol === '+' && current.t === 'list') {
      current.items.push(...(itemsOf(value, MAX_ITERATIONS)?.items ?? []));
      if (this.inStandInIteration() || (value.t === 'list' && value.open)) current.open = true;
      return;
    }
    bindTargets(this, [target], arithmetic(this, { node: statement, operator, left: target, right: valueNode }, symbol, current, value), scope);
  }

  private forStatement(statement: SyntaxNode, scope: Scope): Signal | undefined {
    const parts = childrenOf(statement);
    const inIndex = parts.findIndex((part) => part.name === 'in');
    if (inIndex < 0 || !parts[inIndex + 1] || !childNamed(statement, 'Body')) return undefined;
    const iterated = this.evaluate(parts[inIndex + 1], scope);
    // A long loop (a training loop, data preparation) that cannot change a model is not run; nor is a short
    // one repeated by enclosing loops that cannot either (`for row in range(28)` in `for label in range(10)`).
    // Decided before its items are made: `range(12_500)` costs nothing when skipped.
    const known = itemCount(iterated);
    const count = known === undefined ? 0 : Math.min(known, this.iterationsLeft + 1);
    const repetitions = count * this.inertRepetitions;
    const long = count >= LONG_LOOP || repetitions >= LONG_NESTED_LOOP;
    let inert = false;
    if (known !== undefined && count >= 2) {
      const inertLoop = this.reach.inertLoop(statement, scope);
      // A short one (`for epoch in range(30)`) too, when nothing outside it reads what it computes.
      if (inertLoop && (long || (!inertLoop.changesObjects && this.reach.unreadElsewhere(statement)))) {
        inertLoop.skip();
        return undefined;
      }
      inert = !!inertLoop;
    }
    const iterable = itemsOf(iterated, this.iterationsLeft + 1);
    const enclosing = this.inertRepetitions;
    if (inert) this.inertRepetitions = repetitions;
    try {
      return this.runFor(statement, parts, inIndex, iterable, scope);
    } finally {
      this.inertRepetitions = enclosing;
    }
  }

  private runFor(statement: SyntaxNode, parts: SyntaxNode[], inIndex: number, iterable: { items: PyValue[]; count: number } | undefined, scope: Scope): Signal | undefined {
    const bodies = parts.filter((part) => part.name === 'Body');
    const body = bodies[0];
    const targets = parts.slice(1, inIndex);
    let signal: Signal | undefined;
    let broke = false;
    const runBody = (item: PyValue) => {
      bindTargets(this, targets, item, scope);
      signal = this.executeBlock(body, scope);
    };
    // An iterable we cannot see: the body still builds layers, so it runs once (with no repeat marker).
    const items = iterable?.items ?? [UNKNOWN];
    for (let index = 0; index < items.length; index++) {
      if (!this.iterate(index, iterable?.count, () => runBody(items[index]), !iterable)) break;
      if (signal?.kind === 'return') return signal;
      if (signal?.kind === 'break') {
        broke = true;
        break;
      }
    }
    const orElse = bodies[1];
    return !broke && orElse ? this.executeBlock(orElse, scope) : undefined;
  }

  /** `while test:`, iterated while the test is known to hold; an unknown test runs the body once. */
  private whileStatement(statement: SyntaxNode, scope: Scope): Signal | undefined {
    const parts = childrenOf(statement);
    const test = parts[1];
    const body = childNamed(statement, 'Body');
    if (!test || !body) return undefined;
    for (let iteration = 0; ; iteration++) {
      const holds = truthiness(this.evaluate(test, scope));
      if (holds === false) return undefined;
      let signal: Signal | undefined;
      if (!this.iterate(iteration, undefined, () => { signal = this.executeBlock(body, scope); }, holds === undefined)) return undefined;
      if (signal?.kind === 'return') return signal;
      if (signal?.kind === 'break' || holds === undefined) return undefined;
    }
  }

  /** Branches with known conditions are chosen; an unknown condition takes its branch (the code as written). */
  private ifStatement(statement: SyntaxNode, scope: Scope): Signal | undefined {
    const parts = childrenOf(statement);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.name === 'else') return parts[i + 1]?.name === 'Body' ? this.executeBlock(parts[i + 1], scope) : undefined;
      if ((part.name === 'if' || part.name === 'elif') && parts[i + 2]?.name === 'Body') {
        if (truthiness(this.evaluate(parts[i + 1], scope)) !== false) return this.executeBlock(parts[i + 2], scope);
        i += 2;
      }
    }
    return undefined;
  }

  /** The `try` body, then `else` and `finally`; `except` handlers are the road not taken. */
  private tryStatement(statement: SyntaxNode, scope: Scope): Signal | undefined {
    const parts = childrenOf(statement);
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].name !== 'Body') continue;
      const keyword = parts[i - 1]?.name;
      if (keyword === 'try' || keyword === 'else' || keyword === 'finally') {
        const signal = this.executeBlock(parts[i], scope);
        if (signal) return signal;
      }
    }
    return undefined;
  }

  private defineFunction(statement: SyntaxNode, scope: Scope): void {
    const nameNode = childNamed(statement, 'VariableName');
    if (!nameNode) return;
    const params = parameters(this, childNamed(statement, 'ParamList'), scope);
    const activation = activationOfFunction(this.source, statement, params);
    const fn: FunctionDef = { name: this.source.slice(nameNode), params, syntax: statement, executed: false, isMethod: false, ...(activation ? { activation } : {}) };
    this.functions.push({ fn, closure: scope });
    scope.set(fn.name, { t: 'function', fn, closure: scope });
  }

  /** Whether a definition is in the analysed file (not in a module it imports: that module's own analysis reads it unused). */
  private inMainFile(node: SyntaxNode): boolean {
    return !this.modules || node.from < this.modules.mainEnd;
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      // Reading what is left is best effort.
      if (error instanceof ExtractionCancelled) throw error;
    }
  }
}

/** Binds a call's arguments to parameters as Python does; what is missing is the default, else unknown. */
function bindParameters(params: Param[], args: CallArgs, local: Scope, self?: ObjectValue): void {
  let positional = 0;
  const usedKeywords = new Set<string>();
  params.forEach((param, index) => {
    if (self && index === 0) {
      local.set(param.name, self);
      return;
    }
    if (param.kind === 'args') {
      local.set(param.name, { t: 'list', items: args.positional.slice(positional).map((arg) => arg.value) });
      positional = args.positional.length;
      return;
    }
    if (param.kind === 'kwargs') {
      const entries = new Map<string, PyValue>();
      for (const [name, arg] of args.keyword) if (!usedKeywords.has(name)) entries.set(name, arg.value);
      local.set(param.name, { t: 'dict', entries });
      return;
    }
    const keyword = args.keyword.get(param.name);
    if (keyword) usedKeywords.add(param.name);
    const given = keyword?.value ?? args.positional[positional++]?.value;
    local.set(param.name, given ?? param.defaultValue ?? UNKNOWN);
  });
}

/** `model` for `model = …`, `self.model` for `self.model = …`: the name a model made by the value takes. */
function targetName(target: SyntaxNode, source: SourceText): string | undefined {
  if (target.name === 'VariableName') return source.slice(target);
  if (target.name === 'MemberExpression' && target.to - target.from <= 80 && target.lastChild?.name === 'PropertyName') return source.slice(target);
  return undefined;
}

/** A model, or a list holding one: what an assignment may name (see `nameReturnedModel`). */
function holdsModel(value: PyValue): boolean {
  return value.t === 'sequential' || value.t === 'functional' || (value.t === 'list' && value.items.some((item) => item.t === 'sequential' || item.t === 'functional'));
}

/** A model a function returned unnamed takes the name it is assigned to. */
function nameReturnedModel(value: PyValue, name: string): void {
  if ((value.t !== 'sequential' && value.t !== 'functional') || value.build.named) return;
  value.build.name = name;
  value.build.named = true;
}
