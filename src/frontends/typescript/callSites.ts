/**
 * Calls as the IR reports them (`CallSite`), and which resolved callee paths are tfjs things.
 * A tfjs factory takes one config object: its properties are the keywords, other arguments are positional.
 */
import type * as ts from 'typescript';
import type { Arg, CallSite, InsertionPoint } from '../../core/ir';
import { emptyCallInsertion, listInsertion, NO_INSERTION } from './insertion';
import type { Evaluator } from './state';
import { toArg, type Slot } from './values';

/** Modules that export the Layers API, plus the global `tf` of a `<script>` tag (or an import not yet written). */
const TFJS_NAMESPACES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers', 'tf']);

/** Top-level tfjs functions (and constructors) that make models and inputs (tfjs-layers `exports.ts`). */
const TFJS_MODEL_FACTORIES: Record<string, 'sequential' | 'model' | 'input'> = {
  sequential: 'sequential',
  Sequential: 'sequential',
  model: 'model',
  LayersModel: 'model',
  input: 'input',
};

export type CalleeKind = 'layer' | 'sequential' | 'model' | 'input' | 'other';

/**
 * `…layers.dense` (through any tfjs namespace, a named `layers` import or an unbound `layers`) is a layer
 * factory; `tf.sequential`, `tf.model`, `tf.input` and their constructors make models and inputs.
 */
export function calleeKind(path: string): CalleeKind {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return 'other';
  const head = path.slice(0, dot);
  const member = path.slice(dot + 1);
  if (TFJS_NAMESPACES.has(head) && Object.hasOwn(TFJS_MODEL_FACTORIES, member)) return TFJS_MODEL_FACTORIES[member];
  return head === 'layers' || head.endsWith('.layers') ? 'layer' : 'other';
}

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function unwrap(ev: Evaluator, node: ts.Expression): ts.Expression {
  const kind = ev.syntax;
  while (node.kind === kind.ParenthesizedExpression || node.kind === kind.AsExpression || node.kind === kind.NonNullExpression
    || node.kind === kind.TypeAssertionExpression || node.kind === kind.SatisfiesExpression) {
    node = (node as ts.ParenthesizedExpression).expression;
  }
  return node;
}

/** An evaluated argument; `node` is the argument expression when it is one argument (not a spread item). */
export interface ArgSlot extends Slot {
  node?: ts.Expression;
}

/**
 * The CallSite of `node` called as `callee`, from its already evaluated arguments. The first object
 * argument is the config: its properties (spread ones included, with the spans they were written at)
 * become keywords, and a new property is inserted into it when it is written in place.
 */
export function buildCallSite(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, callee: string, args: ArgSlot[]): CallSite {
  const config = args.find((arg) => arg.value.kind === 'object');
  const keyword: Record<string, Arg> = {};
  if (config?.value.kind === 'object') for (const [name, slot] of config.value.props) keyword[name] = toArg(slot);
  return {
    callee,
    calleeSpan: ev.span(node.expression),
    span: ev.span(node),
    positional: args.filter((arg) => arg !== config).map((arg) => toArg(arg)),
    keyword,
    insertAt: configInsertion(ev, node, config),
  };
}

function configInsertion(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, config: ArgSlot | undefined): InsertionPoint {
  const text = ev.sourceFile.text;
  if (!node.arguments?.length) return emptyCallInsertion(text, node);
  const written = config?.node && unwrap(ev, config.node);
  // An unclosed literal (code being typed) has no safe place yet.
  if (written?.kind !== ev.syntax.ObjectLiteralExpression || text[written.end - 1] !== '}') return NO_INSERTION;
  const literal = written as ts.ObjectLiteralExpression;
  return listInsertion(text, literal.properties, literal.getStart(ev.sourceFile) + 1, ev.sourceFile);
}
