/**
 * Loops that cannot change a model: a training loop (`for episode in range(600):`), data preparation, a sweep
 * over numbers. Running them would add no layer, apply none to a tensor, build none and set no initializer:
 * they are skipped, and what they assign or change in place becomes unknown (never a value the skipped
 * iterations would not have given).
 *
 * The check reads the loop's syntax once and looks up the names it holds in the scope of the moment. A name
 * bound to a layer, tensor, model object or library path that builds layers makes the loop run. So does a
 * member that builds or changes models (`add`, `layers`, `kernel_initializer`, a class like `Dense`). Helpers
 * of the file the loop calls are read the same way, and so are the methods of objects of the file it uses
 * (`agent.act(state)`), with `self` changes noted. A Sequential or functional model the loop merely uses
 * (`model(x)` on data, `model.fit(…)`, `model.predict(…)`) changes nothing once every one of its layers is
 * built, which is what Keras's own `fit` needs: then the loop may be skipped. Anything not understood runs.
 * A long loop (interpreter.ts: LONG_LOOP) that cannot change a model is skipped; a short one only when nothing
 * outside it reads what it computes (a width list filled by three iterations is kept exact).
 */
import type { SyntaxNode } from '@lezer/common';
import { classMember } from './operations';
import { readFacts, type BodyFacts, type Change } from './bodyFacts';
import type { ModelBook } from './models';
import { walkSubtree, type SourceText } from './syntax';
import { UNKNOWN, type FunctionDef, type ObjectValue, type PyValue, type Scope } from './values';

/** Values that are, or may make, part of a model. */
const MODEL_KINDS = new Set<PyValue['t']>(['call', 'partial', 'tensor', 'sequential', 'functional', 'function', 'class', 'object', 'method']);

/** Helpers followed into helpers when deciding whether a loop's calls may reach a model. */
const MAX_FUNCTION_DEPTH = 3;

/** Library paths whose calls build layers or models (`keras.layers.Dense`, `tf.keras.Sequential`, `keras.applications…`). */
const MODEL_PATH = /(?:^|\.)(?:layers|Sequential|Model|Functional|Input|applications|models|keras_hub|initializers|Layer)(?:\.|$)/;

/**
 * Library classes that never become a layer or model: training machinery and data (`tf.GradientTape`,
 * `keras.losses.…`, `keras.metrics.…`, `keras.optimizers.…`, `tf.data.Dataset`, `keras.callbacks.…`).
 */
const NON_MODEL_PATH = /(?:^|\.)(?:losses|metrics|optimizers|callbacks|data|datasets|utils|GradientTape|Variable|TensorSpec)(?:\.|$)/;

/** Whether a call of the library class at `path` may make a layer or model (what is not known to be bookkeeping may). */
function buildsLayers(path: string): boolean {
  return MODEL_PATH.test(path) || !NON_MODEL_PATH.test(path);
}

/** Methods an object runs without being named (`obj(x)`). */
const IMPLICIT_METHODS = ['call', '__call__'];

/** Per loop and function node: what its body holds (a loop inside a function runs at each call; its syntax is read once). */
export class ModelReach {
  private readonly loopFacts = new Map<number, BodyFacts>();
  private readonly functionFacts = new Map<number, BodyFacts>();
  private readonly unread = new Map<number, boolean>();
  /** Per tree (by its top's offset): where its variables are written, as `from, to` pairs in document order. */
  private readonly variables = new Map<number, number[]>();

  constructor(private readonly source: SourceText, private readonly book: ModelBook) {}

  /**
   * The loop `statement` when running it cannot change a model (what skipping it takes), else undefined. A
   * loop this check cannot read (nested too deeply for it, say) can.
   */
  inertLoop(statement: SyntaxNode, scope: Scope): InertLoop | undefined {
    try {
      const facts = this.factsOf(statement, false);
      if (facts.returns || facts.rebindsOuter || facts.buildsMembers) return undefined;
      const query = new ReachQuery(this, this.book, this.source);
      const forget = query.loopChanges(facts, scope);
      if (!forget || query.loopReaches(facts, scope)) return undefined;
      return {
        changesObjects: query.changesObjects(),
        skip: () => {
          for (const name of facts.bound) scope.set(name, UNKNOWN);
          forget();
        },
      };
    } catch {
      return undefined;
    }
  }

