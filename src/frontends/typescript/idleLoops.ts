/**
 * Loops that build nothing: a training loop (`for (let episode = 0; episode < 600; episode++)`), a data
 * pipeline, an evaluation sweep. A loop that has spent a few hundred evaluation steps without making, applying
 * or adding a layer is cut, and what it writes becomes unknown: the values its remaining iterations would have
 * given are never guessed, and a 120,000-step rollout costs what a few iterations do. A loop whose syntax
 * cannot reach a model (`loopMayBuild`) gets a shorter leash, and is not run at all when it is known to take
 * over SHORT_LOOP_ITERATIONS iterations; a short one still runs, because loops that compute a model's widths
 * (`for (…) widths.push(width *= 2)`) name nothing of a model either, and take tens of steps.
 */
import type * as ts from 'typescript';
import { assign } from './expressions';
import type { Evaluator } from './state';
import { Scope, UNKNOWN, type Closure, type Value } from './values';

/**
 * How a loop that builds nothing is cut: after `steps()` evaluation steps, forgetting what it wrote. `steps` is
 * asked only of loops that have already run IDLE_LOOP_STEPS.cannotBuild steps: most loops never pay for it.
 */
export interface IdleCut {
  steps: () => number;
  forget: () => void;
}

/**
 * Iterations past which a loop that cannot build is not run at all when its trip count is known up front
 * (`for (let t = 0; t < 5000; t++)`, `for (const row of rows)` over 5,000 rows): a loop computing a model's
 * configuration runs over a few widths or blocks, a data loop over samples, steps or episodes.
 */
export const SHORT_LOOP_ITERATIONS = 32;

/**
 * Whether a loop (or callback) that started at `stepsBefore` with `workBefore` graph work is cut now: it has
 * built nothing, and has spent its idle steps (the cheap test first: most loops never ask `idle.steps()`).
 */
export function idleCutDue(state: { steps: number; graphWork(): number }, stepsBefore: number, workBefore: number, idle: IdleCut): boolean {
  const spent = state.steps - stepsBefore;
  return spent > IDLE_LOOP_STEPS.cannotBuild && state.graphWork() === workBefore && spent > idle.steps();
}

/** Whether a loop of `iterations` known iterations is skipped before it runs: long, and unable to build. */
export function skipsLongLoop(idle: IdleCut, iterations: number | undefined): boolean {
  return iterations !== undefined && iterations > SHORT_LOOP_ITERATIONS && idle.steps() === IDLE_LOOP_STEPS.cannotBuild;
}

/**
 * Steps a loop may take without building anything: a training step of real code takes hundreds, a loop that
 * computes a configuration (a list of widths, a doubling filter count) tens. A loop that names something of a
 * model may be building it late (a layer every tenth iteration) and is given longer.
 */
export const IDLE_LOOP_STEPS = { mayBuild: 300, cannotBuild: 150 } as const;

export function idleCutOf(ev: Evaluator, loop: ts.Node, scope: Scope): IdleCut {
  let steps: number | undefined;
  return {
    steps: () => (steps ??= loopMayBuild(ev, loop, scope) ? IDLE_LOOP_STEPS.mayBuild : IDLE_LOOP_STEPS.cannotBuild),
    forget: () => forgetWrites(ev, loop, scope),
  };
}

/** Methods that change their receiver in place (arrays, maps, sets). */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'add', 'clear']);

/** Everything `loop` may have written becomes unknown in `scope` (names the loop declares itself are not seen there). */
export function forgetWrites(ev: Evaluator, loop: ts.Node, scope: Scope): void {
  for (const target of factsOf(ev, loop).writes) {
    try {
      assign(ev, target, UNKNOWN, target, scope);
    } catch {
      // A receiver we cannot evaluate holds nothing we know, so nothing to forget.
    }
  }
}

