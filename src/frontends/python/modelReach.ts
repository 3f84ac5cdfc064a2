/**
 * Loops that cannot reach a model: a training loop (`for episode in range(600):`), data preparation, a sweep
 * over numbers. Their bodies name no layer, model, tensor, function or class of the file, no library path
 * that builds layers, and return nothing: running them changes no model. They are skipped, and the names they
 * assign become unknown (never a value the skipped iterations would not have given).
 */
import type { SyntaxNode } from '@lezer/common';
import type { SourceText } from './syntax';
import { UNKNOWN, type PyValue, type Scope } from './values';

interface BodyFacts {
  /** Names read or written anywhere in the loop (its test or iterable included). */
  names: string[];
  /** Names the loop assigns (loop targets, assignments, `+=`, `with … as`) or mutates (`xs.append(…)`, `d[k] = …`). */
  assigned: string[];
  /** Whether it names a member that builds layers or models (`keras.layers.Dense`, `tf.keras.Sequential`). */
  buildsMembers: boolean;
  /** A `return`/`yield` inside: the loop decides what its function gives back. */
  returns: boolean;
}

/** Values that are, or may make, part of a model. */
const MODEL_KINDS = new Set<PyValue['t']>(['call', 'partial', 'tensor', 'sequential', 'functional', 'function', 'class', 'object', 'method']);

/** Members that build layers or models, or set initializers: a class (`Dense`, `Conv2D`) or a module of them. */
const MODEL_MEMBER = /^(?:[A-Z]\w*|layers|models|applications|initializers|add|build|kernel_initializer|bias_initializer|recurrent_initializer)$/;

/** Methods that change a list, dict or set in place. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'update', 'setdefault', 'pop', 'popitem', 'remove', 'clear', 'add', 'discard', 'sort', 'reverse']);

/** Helpers followed into helpers when deciding whether a loop's calls may reach a model. */
const MAX_FUNCTION_DEPTH = 3;

/** Library paths whose calls build layers or models (`keras.layers.Dense`, `tf.keras.Sequential`, `keras.applications…`). */
const MODEL_PATH = /(?:^|\.)(?:layers|Sequential|Model|Input|applications|models|keras_hub|initializers|Layer)(?:\.|$)/;

/** Per loop node: what its body holds (a loop inside a function runs at each call; its syntax is read once). */
export class ModelReach {
  private readonly facts = new Map<number, BodyFacts>();

  constructor(private readonly source: SourceText) {}

  /** Whether running the loop `statement` can change a model; when it cannot, the names it assigns become unknown. */
  skipped(statement: SyntaxNode, scope: Scope): boolean {
    const facts = this.factsOf(statement);
    if (facts.returns || facts.buildsMembers || this.reaches(facts, scope, 0)) return false;
    for (const name of facts.assigned) scope.set(name, UNKNOWN);
    return true;
  }

  /** Whether a name the syntax holds is a model part, or a function of the file whose body may reach one. */
  private reaches(facts: BodyFacts, scope: Scope, depth: number): boolean {
    for (const name of facts.names) {
      const value = scope.get(name);
      if (!value) continue;
      if (value.t === 'function' && depth < MAX_FUNCTION_DEPTH && !value.fn.isMethod && value.fn.syntax.name === 'FunctionDefinition') {
        // `clean(text)`: a helper that names nothing of a model cannot reach one through its calls either.
        if (this.reaches(this.factsOf(value.fn.syntax, true), value.closure, depth + 1)) return true;
        continue;
      }
      if (isModelPart(value) || holdsModelPart(value)) return true;
    }
    return false;
  }