  /**
   * Whether nothing outside the loop reads what it binds or changes, but `print(…)` and f-strings (whose
   * values the interpreter never follows). A short loop that cannot change a model is then skipped too: its
   * values can reach no model either.
   */
  unreadElsewhere(statement: SyntaxNode): boolean {
    let unread = this.unread.get(statement.from);
    if (unread === undefined) {
      const facts = this.factsOf(statement, false);
      let top = statement;
      while (top.parent) top = top.parent;
      const variables = this.variablesOf(top);
      const names = new Set([...facts.bound, ...facts.changes.map((change) => change.root)]);
      unread = [...names].every((name) => name !== '' && !readOutside(name, statement, top, occurrencesOf(name, variables, this.source.text), this.source));
      this.unread.set(statement.from, unread);
    }
    return unread;
  }

  /** `variablesOf(top)` as a walk the caller made anyway found it. */
  knowVariables(top: SyntaxNode, offsets: number[]): void {
    this.variables.set(top.from, offsets);
  }

  /**
   * Where the variables of the tree under `top` are written, in one walk kept for the file's other loops: only
   * offsets, as the few names a loop binds are looked up among them (slicing every name cost more than the walk).
   */
  private variablesOf(top: SyntaxNode): number[] {
    let found = this.variables.get(top.from);
    if (!found) {
      const offsets: number[] = (found = []);
      walkSubtree(top, (cursor) => {
        if (cursor.name === 'VariableName') offsets.push(cursor.from, cursor.to);
      });
      this.variables.set(top.from, found);
    }
    return found;
  }

  /** `ownDefinition`: a function definition read for its body (its own name is not the body's). */
  factsOf(statement: SyntaxNode, ownDefinition: boolean): BodyFacts {
    const cache = ownDefinition ? this.functionFacts : this.loopFacts;
    let facts = cache.get(statement.from);
    if (!facts) {
      facts = readFacts(statement, ownDefinition, this.source);
      cache.set(statement.from, facts);
    }
    return facts;
  }
}

/** A loop that cannot change a model. */
export interface InertLoop {
  /** Whether skipping it leaves attributes of the file's objects unknown (whose readers nothing here lists). */
  changesObjects: boolean;
  /** Makes what the loop binds or changes unknown, for the caller that does not run it. */
  skip(): void;
}

/** The starts of the variables written `name`, in document order (`variables`: see `ModelReach.variablesOf`). */
function occurrencesOf(name: string, variables: number[], text: string): number[] {
  const starts: number[] = [];
  for (let i = 0; i < variables.length; i += 2) {
    if (variables[i + 1] - variables[i] === name.length && text.startsWith(name, variables[i])) starts.push(variables[i]);
  }
  return starts;
}

/**
 * Whether `name` is read as a variable outside `loop` (`at`: where it is written in the loop's tree), other
 * than by `print(…)` or an f-string.
 */
function readOutside(name: string, loop: SyntaxNode, top: SyntaxNode, at: number[], source: SourceText): boolean {
  // Another module mounted in the same text (see modules.ts) may import the name: written there, taken as read.
  if (writtenOutside(name, top, source.text)) return true;
  for (const start of at) {
    if (start >= loop.from && start < loop.to) continue;
    const node = top.resolveInner(start, 1);
    if (node.name !== 'VariableName' || node.from !== start) return true;
    // `compile(loss="mse")`: a keyword argument's name is no read of the variable.
    if (node.parent?.name === 'ArgList' && node.nextSibling?.name === 'AssignOp') continue;
    // `best = 0.0` before the loop writes the name, reading nothing.
    if (node.parent?.name === 'AssignStatement' && node.nextSibling?.name === 'AssignOp') continue;
    if (!printedOnly(node, source)) return true;
  }
  return false;
}