/** The expressions an assignment-like node writes to: names, properties, the containers of written elements. */
function writtenTargets(kind: typeof ts.SyntaxKind, target: ts.Expression, found: ts.Expression[]): void {
  while (target.kind === kind.ParenthesizedExpression || target.kind === kind.NonNullExpression || target.kind === kind.AsExpression) {
    target = (target as ts.ParenthesizedExpression).expression;
  }
  if (target.kind === kind.Identifier || target.kind === kind.PropertyAccessExpression) found.push(target);
  // `xs[i] = …`: the key is the loop's own, so the whole container is what changed.
  else if (target.kind === kind.ElementAccessExpression) writtenTargets(kind, (target as ts.ElementAccessExpression).expression, found);
  else if (target.kind === kind.ArrayLiteralExpression) for (const element of (target as ts.ArrayLiteralExpression).elements) writtenTargets(kind, element, found);
  else if (target.kind === kind.ObjectLiteralExpression) {
    for (const property of (target as ts.ObjectLiteralExpression).properties) {
      if (property.kind === kind.ShorthandPropertyAssignment) writtenTargets(kind, (property as ts.ShorthandPropertyAssignment).name, found);
      else if (property.kind === kind.PropertyAssignment) writtenTargets(kind, (property as ts.PropertyAssignment).initializer, found);
    }
  } else if (target.kind === kind.SpreadElement) writtenTargets(kind, (target as ts.SpreadElement).expression, found);
}

/** What a loop's (or a function's) syntax holds, read once per node. */
interface ReachFacts {
  /** Names it uses other than as the receiver of a member (`f(x)`, `y = x`), `this` included: see `namesOf`. */
  names: NameTree;
  /** Member chains on a name (`policy.predict`, `this.model.fit`, `tf.layers.dense`): root and members. */
  chains: { root: string; members: string[] }[];
  /** A class declared, or a building member on a receiver only a run shows (`f().layers`). */
  builds: boolean;
  /** A `return`/`yield` outside nested functions: in a loop, the loop decides what its function gives back. */
  returns: boolean;
  /** What it assigns or changes in place (names, properties, receivers of mutators), nested functions included. */
  writes: ts.Expression[];
}

/**
 * A node's names: its own, and its nested loops' and functions' (each kept once, with their facts). Most nodes'
 * names are never asked (only those of loops that run idle and of functions nobody calls), so they are not
 * copied into every enclosing node's set as the walk goes: `namesOf` gathers them for a node when asked.
 */
interface NameTree {
  own: string[];
  nested: NameTree[];
  gathered?: string[];
}

/** Each name of `tree` once: its own and its nested nodes', gathered on first ask. */
function namesOf(tree: NameTree): string[] {
  if (tree.gathered) return tree.gathered;
  if (!tree.nested.length) return (tree.gathered = [...new Set(tree.own)]);
  const names = new Set<string>();
  const pending = [tree];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const name of next.own) names.add(name);
    for (const nested of next.nested) pending.push(nested);
  }
  return (tree.gathered = [...names]);
}

/** What a node kind is to the walk: a type (names no values), a loop, a function. */
const TYPE_KIND = 1;
const LOOP_KIND = 2;
const FUNCTION_KIND = 4;

/**
 * Per compiler instance (tsserver's may number its kinds differently), a flag byte per syntax kind: one array
 * read per node of the walk instead of a range test and two set lookups.
 */
const kindFlags = new WeakMap<typeof ts.SyntaxKind, Uint8Array>();

function kindFlagsOf(kind: typeof ts.SyntaxKind): Uint8Array {
  let flags = kindFlags.get(kind);
  if (!flags) {
    flags = new Uint8Array(kind.Count + 1);
    for (let type = kind.FirstTypeNode; type <= kind.LastTypeNode; type++) flags[type] |= TYPE_KIND;
    for (const loop of [kind.ForStatement, kind.ForOfStatement, kind.ForInStatement, kind.WhileStatement, kind.DoStatement]) flags[loop] |= LOOP_KIND;
    for (const fn of [kind.ArrowFunction, kind.FunctionExpression, kind.FunctionDeclaration, kind.MethodDeclaration, kind.Constructor, kind.GetAccessor, kind.SetAccessor]) {
      flags[fn] |= FUNCTION_KIND;
    }
    kindFlags.set(kind, flags);
  }
  return flags;
}

