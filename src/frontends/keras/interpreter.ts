/**
 * A small abstract interpreter over the Lezer Python tree: it follows constants, lists, loops with
 * constant bounds, comprehensions, user functions (inlined), Sequential models, functional graphs and
 * subclassed models, and records every layer call it meets. It never runs user code and never throws:
 * each statement is guarded, and what cannot be evaluated becomes `unknown`.
 */
import type { SyntaxNode } from '@lezer/common';
import { MODEL_INPUT, type Arg, type ImportScope, type RawModel, type Span } from '../../core/ir';
import { layerFacts } from '../../core/catalogue/layers';
import { activationFromFunctionName } from '../../core/catalogue/activations';
import { Scope, UNKNOWN, type FunctionNode, type GraphNode, type PyValue, type SequentialBuild } from './values';

const MAX_ITERATIONS = 100_000;
const MAX_CALL_DEPTH = 8;

const children = (node: SyntaxNode): SyntaxNode[] => {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
};
const lastSegment = (path: string) => path.slice(path.lastIndexOf('.') + 1);
const isModelClass = (path: string) => ['Model', 'Functional'].includes(lastSegment(path));

export class KerasInterpreter {
  readonly graph: GraphNode[] = [];
  readonly models: RawModel[] = [];
  private readonly sequentials: SequentialBuild[] = [];
  private readonly loops: { iteration: number; count: number }[] = [];
  private iterations = 0;
  private callDepth = 0;
  private readonly functions: FunctionNode[] = [];
  private readonly modelSpans = new Set<string>();
  private readonly statements: SyntaxNode[] = [];
  private readonly assignmentTargets: (string | undefined)[] = [];

  constructor(private readonly text: string, private readonly imports: ImportScope) {}

  span(node: SyntaxNode): Span {
    return { start: node.from, end: node.to };
  }

  slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  run(top: SyntaxNode): RawModel[] {
    const scope = new Scope();
    this.executeBlock(top, scope);
    // Functions never called (a `build_model()` in a library module): run them once with their defaults.
    for (const fn of this.functions) if (!fn.executed) this.callFunction(fn, [], {}, scope);
    for (const build of this.sequentials) this.addSequentialModel(build);
    return this.models;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements
  // ---------------------------------------------------------------------------------------------

  executeBlock(block: SyntaxNode, scope: Scope): PyValue | undefined {
    for (let statement = block.firstChild; statement; statement = statement.nextSibling) {
      this.statements.push(statement);
      try {
        const returned = this.execute(statement, scope);
        if (returned) return returned;
      } catch {
        // A statement we cannot follow is skipped; the rest of the file still counts.
      } finally {
        this.statements.pop();
      }
    }
    return undefined;
  }

  /** Executes one statement; returns a value when it is a `return`. */
  private execute(statement: SyntaxNode, scope: Scope): PyValue | undefined {
    switch (statement.name) {
      case 'AssignStatement': this.assign(statement, scope); return undefined;
      case 'UpdateStatement': this.update(statement, scope); return undefined;
      case 'ExpressionStatement': {
        const expression = statement.firstChild;
        if (expression) this.evaluate(expression, scope);
        return undefined;
      }
      case 'ReturnStatement': {
        const expression = statement.firstChild?.nextSibling;
        return expression ? this.evaluate(expression, scope) : { t: 'none' };
      }
      case 'ForStatement': return this.forStatement(statement, scope);
      case 'IfStatement': return this.ifStatement(statement, scope);
      case 'WithStatement':
      case 'TryStatement':
      case 'WhileStatement': {
        const body = statement.getChild('Body');
        return body ? this.executeBlock(body, scope) : undefined;
      }
      case 'FunctionDefinition': this.defineFunction(statement, scope); return undefined;
      case 'ClassDefinition': this.defineClass(statement, scope); return undefined;
      case 'DecoratedStatement': {
        const inner = statement.getChild('FunctionDefinition') ?? statement.getChild('ClassDefinition');
        return inner ? this.execute(inner, scope) : undefined;
      }
      default: return undefined;
    }
  }

  private assign(statement: SyntaxNode, scope: Scope): void {
    const parts = children(statement);
    const lastOp = parts.map((part) => part.name).lastIndexOf('AssignOp');
    if (lastOp < 0) return;
    const valueNodes = parts.slice(lastOp + 1).filter((part) => part.name !== ',');
    const firstTarget = parts[0]?.name === 'VariableName' ? this.slice(parts[0]) : undefined;
    this.assignmentTargets.push(firstTarget);
    const value = valueNodes.length === 1 ? this.evaluate(valueNodes[0], scope) : { t: 'list', items: valueNodes.map((node) => this.evaluate(node, scope)) } as PyValue;
    // `a = b = value` and `a, b = 1, 2`: every target before the last `=`.
    const targetGroups: SyntaxNode[][] = [[]];
    for (const part of parts.slice(0, lastOp)) {
      if (part.name === 'AssignOp') targetGroups.push([]);
      else if (part.name !== ',' && part.name !== 'TypeDef') targetGroups[targetGroups.length - 1].push(part);
    }
    for (const targets of targetGroups) {
      if (targets.length === 1) this.bind(targets[0], value, scope);
      else targets.forEach((target, index) => this.bind(target, value.t === 'list' ? value.items[index] ?? UNKNOWN : UNKNOWN, scope));
    }
  }

  private bind(target: SyntaxNode, value: PyValue, scope: Scope): void {
    if (target.name === 'VariableName') {
      const name = this.slice(target);
      if (value.t === 'sequential' && value.model.name.startsWith('Sequential@')) value.model.name = name;
      scope.set(name, value);
    } else if (target.name === 'MemberExpression') {
      // `self.dense = Dense(…)`
      const object = target.firstChild ? this.evaluate(target.firstChild, scope) : UNKNOWN;
      const property = target.getChild('PropertyName');
      if (object.t === 'object' && property) object.attrs.set(this.slice(property), value);
    } else if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      const targets = children(target).filter((child) => !['(', ')', '[', ']', ','].includes(child.name));
      targets.forEach((inner, index) => this.bind(inner, value.t === 'list' ? value.items[index] ?? UNKNOWN : UNKNOWN, scope));
    }
  }

  private update(statement: SyntaxNode, scope: Scope): void {
    const [target, op, valueNode] = children(statement);
    if (!target || !valueNode || target.name !== 'VariableName') return;
    const current = scope.get(this.slice(target)) ?? UNKNOWN;
    const value = this.evaluate(valueNode, scope);
    scope.set(this.slice(target), this.binary(current, this.slice(op).replace('=', ''), value));
  }

  private forStatement(statement: SyntaxNode, scope: Scope): PyValue | undefined {
    const parts = children(statement);
    const inIndex = parts.findIndex((part) => part.name === 'in');
    const body = statement.getChild('Body');
    if (inIndex < 0 || !body) return undefined;
    const targets = parts.slice(1, inIndex).filter((part) => part.name !== ',');
    const iterable = this.evaluate(parts[inIndex + 1], scope);
    const items = iterable.t === 'list' ? iterable.items : undefined;
    const runBody = (item: PyValue) => {
      if (targets.length === 1) this.bind(targets[0], item, scope);
      else targets.forEach((target, index) => this.bind(target, item.t === 'list' ? item.items[index] ?? UNKNOWN : UNKNOWN, scope));
      return this.executeBlock(body, scope);
    };
    if (!items) {
      // An iterable we cannot see: the body still defines layers; run it once.
      return runBody(UNKNOWN);
    }
    for (let index = 0; index < items.length && this.iterations < MAX_ITERATIONS; index++) {
      this.iterations++;
      this.loops.push({ iteration: index, count: items.length });
      try {
        const returned = runBody(items[index]);
        if (returned) return returned;
      } finally {
        this.loops.pop();
      }
    }
    return undefined;
  }

