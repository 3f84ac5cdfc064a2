/**
 * The values of the Keras front end's abstract interpreter: enough of Python to follow constants, lists of
 * layers, loops, functions, classes and symbolic tensors, without ever running user code.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, ArgValue, CallSite, Span } from '../../core/ir';

/** Which copy of a repeated call a layer is (see `RawLayer.repeat`). */
export interface Repeat {
  iteration: number;
  count: number;
}

export type PyValue =
  /** `assumed`: read from a constant a function reassigns through `global` (globals.ts). */
  | { t: 'num'; v: number; span?: Span; assumed?: boolean }
  | { t: 'str'; v: string; span?: Span }
  | { t: 'bool'; v: boolean; span?: Span }
  | { t: 'none'; span?: Span }
  /**
   * A list or tuple. `open`: items were added in a loop run once for an unknown number of iterations
   * (`for name in os.listdir(d): names.append(name)`), so more may be there and its length is unknown.
   * `numpy`: a NumPy array of these items (`np.array(widths)`): it iterates, indexes and slices as the list
   * does, but its `+` and `*` are elementwise, not concatenation and repetition.
   */
  | { t: 'list'; items: PyValue[]; span?: Span; open?: boolean; numpy?: boolean }
  /** `range(…)`, kept lazy so `range(10**9)` costs nothing until iterated (within the budget). */
  | { t: 'range'; start: number; stop: number; step: number }
  /**
   * A dict with string keys (`dict(units=64)`, `{'units': 64}`), for `**kwargs`; `open` as for lists. `namespace`:
   * parsed command-line options (argparse.ts), read as attributes (`args.hidden`).
   */
  | { t: 'dict'; entries: Map<string, PyValue>; span?: Span; open?: boolean; namespace?: boolean }
  /** A name the file did not define (a module, class or function of a library), as a resolved dotted path. */
  | { t: 'ref'; path: string }
  /** What a library call returned: a layer, an initializer, a model we cannot see into. */
  | { t: 'call'; site: CallSite; repeat?: Repeat }
  /** `functools.partial(keras.layers.Conv2D, kernel_size=3)`: calling it merges the arguments. */
  | { t: 'partial'; target: PyValue; args: CallArgs }
  /** A symbolic tensor: the output of one node of the functional graph. */
  | { t: 'tensor'; node: number }
  /** A Sequential model (list or `model.add`). */
  | { t: 'sequential'; build: SequentialBuild }
  /** A functional model (`keras.Model(inputs, outputs)`). */
  | { t: 'functional'; build: FunctionalBuild }
  | { t: 'function'; fn: FunctionDef; closure: Scope }
  | { t: 'class'; cls: ClassDef }
  /** An instance of a class defined in the file; `site` is the call that made it. */
  | { t: 'object'; cls: ClassDef; attrs: Map<string, PyValue>; site?: CallSite; repeat?: Repeat }
  | { t: 'method'; fn: FunctionDef; closure: Scope; self: Extract<PyValue, { t: 'object' }> }
  | { t: 'unknown' };

export type ObjectValue = Extract<PyValue, { t: 'object' }>;

export const UNKNOWN: PyValue = { t: 'unknown' };
export const NONE: PyValue = { t: 'none' };

/** One evaluated argument: its value and the span of the expression that wrote it. */
export interface ArgValueAt {
  value: PyValue;
  span: Span;
}

/** The evaluated arguments of a call. */
export interface CallArgs {
  positional: ArgValueAt[];
  keyword: Map<string, ArgValueAt>;
}

export interface FunctionDef {
  name: string;
  params: Param[];
  /** The `FunctionDefinition` or `LambdaExpression` node. */
  syntax: SyntaxNode;
  /** Whether it ran at least once (functions never called are run once with their defaults at the end). */
  executed: boolean;
  /** Run as a method (given `self`) rather than as a free function. */
  isMethod: boolean;
  /** The Keras activation its body computes (`x * tf.math.sigmoid(x)` is `swish`), when it is one known formula. */
  activation?: string;
}

