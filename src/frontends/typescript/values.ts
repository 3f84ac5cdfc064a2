/**
 * What the TypeScript front end's evaluator knows about a value: constants and containers as far as
 * static evaluation reaches, plus the tfjs things a model is built from (layers, symbolic tensors,
 * models) and closures it can inline. Everything else is `unknown`.
 */
import type * as ts from 'typescript';
import type { Arg, ArgValue, CallSite, Span } from '../../core/ir';
import type { TfjsBase } from './customLayers';
import type { ModelBuilder, TensorNode } from './models';

/** A value with the span of the expression that wrote it: array items and object properties. */
export interface Slot {
  value: Value;
  span: Span;
}

/** The iteration of a loop (or `Array.from`, `.map`) that made a layer; `frame.count` is set when the loop ends. */
export interface LoopMark {
  frame: LoopFrame;
  iteration: number;
}

export interface LoopFrame {
  /** Trip count, known once the loop has ended with a constant condition; undefined otherwise. */
  count?: number;
}

export interface ArrayValue {
  kind: 'array';
  items: Slot[];
}

export interface ObjectValue {
  kind: 'object';
  props: Map<string, Slot>;
  /** False when an unknown spread or computed key may have added properties we cannot see. */
  complete: boolean;
  /** The instance of a class extending `tf.Sequential`, `tf.LayersModel` or `tf.layers.Layer` (customLayers.ts). */
  base?: TfjsBase;
  /** The model a `tf.Sequential` / `tf.LayersModel` subclass's instance is, made when its constructor runs. */
  model?: ModelBuilder;
  /** A custom layer made by `new` in the file: the layer it is where its `call` cannot be read (customLayers.ts). */
  opaqueSite?: CallSite;
}

/** A layer object made by `tf.layers.x(config)`: `mark` is the loop iteration it was made in. */
export interface LayerValue {
  kind: 'layer';
  call: CallSite;
  mark?: LoopMark;
}

/**
 * A class of the file: its methods share one instance (see `Interpreter.classDeclaration`), and
 * `new C(args)` runs `construct` on it with those arguments and returns it.
 */
export interface ClassValue {
  kind: 'class';
  instance: ObjectValue;
  construct?: Closure;
}

export interface Closure {
  node: ts.FunctionLikeDeclaration;
  scope: Scope;
  thisValue?: Value;
  /** Function, method or variable name: names the models it builds when nothing else does. */
  name?: string;
  /** The declaration (or variable statement) that defines it. */
  span?: Span;
  /** A constructor of a class extending another class of the file: that class's constructor, run by `super(…)`. */
  superConstruct?: Closure;
}

export type Value =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'undefined' }
  | ArrayValue
  | ObjectValue
  /** An imported or global name not evaluated further: `@tensorflow/tfjs.layers.dense`, `Math.sqrt`. */
  | { kind: 'reference'; path: string }
  /** A call to a name outside the file that is not a layer or model: initializers, regularizers. */
  | { kind: 'call'; call: CallSite }
  | LayerValue
  | { kind: 'tensor'; node: TensorNode }
  | { kind: 'model'; model: ModelBuilder }
  | { kind: 'function'; closure: Closure }
  | ClassValue
  | { kind: 'unknown' };

/** A member of `from`, as `to`'s: a method bound to `from` becomes the same method bound to `to`; a field stays as it is. */
export function rebound(slot: Slot, from: ObjectValue, to: ObjectValue): Slot {
  const { value } = slot;
  if (value.kind !== 'function' || value.closure.thisValue !== from) return slot;
  return { ...slot, value: { kind: 'function', closure: { ...value.closure, thisValue: to } } };
}

export const UNKNOWN: Value = { kind: 'unknown' };
export const UNDEFINED: Value = { kind: 'undefined' };
export const NULL: Value & ArgValue = { kind: 'null' };

export const numberValue = (value: number): Value => ({ kind: 'number', value });
export const stringValue = (value: string): Value => ({ kind: 'string', value });
export const booleanValue = (value: boolean): Value => ({ kind: 'boolean', value });

/** Lexical scope: one per file, function call, block and loop iteration. */
export class Scope {
  private readonly bindings = new Map<string, { value: Value }>();

  constructor(readonly parent?: Scope) {}

  declare(name: string, value: Value): void {
    this.bindings.set(name, { value });
  }

  /** The binding of `name` here or in an enclosing scope; undefined when the file never declares it. */
  lookup(name: string): { value: Value } | undefined {
    const own = this.bindings.get(name);
    if (own) return own;
    for (let scope = this.parent; scope; scope = scope.parent) {
      const binding = scope.bindings.get(name);
      if (binding) return binding;
    }
    return undefined;
  }
}

/** The IR's view of a value: containers become arrays, layers and other calls become `call`. */
export function toArgValue(value: Value, depth = 0): ArgValue {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
      // These values already have the IR's shape (and are never mutated): shared, not copied.
      return value;
    case 'undefined':
      return NULL;
    case 'array':
      // Shapes and lists are short; a deep or huge array is nothing an argument reader needs.
      if (depth > 8 || value.items.length > 10_000) return { kind: 'unknown' };
      return { kind: 'array', items: value.items.map((item) => toArg(item, depth + 1)) };
    case 'reference':
      return { kind: 'reference', path: value.path };
    case 'call':
    case 'layer':
      return { kind: 'call', call: value.call };
    default:
      return { kind: 'unknown' };
  }
}

export function toArg(slot: Slot, depth = 0): Arg {
  const value = toArgValue(slot.value, depth);
  // Slots are never mutated (containers replace them): one whose value is already IR-shaped is the Arg.
  return value === slot.value ? (slot as Arg) : { span: slot.span, value };
}

/**
 * Arguments of a call we cannot see: a function nobody in the file calls (exported, or a handler), or a
 * callback a library calls. Each is unknown, so a parameter's written default applies and a comparison on
 * it is not decided (`if (kind === 'cnn') … else throw …` keeps its branches).
 */
export function unseenArguments(fn: Closure): Value[] {
  return fn.node.parameters.map(() => UNKNOWN);
}

/** JS truthiness where it is certain; undefined for values whose truthiness we cannot know. */
export function truthiness(value: Value): boolean | undefined {
  switch (value.kind) {
    case 'number': return value.value !== 0 && !Number.isNaN(value.value);
    case 'string': return value.value.length > 0;
    case 'boolean': return value.value;
    case 'null':
    case 'undefined': return false;
    case 'array':
    case 'object':
    case 'layer':
    case 'tensor':
    case 'model':
    case 'function':
    case 'class': return true;
    default: return undefined;
  }
}

/** Items of a value iterated by `for…of`, spread or `Array.from`: undefined when unknown. */
export function iterableItems(value: Value, span: Span): Slot[] | undefined {
  if (value.kind === 'array') return value.items;
  if (value.kind === 'string') return [...value.value].map((char) => ({ value: stringValue(char), span }));
  return undefined;
}