  private ifStatement(statement: SyntaxNode, scope: Scope): PyValue | undefined {
    const parts = children(statement);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.name === 'else') return parts[i + 1] ? this.executeBlock(parts[i + 1], scope) : undefined;
      if ((part.name === 'if' || part.name === 'elif') && parts[i + 2]?.name === 'Body') {
        const condition = this.truthiness(this.evaluate(parts[i + 1], scope));
        // Unknown conditions take the first branch: the code as most often run.
        if (condition !== false) return this.executeBlock(parts[i + 2], scope);
        i += 2;
      }
    }
    return undefined;
  }

  private truthiness(value: PyValue): boolean | undefined {
    switch (value.t) {
      case 'num': return value.v !== 0;
      case 'str': return value.v !== '';
      case 'bool': return value.v;
      case 'none': return false;
      case 'list': return value.items.length > 0;
      default: return undefined;
    }
  }

  private defineFunction(statement: SyntaxNode, scope: Scope): void {
    const nameNode = statement.getChild('VariableName');
    const paramList = statement.getChild('ParamList');
    if (!nameNode) return;
    const params: FunctionNode['params'] = [];
    if (paramList) {
      const parts = children(paramList);
      for (let i = 0; i < parts.length; i++) {
        if (parts[i].name !== 'VariableName') continue;
        const star = parts[i - 1]?.name === '*' || parts[i - 1]?.name === '**';
        const hasDefault = parts[i + 1]?.name === 'AssignOp' && parts[i + 2];
        params.push({ name: this.slice(parts[i]), defaultValue: hasDefault ? parts[i + 2] : undefined, star });
      }
    }
    const fn: FunctionNode = { name: this.slice(nameNode), params, syntax: statement, executed: false };
    this.functions.push(fn);
    scope.set(fn.name, { t: 'func', node: fn, closure: scope });
  }

  callFunction(fn: FunctionNode, positional: PyValue[], keyword: Record<string, PyValue>, closure: Scope, self?: PyValue): PyValue {
    if (this.callDepth >= MAX_CALL_DEPTH) return UNKNOWN;
    fn.executed = true;
    const syntax = fn.syntax as SyntaxNode;
    const local = new Scope(closure);
    const params = self ? fn.params.slice(1) : fn.params;
    if (self && fn.params[0]) local.set(fn.params[0].name, self);
    params.forEach((param, index) => {
      const given = keyword[param.name] ?? (param.star ? undefined : positional[index]);
      const fallback = param.defaultValue ? this.evaluate(param.defaultValue as SyntaxNode, closure) : UNKNOWN;
      local.set(param.name, given ?? fallback);
    });
    this.callDepth++;
    try {
      const body = syntax.getChild('Body');
      if (body) return this.executeBlock(body, local) ?? { t: 'none' };
      // A lambda: its body is the last child.
      const expression = syntax.lastChild;
      return expression ? this.evaluate(expression, local) : UNKNOWN;
    } finally {
      this.callDepth--;
    }
  }

  /** `class Net(keras.Model)`: layers from `__init__`, order from `call`. */
  private defineClass(statement: SyntaxNode, scope: Scope): void {
    const nameNode = statement.getChild('VariableName');
    const bases = statement.getChild('ArgList');
    const body = statement.getChild('Body');
    if (!nameNode || !body) return;
    const isModel = bases ? children(bases).some((base) => /(^|\.)(Model|Layer)$/.test(this.calleePath(base, scope))) : false;
    if (!isModel) return;
    const methods = new Map<string, FunctionNode>();
    const classScope = new Scope(scope);
    for (let member = body.firstChild; member; member = member.nextSibling) {
      const definition = member.name === 'DecoratedStatement' ? member.getChild('FunctionDefinition') : member.name === 'FunctionDefinition' ? member : null;
      if (!definition) continue;
      this.defineFunction(definition, classScope);
      const fn = this.functions[this.functions.length - 1];
      fn.executed = true; // methods are not free functions
      methods.set(fn.name, fn);
    }
    const self: PyValue = { t: 'object', attrs: new Map() };
    const init = methods.get('__init__');
    if (init) this.callFunction(init, [], {}, classScope, self);
    const name = this.slice(nameNode);
    const call = methods.get('call') ?? methods.get('forward');
    const inputNode = this.graph.push({ inputs: [] }) - 1;
    let outputs: PyValue = UNKNOWN;
    if (call) outputs = this.callFunction(call, [{ t: 'tensor', node: inputNode }], {}, classScope, self);
    const outputNodes = this.tensorNodes(outputs);
    if (outputNodes.length) {
      this.addFunctionalModel(name, 'subclassed', this.span(statement), outputNodes);
      return;
    }
    // No usable `call`: the layers in the order `__init__` made them.
    const layers = [...(self.t === 'object' ? self.attrs.values() : [])].flatMap((value) => (value.t === 'list' ? value.items : [value]))
      .filter((value): value is Extract<PyValue, { t: 'layer' }> => value.t === 'layer');
    if (layers.length) {
      this.models.push({
        name, style: 'subclassed', span: this.span(statement),
        layers: layers.map((layer, index) => ({ call: layer.call, inputs: index ? [index - 1] : [], repeat: layer.repeat })),
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Models
  // ---------------------------------------------------------------------------------------------

  private addSequentialModel(build: SequentialBuild): void {
    const key = `${build.span.start}:${build.span.end}`;
    if (!build.layers.length || this.modelSpans.has(key)) return;
    this.modelSpans.add(key);
    this.models.push({
      name: build.name,
      style: 'sequential',
      span: build.span,
      layers: build.layers.map((layer, index) => ({ call: layer.call, inputs: index ? [index - 1] : [], repeat: layer.repeat })),
      inputShape: build.inputShape,
    });
  }

  /** The layers that feed `outputs`, in application order, as a RawModel. */
  addFunctionalModel(name: string, style: RawModel['style'], span: Span, outputs: number[]): void {
    const key = `${span.start}:${span.end}`;
    if (this.modelSpans.has(key)) return;
    const needed = new Set<number>();
    const stack = [...outputs];
    let inputShape: Arg | undefined;
    while (stack.length) {
      const id = stack.pop()!;
      if (needed.has(id)) continue;
      const node = this.graph[id];
      if (!node.call) {
        inputShape ??= node.inputShape;
        continue;
      }
      needed.add(id);
      stack.push(...node.inputs);
    }
    const ordered = [...needed].sort((a, b) => a - b);
    if (!ordered.length) return;
    this.modelSpans.add(key);
    const indexOf = new Map(ordered.map((id, index) => [id, index]));
    this.models.push({
      name, style, span,
      layers: ordered.map((id) => ({
        call: this.graph[id].call!,
        // Input nodes become MODEL_INPUT; a layer fed only by the input lists nothing.
        inputs: modelInputs(this.graph[id].inputs.map((input) => indexOf.get(input) ?? MODEL_INPUT)),
        repeat: this.graph[id].repeat,
      })),
      inputShape,
    });
  }

  tensorNodes(value: PyValue): number[] {
    if (value.t === 'tensor') return [value.node];
    if (value.t === 'list') return value.items.flatMap((item) => this.tensorNodes(item));
    return [];
  }

  pushLoop(loop: { iteration: number; count: number }): void {
    this.loops.push(loop);
  }

  popLoop(): void {
    this.loops.pop();
  }

  /** The statement being executed (where a model defined in it gets its CodeLens). */
  statementSpan(): Span | undefined {
    const statement = this.statements[this.statements.length - 1];
    return statement && this.span(statement);
  }

  /** The variable the current assignment binds (`model = …`), for model names. */
  assignmentName(): string | undefined {
    return this.assignmentTargets[this.assignmentTargets.length - 1];
  }

  currentRepeat(): { iteration: number; count: number } | undefined {
    const loop = this.loops[this.loops.length - 1];
    return loop && { ...loop };
  }

  newSequential(span: Span, name: string | undefined): SequentialBuild {
    const build: SequentialBuild = { name: name ?? `Sequential@${this.lineOf(span.start)}`, span, layers: [] };
    this.sequentials.push(build);
    return build;
  }

  appendToSequential(build: SequentialBuild, value: PyValue): void {
    const items = value.t === 'list' ? value.items : [value];
    for (const item of items) {
      if (item.t === 'layer') {
        if (layerFacts(lastSegment(item.call.callee)).kind === 'input' && !build.layers.length) {
          build.inputShape = item.call.keyword.shape ?? item.call.positional[0];
          continue;
        }
        build.layers.push({ call: item.call, repeat: item.repeat });
      } else if (item.t === 'tensor') {
        const node = this.graph[item.node];
        if (!node.call && node.inputShape) build.inputShape ??= node.inputShape;
      } else if (item.t === 'sequential') {
        build.layers.push(...item.model.layers);
      }
    }
  }

  lineOf(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) if (this.text.charCodeAt(i) === 10) line++;
    return line;
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions (see expressions.ts for calls)
  // ---------------------------------------------------------------------------------------------

  evaluate(node: SyntaxNode, scope: Scope): PyValue {
    return evaluateExpression(this, node, scope);
  }

  binary(left: PyValue, op: string, right: PyValue): PyValue {
    if (left.t === 'num' && right.t === 'num') {
      const a = left.v;
      const b = right.v;
      const result = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b
        : op === '//' ? Math.floor(a / b) : op === '%' ? a % b : op === '**' ? a ** b : NaN;
      return Number.isNaN(result) ? UNKNOWN : { t: 'num', v: result };
    }
    if (op === '+' && left.t === 'str' && right.t === 'str') return { t: 'str', v: left.v + right.v };
    if (op === '+' && left.t === 'list' && right.t === 'list') return { t: 'list', items: [...left.items, ...right.items] };
    if (op === '*' && left.t === 'list' && right.t === 'num') return { t: 'list', items: repeatList(left.items, right.v) };
    if (op === '*' && left.t === 'num' && right.t === 'list') return { t: 'list', items: repeatList(right.items, left.v) };
    return UNKNOWN;
  }

  /** The dotted path of a callee or base-class expression, resolved through imports and assignments. */
  calleePath(node: SyntaxNode, scope: Scope): string {
    if (node.name === 'VariableName') {
      const name = this.slice(node);
      const bound = scope.get(name);
      if (bound?.t === 'ref') return bound.path;
      return this.imports.bindings[name] ?? name;
    }
    if (node.name === 'MemberExpression') {
      const object = node.firstChild;
      const property = node.getChild('PropertyName');
      if (object && property) return `${this.calleePath(object, scope)}.${this.slice(property)}`;
    }
    return this.slice(node);
  }

  isLayerClass(path: string): boolean {
    const name = lastSegment(path);
    return layerFacts(name).kind !== 'unknown' && /^[A-Z]/.test(name) ||
      // Keras functional forms: layers.add([...]), layers.concatenate([...]).
      /(^|\.)layers\.(add|concatenate)$/.test(path);
  }

  isActivationFunction(path: string): boolean {
    return /(^|\.)(nn|activations|ops)\.[a-z_0-9]+$/.test(path) && activationFromFunctionName(lastSegment(path)) !== undefined;
  }

  isModelConstructor(path: string): boolean {
    return isModelClass(path);
  }
}

function modelInputs(inputs: number[]): number[] {
  return inputs.every((input) => input === MODEL_INPUT) ? [] : inputs;
}

function repeatList(items: PyValue[], times: number): PyValue[] {
  const result: PyValue[] = [];
  for (let i = 0; i < Math.min(times, MAX_ITERATIONS); i++) result.push(...items);
  return result;
}

// Expressions live in their own module; imported last to keep the class readable.
import { evaluateExpression } from './expressions';