/** Members through which code makes layers and models or grows them (tfjs-layers exports and model methods). */
const BUILDING_MEMBERS = new Set([
  'layers', 'sequential', 'model', 'input', 'add', 'apply', 'addWeight', 'loadLayersModel', 'loadGraphModel', 'setWeights', 'build', 'call',
]);

/** Helpers followed into helpers when deciding whether a loop's calls may build a model. */
const MAX_FUNCTION_DEPTH = 3;

const factsByNode = new WeakMap<ts.Node, ReachFacts>();

/**
 * Whether running `loop` may build or grow a model: it declares a class, decides its function's result, names a
 * value that is (or holds) a layer, model, symbolic tensor or class of the file other than to read it
 * (`policy.predict(…)` reads; `f(policy)`, `policy.add(…)` may build), reaches a building member of a library
 * or unknown value (`tf.layers`, `tf.sequential`), or calls a function of the file whose body may (followed
 * MAX_FUNCTION_DEPTH deep). When unsure it says yes.
 */
export function loopMayBuild(ev: Evaluator, loop: ts.Node, scope: Scope): boolean {
  const facts = factsOf(ev, loop);
  return facts.returns || reaches(ev, facts, scope, []);
}

/**
 * Whether a function nobody calls may build a model when run alone with unknown arguments: a data loader or a
 * training function (`train(model, data)` calls `model.fit`, a read) is not run at all.
 */
export function functionMayBuild(ev: Evaluator, closure: Closure): boolean {
  // A constructor sets the fields the class's other methods build with (`this.width`): always run.
  if (!closure.node.body || closure.node.kind === ev.syntax.Constructor) return true;
  let scope = closure.scope;
  if (closure.thisValue) {
    scope = new Scope(scope);
    scope.declare('this', closure.thisValue);
  }
  return reaches(ev, factsOf(ev, closure.node), scope, [closure.node]);
}

/** `followed`: the functions whose bodies are being read, outermost first (a recursive call adds nothing). */
function reaches(ev: Evaluator, facts: ReachFacts, scope: Scope, followed: readonly ts.Node[]): boolean {
  if (facts.builds) return true;
  for (const name of namesOf(facts.names)) {
    const value = scope.lookup(name)?.value;
    if (value && valueReaches(ev, value, followed)) return true;
  }
  for (const { root, members } of facts.chains) {
    let value = scope.lookup(root)?.value;
    for (const member of members) {
      if (!value || value.kind === 'unknown' || value.kind === 'reference' || isModelPart(value)) {
        // A library (`tf.layers`), a value we do not know, or a model part: only what its member does decides.
        if (BUILDING_MEMBERS.has(member)) return true;
        break;
      }
      if (value.kind === 'function') {
        if (valueReaches(ev, value, followed)) return true;
        break;
      }
      value = value.kind === 'object' ? value.props.get(member)?.value : undefined;
      if (value && value.kind !== 'object' && valueReaches(ev, value, followed)) return true;
    }
  }
  return false;
}

/** A function of the file whose body may build, or a value that is or holds a model part. */
function valueReaches(ev: Evaluator, value: Value, followed: readonly ts.Node[]): boolean {
  if (value.kind !== 'function') return holdsModelPart(value, 0);
  const { closure } = value;
  if (followed.includes(closure.node)) return false;
  if (followed.length >= MAX_FUNCTION_DEPTH || !closure.node.body) return true;
  return reaches(ev, factsOf(ev, closure.node), closure.scope, [...followed, closure.node]);
}

function isModelPart(value: Value): boolean {
  return value.kind === 'layer' || value.kind === 'tensor' || value.kind === 'model' || value.kind === 'class'
    || (value.kind === 'object' && (value.base !== undefined || value.model !== undefined));
}

/** A model part, or a container holding one (`{encoder}`, `[[dense]]`). */
function holdsModelPart(value: Value, depth: number): boolean {
  if (isModelPart(value)) return true;
  if (depth >= 2) return false;
  if (value.kind === 'object') {
    for (const slot of value.props.values()) if (holdsModelPart(slot.value, depth + 1)) return true;
  } else if (value.kind === 'array') {
    for (const slot of value.items) if (holdsModelPart(slot.value, depth + 1)) return true;
  }
  return false;
}