export interface Param {
  name: string;
  /** Evaluated where the function is defined, as Python does. */
  defaultValue?: PyValue;
  kind: 'plain' | 'args' | 'kwargs';
}

export interface ClassDef {
  name: string;
  syntax: SyntaxNode;
  bases: ClassDef[];
  methods: Map<string, FunctionDef>;
  attrs: Map<string, PyValue>;
  closure: Scope;
  /** Subclasses `keras.Model` / `keras.layers.Layer` (directly or through a class of the file). */
  isModel: boolean;
  /** Subclasses `keras.Model` itself (not only `Layer`): applied inside another model, it is a model entered there. */
  isWholeModel?: boolean;
  /** Whether its model was already read (from the first instance, or with defaults at the end). */
  analysed: boolean;
  /** A `@dataclass`: its fields in order, which its generated `__init__` takes. */
  fields?: string[];
}

export interface SequentialBuild {
  key: string;
  name: string;
  /** Whether `name` is the variable the model is assigned to (else `name=` or `Sequential@line`, until it is assigned). */
  named: boolean;
  span: Span;
  /** `object`: a custom layer instance, whose `call` runs when the model is applied to a tensor. */
  layers: { site: CallSite; repeat?: Repeat; entersModel?: string; object?: ObjectValue }[];
  inputShape?: Arg;
  /** Merged into another model: that model reports these layers. */
  consumed: boolean;
}

export interface FunctionalBuild {
  key: string;
  name: string;
  named: boolean;
  span: Span;
  /** 'sequential': a Sequential of custom layers, read as the graph their calls make (models.ts `customSequentials`). */
  style: 'functional' | 'subclassed' | 'sequential';
  inputs: number[];
  outputs: number[];
}

/** The CallSite last made for a call node, with the arguments it was made from. */
export interface MadeCallSite {
  callee: string;
  args: CallArgs;
  site: CallSite;
}

/**
 * The CallSite last made for each call node, keyed by the node's start offset (a small integer) and then its
 * length: `f(a)(b)` and its inner `f(a)` start at the same offset.
 */
export class CallSiteMemo {
  private readonly byStart = new Map<number, (MadeCallSite & { length: number; sameStart?: MadeCallSite & { length: number } })>();

  get(start: number, length: number): MadeCallSite | undefined {
    for (let entry = this.byStart.get(start); entry; entry = entry.sameStart) if (entry.length === length) return entry;
    return undefined;
  }

  set(start: number, length: number, made: MadeCallSite): void {
    const first = this.byStart.get(start);
    for (let entry = first; entry; entry = entry.sameStart) {
      if (entry.length !== length) continue;
      entry.callee = made.callee;
      entry.args = made.args;
      entry.site = made.site;
      return;
    }
    this.byStart.set(start, { callee: made.callee, args: made.args, site: made.site, length, sameStart: first });
  }
}

/** A lexical scope: module, function or comprehension. */
export class Scope {
  private readonly names = new Map<string, PyValue>();

  constructor(readonly parent?: Scope) {}

  get(name: string): PyValue | undefined {
    const own = this.names.get(name);
    if (own) return own;
    // Up the enclosing scopes in a loop, not by recursion: names of the module are read from every function.
    for (let scope = this.parent; scope; scope = scope.parent) {
      const value = scope.names.get(name);
      if (value) return value;
    }
    return undefined;
  }

  set(name: string, value: PyValue): void {
    this.names.set(name, value);
  }

  /** The names bound in this scope itself (a class body's attributes and methods). */
  own(): ReadonlyMap<string, PyValue> {
    return this.names;
  }
}

/** The copy index within nested repetitions: copy `inner` of the `outer`-th repetition. */
export function nestRepeat(outer: Repeat, inner: Repeat | undefined): Repeat {
  if (!inner) return { ...outer };
  return { iteration: outer.iteration * inner.count + inner.iteration, count: outer.count * inner.count };
}