  /** `ownDefinition`: a function definition read for its body (its own name and returns are not a loop's). */
  private factsOf(statement: SyntaxNode, ownDefinition = false): BodyFacts {
    let facts = this.facts.get(statement.from);
    if (facts) return facts;
    const names = new Set<string>();
    const assigned = new Set<string>();
    let returns = false;
    let buildsMembers = false;
    const cursor = statement.cursor();
    const end = statement.to;
    do {
      if (cursor.from >= end) break;
      const kind = cursor.name;
      if (ownDefinition && cursor.from === statement.from) continue;
      if (kind === 'ReturnStatement' || kind === 'yield' || kind === 'FunctionDefinition' || kind === 'ClassDefinition' || kind === 'global' || kind === 'nonlocal') returns = true;
      else if (kind === 'VariableName') names.add(this.source.text.slice(cursor.from, cursor.to));
      else if (kind === 'PropertyName') {
        const member = this.source.text.slice(cursor.from, cursor.to);
        if (MODEL_MEMBER.test(member)) buildsMembers = true;
        // `xs.append(…)` changes `xs` in place: skipped, `xs` is unknown.
        const object = cursor.node.parent?.firstChild;
        if (MUTATORS.has(member) && object?.name === 'VariableName') assigned.add(this.source.slice(object));
      } else if (kind === 'AssignStatement' || kind === 'UpdateStatement') {
        const target = cursor.node.firstChild;
        if (target?.name === 'MemberExpression' && target.firstChild?.name === 'VariableName') assigned.add(this.source.slice(target.firstChild));
      }
    } while (cursor.next());
    collectAssigned(statement, this.source, assigned);
    facts = { names: [...names], assigned: [...assigned], returns, buildsMembers };
    this.facts.set(statement.from, facts);
    return facts;
  }
}

/** A layer, model, tensor, object or function, or a library path or call that builds them (`np.zeros(…)` does not). */
function isModelPart(value: PyValue): boolean {
  if (value.t === 'ref') return MODEL_PATH.test(value.path);
  if (value.t === 'call') return MODEL_PATH.test(value.site.callee) || !value.site.callee.includes('.');
  return MODEL_KINDS.has(value.t);
}

/** A list or dict holding a layer, model or tensor (`blocks = [Dense(8), …]`) is part of a model too. */
function holdsModelPart(value: PyValue): boolean {
  if (value.t === 'list') return value.items.some(isModelPart);
  if (value.t === 'dict') for (const item of value.entries.values()) if (isModelPart(item)) return true;
  return false;
}

/** Names bound by statements inside `node`: assignment and loop targets, `+=`, `with … as name`, `except … as name`. */
function collectAssigned(node: SyntaxNode, source: SourceText, assigned: Set<string>): void {
  const cursor = node.cursor();
  const end = node.to;
  do {
    if (cursor.from >= end) break;
    const kind = cursor.name;
    if (kind !== 'AssignStatement' && kind !== 'UpdateStatement' && kind !== 'ForStatement' && kind !== 'WithStatement' && kind !== 'TryStatement') continue;
    const statement = cursor.node;
    let stop = statement.lastChild;
    if (kind === 'AssignStatement') for (let child = statement.firstChild; child; child = child.nextSibling) if (child.name === 'AssignOp') stop = child;
    if (kind === 'UpdateStatement') stop = statement.firstChild?.nextSibling ?? null;
    if (kind === 'ForStatement') stop = statement.getChild('in');
    for (let child = statement.firstChild; child && child !== stop && child.from < (stop?.from ?? Infinity); child = child.nextSibling) targetNames(child, source, assigned);
    if (kind === 'WithStatement' || kind === 'TryStatement') {
      for (let child = statement.firstChild; child; child = child.nextSibling) {
        if (child.name === 'as' && child.nextSibling?.name === 'VariableName') assigned.add(source.slice(child.nextSibling));
      }
    }
  } while (cursor.next());
}

/** The names a target binds: `a`, `a, b`, `(a, [b, c])`, `*rest` (not `obj.attr` nor `items[0]`: those change objects the check looked at). */
function targetNames(target: SyntaxNode, source: SourceText, assigned: Set<string>): void {
  if (target.name === 'VariableName') {
    assigned.add(source.slice(target));
    return;
  }
  if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
    for (let child = target.firstChild; child; child = child.nextSibling) targetNames(child, source, assigned);
  }
}
