/** Reading evaluated arguments (`Arg`) as the plain values the tables and rules need. */
import type { Arg, CallSite } from './ir';

export function numberOf(arg: Arg | undefined): number | undefined {
  return arg?.value.kind === 'number' ? arg.value.value : undefined;
}

export function stringOf(arg: Arg | undefined): string | undefined {
  return arg?.value.kind === 'string' ? arg.value.value : undefined;
}

export function booleanOf(arg: Arg | undefined): boolean | undefined {
  return arg?.value.kind === 'boolean' ? arg.value.value : undefined;
}

/** `3` → [3] (repeated to `rank`), `(3, 3)` / `[3, 3]` → [3, 3]; undefined when any item is unknown. */
export function numberListOf(arg: Arg | undefined, rank = 1): number[] | undefined {
  if (!arg) return undefined;
  if (arg.value.kind === 'number') return Array.from({ length: rank }, () => (arg.value as { value: number }).value);
  if (arg.value.kind !== 'array') return undefined;
  const numbers = arg.value.items.map((item) => (item.value.kind === 'number' ? item.value.value : NaN));
  return numbers.some(Number.isNaN) ? undefined : numbers;
}

/** A shape like `(28, 28, 1)` or `[None, 784]`: unknown dims (None/null) become NaN. */
export function shapeOf(arg: Arg | undefined): number[] | undefined {
  if (!arg) return undefined;
  if (arg.value.kind === 'number') return [arg.value.value];
  if (arg.value.kind !== 'array') return undefined;
  return arg.value.items.map((item) => (item.value.kind === 'number' ? item.value.value : NaN));
}

/** Last segment of a dotted callee path: `keras.layers.Dense` → `Dense`, `@tensorflow/tfjs.layers.dense` → `dense`. */
export function lastSegment(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

const camelCaseCache = new Map<string, string>();

/** `kernelInitializer` → `kernel_initializer`: a camelCase field as Keras spells it. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `kernel_initializer` → `kernelInitializer`; camelCase keys pass unchanged. Cached: a few dozen keys recur. */
export function camelCase(name: string): string {
  let converted = camelCaseCache.get(name);
  if (converted === undefined) {
    converted = name.indexOf('_') < 0 ? name : name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
    if (camelCaseCache.size < 10_000) camelCaseCache.set(name, converted);
  }
  return converted;
}

/**
 * A call's arguments by camelCase field name: Keras positional arguments named through `positional`
 * (the table of the layer or initializer), keyword arguments / tfjs config properties converted.
 */
export function fieldsOf(call: CallSite, positional: readonly string[] = []): Readonly<Record<string, Arg>> {
  const count = Math.min(call.positional.length, positional.length);
  // A tfjs config (no positional names, every key camelCase already) is its own fields: read, never copied
  // (hence read-only: the fields are the call site's own).
  if (count === 0 && camelCaseKeys(call.keyword)) return call.keyword;
  const fields: Record<string, Arg> = {};
  for (let index = 0; index < count; index++) {
    const name = positional[index];
    if (name) fields[name] = call.positional[index];
  }
  const { keyword } = call;
  for (const key of Object.keys(keyword)) fields[camelCase(key)] = keyword[key];
  return fields;
}

/**
 * A tfjs layer config's fields as tfjs reads them: by camelCase name (tfjs-layers reads `args.kernelInitializer`,
 * `args.inputShape`…), so a key spelled the Keras way (`kernel_initializer`) is no field at all: tfjs drops it
 * and draws the default (ignored-argument says so), and the analysis must draw the default too.
 */
export function tfjsFieldsOf(call: CallSite): Readonly<Record<string, Arg>> {
  if (camelCaseKeys(call.keyword)) return call.keyword;
  const fields: Record<string, Arg> = {};
  for (const key of Object.keys(call.keyword)) if (key.indexOf('_') < 0) fields[key] = call.keyword[key];
  return fields;
}

/** Whether every key is camelCase already (a plain object: `for in` reads only its own keys). */
function camelCaseKeys(keyword: Record<string, Arg>): boolean {
  if (Object.getPrototypeOf(keyword) !== Object.prototype) return false;
  for (const key in keyword) if (key.indexOf('_') >= 0) return false;
  return true;
}
