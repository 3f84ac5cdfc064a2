/**
 * What a loop's or function's body holds, read from its syntax in one walk: the names it reads and binds, the
 * objects it changes in place, the members it names. `ModelReach` (modelReach.ts) weighs these against the
 * values in scope to decide whether running the body can change a model.
 */
import type { SyntaxNode } from '@lezer/common';
import { isInitializerAttribute } from './layerBuilds';
import { childNamed, walkSubtree, type SourceText } from './syntax';

/** An in-place change in a body: `xs.append(…)`, `d[k] = …`, `obj.attr = …`, `self.count += 1`. */
export interface Change {
  /** The name the changed expression starts from (`xs`, `d`, `obj`, `self`); '' when it has none (`f().x = 1`). */
  root: string;
  /** `root.NAME` is rebound (`self.count += 1`, `self.count = 0`). */
  rebinds?: string;
  /** `root.NAME` is changed in place (`self.memory.append(x)`, `self.seen[k] = 1`). */
  changesIn?: string;
  /** The root's own value is changed in place (`xs.append(x)`, `d[k] = v`, `obj.attr = v`). */
  shallow: boolean;
}

export interface BodyFacts {
  /** Names read or written anywhere in the body (a loop's test or iterable included). */
  names: string[];
  /** Names the body binds: loop targets, assignments, `+=`, `with … as`, `except … as`. */
  bound: string[];
  /** For each name bound only by plain assignments (`x = …`), the values assigned; other bindings are absent. */
  assignedValues: Map<string, SyntaxNode[]>;
  changes: Change[];
  /** Members written after a dot (`agent.act`): the methods of the file's objects that may run. */
  members: string[];
  /** Whether it names a member that builds or changes layers or models (`model.add`, `model.layers`). */
  buildsMembers: boolean;
  /** Classes named through a module (`layers.Dense`, `tf.GradientTape`): the module's name and the path after it. */
  classPaths: { root: string; path: string }[];
  /** A `return`/`yield`/`def`/`class` inside: a loop holding one decides what its function gives back or defines. */
  returns: boolean;
  /** `global`/`nonlocal`/`import`: names outside the body are rebound, or a module of the project is run. */
  rebindsOuter: boolean;
}

/**
 * Members that build layers or models, hand out their layers or tensors, or change them: a class (`Dense`),
 * a module of them, `model.add`/`pop`/`build`, `model.layers`, `get_layer`, a pretrained model's `output`.
 */
const MODEL_MEMBER = /^(?:layers|models|applications|initializers|add|build|get_layer|input|inputs|output|outputs|add_weight|add_variable)$/;

/** Methods that change a list, dict or set in place. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'update', 'setdefault', 'pop', 'popitem', 'remove', 'clear', 'add', 'discard', 'sort', 'reverse']);

/** The facts of one body, in one walk of its syntax. */
export function readFacts(statement: SyntaxNode, ownDefinition: boolean, source: SourceText): BodyFacts {
  const names = new Set<string>();
  const members = new Set<string>();
  const bindings: Bindings = { bound: new Set(), values: new Map(), other: new Set(), changes: [] };
  let returns = false;
  let rebindsOuter = false;
  let buildsMembers = false;
  const classPaths: { root: string; path: string }[] = [];
  const end = statement.to;
  walkSubtree(statement, (cursor) => {
    if (cursor.from >= end) return false;
    const kind = cursor.name;
    if (ownDefinition && cursor.from === statement.from) return true;
    switch (kind) {
      case 'ReturnStatement': case 'yield': case 'FunctionDefinition': case 'ClassDefinition': returns = true; break;
      // An import runs a module of the project the first time (which may build a model there).
      case 'global': case 'nonlocal': case 'ImportStatement': rebindsOuter = true; break;
      case 'ForStatement': case 'WhileStatement':
        boundBy(cursor.node, source, bindings);
        break;
      case 'AssignStatement': case 'UpdateStatement': case 'WithStatement': case 'TryStatement':
        boundBy(cursor.node, source, bindings);
        break;
      case 'VariableName': names.add(source.text.slice(cursor.from, cursor.to)); break;
      case 'PropertyName': {
        const member = source.text.slice(cursor.from, cursor.to);
        members.add(member);
        if (MODEL_MEMBER.test(member) || isInitializerAttribute(member)) buildsMembers = true;
        else if (isCapitalized(member)) {
          const path = classPath(cursor.node.parent, source);
          if (path) classPaths.push(path);
          else buildsMembers = true;
        }
        // `xs.append(…)`, `self.memory.append(…)` change their object in place.
        if (MUTATORS.has(member)) {
          const receiver = cursor.node.parent?.firstChild;
          if (receiver && receiver.to <= cursor.from) bindings.changes.push(changeOf(receiver, source, false));
        }
        break;
      }
      default: break;
    }
    return true;
  });
  for (const name of bindings.other) bindings.values.delete(name);
  return {
    names: [...names], bound: [...bindings.bound], assignedValues: bindings.values, changes: bindings.changes, members: [...members],
    buildsMembers, classPaths, returns, rebindsOuter,
  };
}

