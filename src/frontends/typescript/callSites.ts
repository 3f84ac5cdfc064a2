/**
 * Calls as the IR reports them (`CallSite`), and which resolved callee paths are tfjs things.
 * A tfjs factory takes one config object: its properties are the keywords, other arguments are positional.
 */
import type * as ts from 'typescript';
import type { Arg, CallSite, InsertionPoint } from '../../core/ir';
import { emptyCallInsertion, listInsertion, NO_INSERTION, tokenStart } from './insertion';
import type { CallShape, Evaluator } from './state';
import { toArg, type Slot } from './values';

/** Modules that export the Layers API, plus the global `tf` of a `<script>` tag (or an import not yet written). */
const TFJS_NAMESPACES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers', 'tf']);

/** `tf.layers`, `@tensorflow/tfjs.layers` (a named import), and a bare `layers` nobody imported yet. */
const LAYER_NAMESPACES = new Set(['layers', ...[...TFJS_NAMESPACES].map((namespace) => `${namespace}.layers`)]);

/**
 * Top-level tfjs functions (and constructors) that make models and inputs (tfjs-layers `exports.ts`),
 * and `tf.tidy`, which returns what its callback returns (tfjs-core `engine.ts`).
 */
const TFJS_FUNCTIONS: Record<string, Exclude<CalleeKind, 'layer' | 'other'>> = {
  sequential: 'sequential',
  Sequential: 'sequential',
  model: 'model',
  LayersModel: 'model',
  input: 'input',
  tidy: 'tidy',
};

export type CalleeKind = 'layer' | 'sequential' | 'model' | 'input' | 'tidy' | 'other';

/**
 * `tf.layers.dense` (through any tfjs namespace, a named `layers` import or an unbound `layers`) is a
 * layer factory; `tf.sequential`, `tf.model`, `tf.input` and their constructors make models and inputs.
 */
export function calleeKind(path: string): CalleeKind {
  let kind = knownKinds.get(path);
  if (kind === undefined) {
    if (knownKinds.size > 10_000) knownKinds.clear();
    kind = classify(path);
    knownKinds.set(path, kind);
  }
  return kind;
}

/** A file calls the same few paths thousands of times. */
const knownKinds = new Map<string, CalleeKind>();


function classify(path: string): CalleeKind {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return 'other';
  const head = path.slice(0, dot);
  const member = path.slice(dot + 1);
  if (TFJS_NAMESPACES.has(head) && Object.hasOwn(TFJS_FUNCTIONS, member)) return TFJS_FUNCTIONS[member];
  // A loaded model is a block of given weights, added or applied like a layer (the core reads it as pretrained).
  if (TFJS_NAMESPACES.has(head) && (member === 'loadLayersModel' || member === 'loadGraphModel')) return 'layer';
  if (!LAYER_NAMESPACES.has(head)) return 'other';
  // `tf.layers.input` is `tf.input` under another name (tfjs-layers exports_layers.ts: `input /* alias for tf.input */`).
  return member === 'input' ? 'input' : 'layer';
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

/**
 * An evaluated argument; `node` is the argument expression when it is one argument (not a spread item).
 * Only `{value, span}` may go on into containers and the IR: the node must never leak into the output.
 */
export interface ArgSlot extends Slot {
  node?: ts.Expression;
}

/**
 * The CallSite of `node` called as `callee`, from its already evaluated arguments. The first object
 * argument is the config: its properties (spread ones included, with the spans they were written at)
 * become keywords, and a new property is inserted into it when it is written in place.
 */
export function buildCallSite(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, callee: string, args: ArgSlot[]): CallSite {
  // A loop, not `find`: this runs per layer call, and the closure would be allocated for each.
  let config: ArgSlot | undefined;
  for (const arg of args) {
    if (arg.value.kind === 'object') {
      config = arg;
      break;
    }
  }
  const keyword: Record<string, Arg> = {};
  if (config?.value.kind === 'object') {
    config.value.props.forEach((slot, name) => {
      keyword[name] = toArg(slot);
    });
  }
  const { calleeSpan, span, insertAt } = shapeOf(ev, node, config?.node);
  return {
    callee,
    calleeSpan,
    span,
    positional: positionalArgs(args, config),
    keyword,
    insertAt,
  };
}

/** The arguments other than the config object, as IR arguments (without their syntax nodes). */
function positionalArgs(args: ArgSlot[], config: ArgSlot | undefined): Arg[] {
  const positional: Arg[] = [];
  for (const arg of args) if (arg !== config) positional.push(toArg({ value: arg.value, span: arg.span }));
  return positional;
}

/**
 * A call in a loop body is built once per iteration: its spans and insertion point are computed once
 * per extraction (never across extractions: tsserver's incremental parser moves reused nodes in place).
 */
function shapeOf(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, configNode: ts.Expression | undefined): CallShape {
  const shapes = ev.state.callShapes;
  const inLoop = ev.state.currentMark() !== undefined;
  const known = inLoop ? shapes.get(node) : undefined;
  if (known && known.configNode === configNode) return known;
  const shape = { configNode, calleeSpan: ev.span(node.expression), span: ev.span(node), insertAt: configInsertion(ev, node, configNode) };
  // Straight-line code builds each call once: caching it would only cost.
  if (inLoop) shapes.set(node, shape);
  return shape;
}

function configInsertion(ev: Evaluator, node: ts.CallExpression | ts.NewExpression, configNode: ts.Expression | undefined): InsertionPoint {
  const text = ev.sourceFile.text;
  if (!node.arguments?.length) return emptyCallInsertion(text, node);
  const written = configNode && unwrap(ev, configNode);
  // An unclosed literal (code being typed) has no safe place yet.
  if (written?.kind !== ev.syntax.ObjectLiteralExpression || text[written.end - 1] !== '}') return NO_INSERTION;
  const literal = written as ts.ObjectLiteralExpression;
  return listInsertion(text, literal.properties, tokenStart(literal, ev.sourceFile) + 1, ev.sourceFile);
}