/**
 * The facts of `root`, reading each nested loop and function once: their own facts are computed (and kept) and
 * merged, so a file's loops and functions cost one walk of their text in all, however deeply they nest.
 */
function factsOf(ev: Evaluator, root: ts.Node): ReachFacts {
  let facts = factsByNode.get(root);
  if (facts) return facts;
  const kind = ev.syntax;
  const flags = kindFlagsOf(kind);
  // Read once: the `ts` namespace is a dictionary of getters, a lookup per node visited.
  const forEachChild = ev.ts.forEachChild;
  const names: NameTree = { own: [], nested: [] };
  const chains: ReachFacts['chains'] = [];
  let builds = false;
  let returns = false;
  const writes: ts.Expression[] = [];
  const merge = (nested: ReachFacts, ownReturns: boolean): void => {
    names.nested.push(nested.names);
    for (const chain of nested.chains) chains.push(chain);
    for (const write of nested.writes) writes.push(write);
    builds ||= nested.builds;
    // A loop's `return` returns from the function around it; a nested function's, from itself.
    if (ownReturns) returns ||= nested.returns;
  };
  const visit = (node: ts.Node): void => {
    const nodeFlags = flags[node.kind];
    if (nodeFlags !== 0) {
      // Type annotations and declarations name types, never values.
      if (nodeFlags & TYPE_KIND) return;
      if (node !== root) return merge(factsOf(ev, node), (nodeFlags & LOOP_KIND) !== 0);
    }
    switch (node.kind) {
      case kind.Identifier:
        names.own.push((node as ts.Identifier).text);
        return;
      case kind.ThisKeyword:
        names.own.push('this');
        return;
      case kind.BinaryExpression: {
        const { left, operatorToken } = node as ts.BinaryExpression;
        if (operatorToken.kind >= kind.FirstAssignment && operatorToken.kind <= kind.LastAssignment) writtenTargets(kind, left, writes);
        break;
      }
      case kind.PrefixUnaryExpression:
      case kind.PostfixUnaryExpression: {
        const { operator, operand } = node as ts.PrefixUnaryExpression;
        if (operator === kind.PlusPlusToken || operator === kind.MinusMinusToken) writtenTargets(kind, operand, writes);
        break;
      }
      case kind.CallExpression: {
        const callee = (node as ts.CallExpression).expression;
        if (callee.kind === kind.PropertyAccessExpression && MUTATORS.has((callee as ts.PropertyAccessExpression).name.text)) {
          writtenTargets(kind, (callee as ts.PropertyAccessExpression).expression, writes);
        }
        break;
      }
      case kind.DeleteExpression:
        writtenTargets(kind, (node as ts.DeleteExpression).expression, writes);
        break;
      case kind.PropertyAccessExpression: {
        const members: string[] = [];
        let receiver: ts.Expression = node as ts.PropertyAccessExpression;
        while (receiver.kind === kind.PropertyAccessExpression) {
          members.push((receiver as ts.PropertyAccessExpression).name.text);
          receiver = (receiver as ts.PropertyAccessExpression).expression;
        }
        members.reverse();
        if (receiver.kind === kind.Identifier) chains.push({ root: (receiver as ts.Identifier).text, members });
        else if (receiver.kind === kind.ThisKeyword) chains.push({ root: 'this', members });
        else {
          // `f().layers`, `xs[0].add`: what the receiver is shows only when run.
          if (members.some((member) => BUILDING_MEMBERS.has(member))) builds = true;
          visit(receiver);
        }
        return;
      }
      case kind.ReturnStatement:
      case kind.YieldExpression:
        returns = true;
        break;
      case kind.ClassDeclaration:
      case kind.ClassExpression:
        builds = true;
        return;
      case kind.InterfaceDeclaration:
      case kind.TypeAliasDeclaration:
        return;
    }
    forEachChild(node, visit);
  };
  visit(root);
  facts = { names, chains, builds, returns, writes };
  factsByNode.set(root, facts);
  return facts;
}