function isCapitalized(name: string): boolean {
  const first = name.charCodeAt(0);
  return first >= 65 && first <= 90;
}

/** `tf.keras.layers.Dense` → { root: 'tf', path: 'keras.layers.Dense' }; undefined for anything but names and dots. */
function classPath(member: SyntaxNode | null, source: SourceText): { root: string; path: string } | undefined {
  if (member?.name !== 'MemberExpression' || member.to - member.from > 200) return undefined;
  const text = source.slice(member).replace(/\s+/g, '');
  const match = /^([A-Za-z_]\w*)\.((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)$/.exec(text);
  return match ? { root: match[1], path: match[2] } : undefined;
}

interface Bindings {
  bound: Set<string>;
  values: Map<string, SyntaxNode[]>;
  /** Names also bound otherwise than by `name = value` (a loop target, `with … as`, a tuple target). */
  other: Set<string>;
  changes: Change[];
}

/** The names a statement binds and the objects it changes: targets before `=`, `+=` or `in`, and `as name`. */
function boundBy(statement: SyntaxNode, source: SourceText, bindings: Bindings): void {
  const kind = statement.name;
  if (kind === 'WithStatement' || kind === 'TryStatement') {
    for (let child = statement.firstChild; child; child = child.nextSibling) {
      if (child.name === 'as' && child.nextSibling?.name === 'VariableName') bindName(source.slice(child.nextSibling), undefined, bindings);
    }
    return;
  }
  let stop: SyntaxNode | null = null;
  if (kind === 'AssignStatement') for (let child = statement.firstChild; child; child = child.nextSibling) if (child.name === 'AssignOp') stop = child;
  if (kind === 'UpdateStatement') stop = statement.firstChild?.nextSibling ?? null;
  if (kind === 'ForStatement') stop = childNamed(statement, 'in');
  if (!stop) return;
  // `x = value` (one target, one value) is the one binding whose value is kept: see `freshValue`.
  const value = kind === 'AssignStatement' && stop.nextSibling && !stop.nextSibling.nextSibling ? stop.nextSibling : undefined;
  const update = kind === 'UpdateStatement';
  for (let child = statement.firstChild; child && child.from < stop.from; child = child.nextSibling) {
    if (child.name === 'VariableName') {
      // `x += …` keeps x's value (a list is extended in place): no new binding.
      if (!update) bindName(source.slice(child), value, bindings);
      else bindings.bound.add(source.slice(child));
    } else if (child.name === 'MemberExpression') bindings.changes.push(changeOf(child, source, true));
    else if (child.name !== 'AssignOp' && child.name !== 'TypeDef' && child.name !== 'for' && child.name !== ',') tupleTargets(child, source, bindings);
  }
}

function bindName(name: string, value: SyntaxNode | undefined, bindings: Bindings): void {
  bindings.bound.add(name);
  if (!value) {
    bindings.other.add(name);
    return;
  }
  const values = bindings.values.get(name);
  if (values) values.push(value);
  else bindings.values.set(name, [value]);
}

/** `a, (b, [c, *d])`: each name bound by unpacking; `obj.attr` and `items[0]` change their object. */
function tupleTargets(target: SyntaxNode, source: SourceText, bindings: Bindings): void {
  if (target.name === 'VariableName') bindName(source.slice(target), undefined, bindings);
  else if (target.name === 'MemberExpression') bindings.changes.push(changeOf(target, source, true));
  else if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
    for (let child = target.firstChild; child; child = child.nextSibling) tupleTargets(child, source, bindings);
  }
}

/**
 * `changed` is changed: a target written to (`assigned`: `d[k] = v`, `self.count = 0`), or the receiver of a
 * method that changes it in place (`xs` of `xs.append(…)`, `self.memory` of `self.memory.append(…)`).
 */
function changeOf(changed: SyntaxNode, source: SourceText, assigned: boolean): Change {
  // An assigned target changes its object: `d[k] = v` changes `d`, `self.a.b = 1` changes `self.a`.
  const object = assigned ? changed.firstChild : changed;
  if (!object) return { root: '', shallow: false };
  let root: SyntaxNode = object;
  let depth = 0;
  for (; root.name === 'MemberExpression' && root.firstChild; depth++) root = root.firstChild;
  if (root.name !== 'VariableName') return { root: '', shallow: false };
  const name = source.slice(root);
  if (depth === 0) {
    const property = changed.lastChild;
    // `self.count = 0` rebinds an attribute: the object itself is not changed in place.
    if (assigned && property?.name === 'PropertyName') return { root: name, rebinds: source.slice(property), shallow: true };
    return { root: name, shallow: true };
  }
  const attribute = depth === 1 && object.lastChild?.name === 'PropertyName' ? source.slice(object.lastChild) : undefined;
  return attribute ? { root: name, changesIn: attribute, shallow: false } : { root: name, shallow: false };
}