/** Whether `name` is written as a word in the text outside the tree under `top` (the project's other modules). */
function writtenOutside(name: string, top: SyntaxNode, text: string): boolean {
  if (top.from === 0 && top.to >= text.length) return false;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (at >= top.from && at < top.to) continue;
    if (!isWordCharacter(text.charCodeAt(at - 1)) && !isWordCharacter(text.charCodeAt(at + name.length))) return true;
  }
  return false;
}

function printedOnly(node: SyntaxNode, source: SourceText): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name === 'FormatString') return true;
    if (parent.name === 'ArgList') {
      const callee = parent.parent?.name === 'CallExpression' ? parent.parent.firstChild : null;
      return callee?.name === 'VariableName' && source.slice(callee) === 'print';
    }
    if (parent.name.endsWith('Statement') || parent.name === 'Body' || parent.name === 'Script') return false;
  }
  return false;
}

function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code > 127;
}

/** One decision: the functions, objects and models a loop reaches, followed until nothing new is reached. */
class ReachQuery {
  private readonly members = new Set<string>();
  private readonly objects: ObjectValue[] = [];
  private readonly ranMethods = new Set<string>();
  private readonly visitedFunctions = new Set<FunctionDef>();
  /** The functions and methods the loop calls: a skipped loop still called them (see `FunctionDef.executed`). */
  private readonly called = new Set<FunctionDef>();
  private readonly models: PyValue[] = [];
  /** What skipping the loop leaves unknown: names it changes, attributes its methods set. */
  private readonly forgotten: { scope?: Scope; object?: ObjectValue; name: string }[] = [];

  constructor(private readonly reach: ModelReach, private readonly book: ModelBook, private readonly source: SourceText) {}

  /** What the loop's own in-place changes leave unknown once skipped (a function to forget them), or undefined: it must run. */
  loopChanges(facts: BodyFacts, scope: Scope): (() => void) | undefined {
    for (const change of facts.changes) {
      const value = change.root ? scope.get(change.root) : undefined;
      if (!change.root) return undefined;
      // `model.pop()` or `blocks[0] = Dense(8)` changes what a model holds.
      if (value && (isModelPart(value) && value.t !== 'object')) return undefined;
      if (value && holdsModelPart(value)) return undefined;
      if (value?.t === 'object' && !this.objectChange(value, change)) return undefined;
      // A list or dict of an enclosing scope (a global filled by a function's loop) is seen there too.
      if (value && SHARED_KINDS.has(value.t) && value.t !== 'object' && !scope.own().has(change.root)) return undefined;
      if (value?.t !== 'object') this.forgotten.push({ scope, name: change.root });
    }
    return () => {
      // Called by the code as written, they are not read again with their defaults at the end of the file.
      for (const fn of this.called) fn.executed = true;
      for (const { scope: where, object, name } of this.forgotten) {
        if (object) object.attrs.set(name, UNKNOWN);
        else where?.set(name, UNKNOWN);
      }
    };
  }

  changesObjects(): boolean {
    return this.forgotten.some((entry) => entry.object);
  }

  loopReaches(facts: BodyFacts, scope: Scope): boolean {
    if (this.bodyReaches(facts, scope, 0)) return true;
    // Methods of the objects reached, as the members named so far say they may run (followed to a fixed point).
    for (let changed = true; changed;) {
      changed = false;
      for (let index = 0; index < this.objects.length; index++) {
        const object = this.objects[index];
        for (const name of [...IMPLICIT_METHODS, ...this.members]) {
          const found = classMember(object.cls, name);
          if (!found || !('method' in found) || this.ranMethods.has(`${index}:${name}`)) continue;
          this.ranMethods.add(`${index}:${name}`);
          changed = true;
          if (this.functionReaches(found.method, found.owner.closure, object, 1)) return true;
        }
      }
    }
    // Used, not changed: every layer of each model must already be built (`fit` or `model(x)` builds nothing more).
    return this.models.some((model) => !this.book.isFullyBuilt(model));
  }