/**
 * A layer made in one loop and added (or applied) in another carries the marker of the larger repetition:
 * `[Dense(8) for _ in range(20)]` passed to `Sequential` is repeated by its comprehension, a layer made once
 * and applied in a loop by that loop.
 */
export function widerRepeat(made: Repeat | undefined, used: Repeat | undefined): Repeat | undefined {
  if (!made) return used;
  if (!used) return made;
  return used.count > made.count ? used : made;
}

/** A value as a call argument in the IR. The top-level span is the argument expression's. */
export function toArg(value: PyValue, span: Span): Arg {
  return { span, value: toArgValue(value, span) };
}

function toArgValue(value: PyValue, span: Span): ArgValue {
  switch (value.t) {
    case 'num': return value.assumed ? { kind: 'number', value: value.v, assumed: true } : { kind: 'number', value: value.v };
    case 'str': return { kind: 'string', value: value.v };
    case 'bool': return { kind: 'boolean', value: value.v };
    case 'none': return { kind: 'null' };
    // Items keep the span where they were written (inside the literal, or at the constant's definition).
    case 'list': return { kind: 'array', items: value.items.map((item) => toArg(item, spanOfValue(item) ?? span)) };
    case 'call': return { kind: 'call', call: value.site };
    case 'object': return value.site ? { kind: 'call', call: value.site } : { kind: 'unknown' };
    case 'ref': return { kind: 'reference', path: value.path };
    case 'function': case 'method': return value.fn.activation ? { kind: 'reference', path: value.fn.activation } : { kind: 'unknown' };
    case 'dict': return serializedCall(value, span) ?? { kind: 'unknown' };
    default: return { kind: 'unknown' };
  }
}

/**
 * Keras's serialized form `{"class_name": "VarianceScaling", "config": {"scale": 2.0, …}}` is the call
 * `VarianceScaling(**config)`: `initializers.get` deserializes a dict by its class name, looked up like a
 * string id (Keras 3 `keras/src/initializers/__init__.py` `get`: a string becomes `{"class_name": s,
 * "config": {}}`). Keras's own applications write their initializers so (`efficientnet.py`
 * `CONV_KERNEL_INITIALIZER`). Fixes replace the whole argument: the call's callee is the class name string.
 */
function serializedCall(value: Extract<PyValue, { t: 'dict' }>, span: Span): ArgValue | undefined {
  const className = value.entries.get('class_name');
  if (className?.t !== 'str') return undefined;
  const config = value.entries.get('config');
  const keyword: CallSite['keyword'] = {};
  if (config?.t === 'dict') for (const [name, entry] of config.entries) keyword[name] = toArg(entry, spanOfValue(entry) ?? span);
  const written = value.span ?? span;
  const call: CallSite = {
    callee: className.v,
    calleeSpan: className.span ?? written,
    span: written,
    positional: [],
    keyword,
    insertAt: { offset: written.end, prefix: '', suffix: '' },
  };
  return { kind: 'call', call };
}

function spanOfValue(value: PyValue): Span | undefined {
  switch (value.t) {
    case 'num': case 'str': case 'bool': case 'none': case 'list': case 'dict': return value.span;
    case 'call': return value.site.span;
    default: return undefined;
  }
}

/** Python truthiness where it is known. */
export function truthiness(value: PyValue): boolean | undefined {
  switch (value.t) {
    case 'num': return value.v !== 0;
    case 'str': return value.v !== '';
    case 'bool': return value.v;
    case 'none': return false;
    case 'list': return value.items.length > 0;
    case 'dict': return value.entries.size > 0;
    case 'range': return rangeLength(value) > 0;
    case 'call': case 'tensor': case 'sequential': case 'functional': case 'function': case 'class': case 'object': case 'method': return true;
    default: return undefined;
  }
}

export function rangeLength(range: Extract<PyValue, { t: 'range' }>): number {
  const { start, stop, step } = range;
  return Math.max(0, Math.ceil((stop - start) / step));
}
