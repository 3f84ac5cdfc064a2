/**
 * The values the Keras front end's small abstract interpreter computes: enough of Python to follow
 * constants, lists of layers, loops, functions and symbolic tensors — never executing user code.
 */
import type { Arg, ArgValue, CallSite, Span } from '../../core/ir';

/** A graph node: one layer application (functional) or one input. */
export interface GraphNode {
  call?: CallSite;
  /** Node ids this node consumes. */
  inputs: number[];
  repeat?: { iteration: number; count: number };
  /** For input nodes: the written shape. */
  inputShape?: Arg;
}

export type PyValue =
  | { t: 'num'; v: number; span?: Span }
  | { t: 'str'; v: string; span?: Span }
  | { t: 'bool'; v: boolean; span?: Span }
  | { t: 'none'; span?: Span }
  | { t: 'list'; items: PyValue[]; span?: Span }
  /** A layer object (constructed, maybe not yet applied). */
  | { t: 'layer'; call: CallSite; repeat?: { iteration: number; count: number }; span?: Span }
  /** A symbolic tensor: the output of a graph node. */
  | { t: 'tensor'; node: number; span?: Span }
  /** A Sequential model under construction. */
  | { t: 'sequential'; model: SequentialBuild; span?: Span }
  /** A call to something that is not a layer (an initializer, a function of a library). */
  | { t: 'call'; call: CallSite; span?: Span }
  /** A dotted name: a module, class or function. */
  | { t: 'ref'; path: string; span?: Span }
  /** A user function or lambda defined in the file. */
  | { t: 'func'; node: FunctionNode; closure: Scope; span?: Span }
  /** An instance of a user class (`self` inside a subclassed model). */
  | { t: 'object'; attrs: Map<string, PyValue>; span?: Span }
  | { t: 'unknown'; span?: Span };

export interface FunctionNode {
  name: string;
  params: { name: string; defaultValue?: unknown; star?: boolean }[];
  /** The Lezer node of the definition (kept opaque here). */
  syntax: unknown;
  executed: boolean;
}

export interface SequentialBuild {
  name: string;
  span: Span;
  layers: { call: CallSite; repeat?: { iteration: number; count: number } }[];
  inputShape?: Arg;
}

export class Scope {
  private readonly names = new Map<string, PyValue>();

  constructor(readonly parent?: Scope) {}

  get(name: string): PyValue | undefined {
    return this.names.get(name) ?? this.parent?.get(name);
  }

  set(name: string, value: PyValue): void {
    this.names.set(name, value);
  }
}

export const UNKNOWN: PyValue = { t: 'unknown' };

/** What a value looks like as a layer argument written at `span` (list items keep their own spans). */
export function toArg(value: PyValue, span: Span): Arg {
  return { span, value: toArgValue(value, span) };
}

function toArgValue(value: PyValue, span: Span): ArgValue {
  switch (value.t) {
    case 'num': return { kind: 'number', value: value.v };
    case 'str': return { kind: 'string', value: value.v };
    case 'bool': return { kind: 'boolean', value: value.v };
    case 'none': return { kind: 'null' };
    case 'list': return { kind: 'array', items: value.items.map((item) => toArg(item, item.span ?? span)) };
    case 'layer':
    case 'call': return { kind: 'call', call: value.call };
    case 'ref': return { kind: 'reference', path: value.path };
    default: return { kind: 'unknown' };
  }
}

export function withSpan(value: PyValue, span: Span): PyValue {
  // Constants keep the span of the expression that names them (the fix replaces what is written here).
  return { ...value, span } as PyValue;
}