  private bodyReaches(facts: BodyFacts, scope: Scope, depth: number): boolean {
    if (facts.buildsMembers) return true;
    for (const { root, path } of facts.classPaths) {
      // `tf.GradientTape()` makes no layer; `layers.Dense(8)`, `keras.Model(…)` or a class we cannot place may.
      const module = scope.get(root);
      if (module?.t !== 'ref' || buildsLayers(`${module.path}.${path}`)) return true;
    }
    for (const member of facts.members) this.members.add(member);
    for (const name of facts.names) {
      const value = scope.get(name);
      if (value && this.valueReaches(value, depth)) return true;
    }
    return false;
  }

  private valueReaches(value: PyValue, depth: number): boolean {
    switch (value.t) {
      case 'function':
        // A lambda or a method read off its class could do anything: it runs the loop.
        if (value.fn.isMethod || value.fn.syntax.name !== 'FunctionDefinition') return true;
        return this.functionReaches(value.fn, value.closure, undefined, depth + 1);
      case 'method': return this.objectReaches(value.self) || this.functionReaches(value.fn, value.closure, value.self, depth + 1);
      case 'class': {
        // Made in the loop: `__init__` and the other methods run on a new object.
        if (value.cls.isModel) return true;
        const fresh: ObjectValue = { t: 'object', cls: value.cls, attrs: new Map() };
        for (const method of allMethods(value.cls)) if (this.functionReaches(method.fn, method.closure, fresh, depth + 1)) return true;
        return false;
      }
      case 'object': return this.objectReaches(value);
      case 'sequential':
      case 'functional':
        this.models.push(value);
        return false;
      default: return isModelPart(value) || holdsModelPart(value);
    }
  }

  /** A plain object of the file: its attributes are read, its methods followed once the members say which. */
  private objectReaches(object: ObjectValue): boolean {
    if (object.cls.isModel) return true;
    if (this.objects.includes(object)) return false;
    if (this.objects.length >= 16) return true;
    this.objects.push(object);
    for (const attribute of object.attrs.values()) if (this.valueReaches(attribute, MAX_FUNCTION_DEPTH)) return true;
    return false;
  }

  /**
   * A change to an object of the file: rebinding an attribute (`self.epsilon *= 0.99`) is forgotten when the
   * loop is skipped; changing an attribute's value in place is too, unless that value is a list, dict, object or
   * model others may hold. False: the change cannot be forgotten, the loop runs.
   */
  private objectChange(object: ObjectValue, change: Change): boolean {
    const attribute = change.rebinds ?? change.changesIn;
    if (!attribute) return false;
    if (change.changesIn) {
      const current = object.attrs.get(attribute) ?? object.cls.attrs.get(attribute);
      if (current && SHARED_KINDS.has(current.t)) return false;
    }
    this.forgotten.push({ object, name: attribute });
    return true;
  }

  /**
   * A function of the file (`self`: the object a method runs on). It reaches a model when its body does, and
   * the loop must run when it rebinds names outside it or changes an argument or outer value in place.
   */
  private functionReaches(fn: FunctionDef, closure: Scope, self: ObjectValue | undefined, depth: number): boolean {
    if (depth > MAX_FUNCTION_DEPTH) return true;
    this.called.add(fn);
    if (!self) {
      if (this.visitedFunctions.has(fn)) return false;
      this.visitedFunctions.add(fn);
    }
    const facts = this.reach.factsOf(fn.syntax, true);
    if (facts.rebindsOuter) return true;
    const selfName = self ? fn.params[0]?.name : undefined;
    for (const change of facts.changes) {
      if (self && change.root === selfName) {
        if (!this.objectChange(self, change)) return true;
        continue;
      }
      // A local made fresh in the function (`states = np.zeros(…)`, `out = []`) may be changed in place; an
      // argument, an outer value, or a local that may be one of them may not.
      const values = facts.assignedValues.get(change.root);
      if (!values || fn.params.some((param) => param.name === change.root)) return true;
      for (const value of values) {
        const fresh = this.freshValue(value, closure, self, selfName);
        // The items of a new list may be values others hold: only the list itself may change.
        if (fresh === 'no' || (fresh === 'container' && !change.shallow)) return true;
      }
    }
    return this.bodyReaches(facts, closure, depth);
  }

  /**
   * Whether `value` makes a new value the interpreter never shares: a literal, a comprehension or a builtin
   * (`list(x)`) make a new container ('container': its items may be shared); a library call (`np.zeros(…)`) or a
   * method of a model attribute (`self.model.predict(…)`) an opaque value that holds nothing of the file.
   */
  private freshValue(value: SyntaxNode, closure: Scope, self: ObjectValue | undefined, selfName: string | undefined): 'container' | 'opaque' | 'no' {
    if (FRESH_SYNTAX.has(value.name)) return 'container';
    if (value.name !== 'CallExpression' || !value.firstChild) return 'no';
    const calleeNode = value.firstChild;
    if (self && selfName) {
      const holder = calleeNode.name === 'MemberExpression' ? calleeNode.firstChild : null;
      const owner = holder?.name === 'MemberExpression' ? holder.firstChild : null;
      const attribute = holder?.lastChild?.name === 'PropertyName' ? holder.lastChild : null;
      if (owner?.name === 'VariableName' && attribute && this.source.slice(owner) === selfName) {
        const held = self.attrs.get(this.source.slice(attribute));
        if (held?.t === 'sequential' || held?.t === 'functional') return 'opaque';
      }
    }
    let root: SyntaxNode = calleeNode;
    while (root.name === 'MemberExpression' && root.firstChild) root = root.firstChild;
    if (root.name !== 'VariableName') return 'no';
    const name = this.source.slice(root);
    if (name === selfName) return 'no';
    const callee = closure.get(name);
    if (!callee) return root === calleeNode ? 'container' : 'opaque';
    return callee.t === 'ref' && !MODEL_PATH.test(callee.path) ? 'opaque' : 'no';
  }
}

/** Values others may hold and the interpreter changes in place. */
const SHARED_KINDS = new Set<PyValue['t']>(['list', 'dict', 'object', 'sequential', 'functional']);

/** Expressions that make a new value. */
const FRESH_SYNTAX = new Set([
  'Number', 'String', 'ContinuedString', 'FormatString', 'Boolean', 'None', 'ArrayExpression', 'DictionaryExpression', 'SetExpression',
  'ArrayComprehensionExpression', 'DictionaryComprehensionExpression', 'SetComprehensionExpression', 'ComprehensionExpression',
  'TupleExpression',
]);

function allMethods(cls: ObjectValue['cls']): { fn: FunctionDef; closure: Scope }[] {
  const methods = [...cls.methods.values()].map((fn) => ({ fn, closure: cls.closure }));
  for (const base of cls.bases) methods.push(...allMethods(base));
  return methods;
}

/** A layer, model, tensor, object or function, or a library path or call that builds them (`np.zeros(…)` does not). */
function isModelPart(value: PyValue): boolean {
  if (value.t === 'ref') return MODEL_PATH.test(value.path);
  if (value.t === 'call') return MODEL_PATH.test(value.site.callee) || !value.site.callee.includes('.');
  return MODEL_KINDS.has(value.t);
}

/** A list or dict holding a layer, model or tensor (`blocks = [Dense(8), …]`) is part of a model too. */
function holdsModelPart(value: PyValue, depth = 0): boolean {
  if (depth > 3) return value.t === 'list' || value.t === 'dict';
  if (value.t === 'list') return value.items.some((item) => isModelPart(item) || holdsModelPart(item, depth + 1));
  if (value.t === 'dict') for (const item of value.entries.values()) if (isModelPart(item) || holdsModelPart(item, depth + 1)) return true;
  return false;
}
