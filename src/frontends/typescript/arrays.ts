/**
 * Arrays the way model code builds layer lists: `Array.from({length: n}, fn)`, `[...Array(n)].map(fn)`,
 * `new Array(n).fill(0).map(fn)`, `push` in a loop, `concat`, `reduce` over layers. Callbacks run once
 * per item inside a loop frame, so the layers they make carry their iteration and the item count.
 */
import type { Span } from '../../core/ir';
import { formatCount } from '../budget';
import type { ArgSlot } from './callSites';
import { idleCutOf, type IdleCut } from './idleLoops';
import { MAX_ARRAY_LENGTH, type Evaluator } from './state';
import { iterableItems, numberValue, stringValue, truthiness, UNDEFINED, UNKNOWN, type ArrayValue, type Slot, type Value } from './values';

const arrayOf = (items: Slot[]): ArrayValue => ({ kind: 'array', items });

/** `n` undefined items, or undefined when `n` is not a usable length (past MAX_ARRAY_LENGTH: a cut). */
function emptyItems(ev: Evaluator, length: Value, span: Span): Slot[] | undefined {
  if (length.kind !== 'number' || !Number.isInteger(length.value) || length.value < 0) return undefined;
  if (length.value > MAX_ARRAY_LENGTH) {
    ev.state.cutLog.add(span, `an array of ${formatCount(length.value)} items is longer than the ${formatCount(MAX_ARRAY_LENGTH)} the analysis reads: its items are unknown`);
    return undefined;
  }
  return Array.from({ length: length.value }, () => ({ value: UNDEFINED, span }));
}

/** `Array(n)`, `Array.from(…)`, `Array.of(…)`; undefined for other paths. */
export function arrayGlobal(ev: Evaluator, path: string, args: ArgSlot[], span: Span): Value | undefined {
  if (path === 'Array') {
    if (args.length !== 1 || args[0].value.kind !== 'number') return arrayOf(args.map(({ value, span }) => ({ value, span })));
    const items = emptyItems(ev, args[0].value, span);
    return items ? arrayOf(items) : UNKNOWN;
  }
  if (path === 'Array.of') return arrayOf(args.map(({ value, span }) => ({ value, span })));
  // `Array.isArray(inputShape)` in a custom layer's build: known for what the evaluator knows the kind of.
  if (path === 'Array.isArray') {
    const kind = args[0]?.value.kind;
    return kind === undefined || kind === 'unknown' ? UNKNOWN : { kind: 'boolean', value: kind === 'array' };
  }
  if (path !== 'Array.from') return undefined;
  const source = args[0]?.value ?? UNKNOWN;
  // `Array.from({length: n})`: an array-like object of n holes.
  const length = source.kind === 'object' ? source.props.get('length')?.value : undefined;
  const items = length ? emptyItems(ev, length, span) : iterableItems(source, span);
  if (!items) return UNKNOWN;
  const mapper = args[1]?.value;
  if (mapper?.kind !== 'function') return arrayOf([...items]);
  return mapItems(ev, items, mapper, span) ?? UNKNOWN;
}

/** The callback's results; undefined when it built nothing for a few hundred steps and was cut (idleLoops.ts). */
function mapItems(ev: Evaluator, items: Slot[], mapper: Value & { kind: 'function' }, span: Span): ArrayValue | undefined {
  const results: Slot[] = [];
  const array = arrayOf(items);
  const completed = ev.state.repeat(items.length, (index) => {
    results.push({ value: ev.invoke(mapper.closure, [items[index].value, numberValue(index), array]), span });
  }, callbackCut(ev, mapper));
  return completed ? arrayOf(results) : undefined;
}

/** A data callback (`rows.map(normalize)` over 5,000 rows) is cut as a loop is; what it writes outside becomes unknown. */
function callbackCut(ev: Evaluator, callback: Value & { kind: 'function' }): IdleCut {
  return idleCutOf(ev, callback.closure.node, callback.closure.scope);
}

/** An array method on a known array; unknown for methods not modelled. */
export function arrayMethod(ev: Evaluator, array: ArrayValue, method: string, args: ArgSlot[], span: Span): Value {
  const items = array.items;
  const callback = args[0]?.value.kind === 'function' ? args[0].value : undefined;
  const slots = () => args.map(({ value, span }) => ({ value, span }));
  switch (method) {
    case 'push':
      append(ev, items, slots());
      return numberValue(items.length);
    case 'unshift':
      inPlace(ev, items, () => items.unshift(...slots()));
      return numberValue(items.length);
    case 'pop':
      return inPlace(ev, items, () => items.pop())?.value ?? UNDEFINED;
    case 'shift':
      return inPlace(ev, items, () => items.shift())?.value ?? UNDEFINED;
    case 'concat':
      return arrayOf([...items, ...slots().flatMap((slot) => (slot.value.kind === 'array' ? slot.value.items : [slot]))]);
    case 'slice': {
      const start = args[0]?.value.kind === 'number' ? args[0].value.value : 0;
      const end = args[1]?.value.kind === 'number' ? args[1].value.value : undefined;
      return arrayOf(items.slice(start, end));
    }
    case 'reverse':
      inPlace(ev, items, () => items.reverse());
      return array;
    case 'fill': {
      const value = args[0]?.value ?? UNDEFINED;
      inPlace(ev, items, () => items.fill({ value, span }));
      return array;
    }
    case 'flat':
      return arrayOf(items.flatMap((item) => (item.value.kind === 'array' ? item.value.items : [item])));
    case 'keys':
      return arrayOf(items.map((_item, index) => ({ value: numberValue(index), span })));
    case 'entries':
      // `for (const [i, units] of widths.entries())`: [index, item] pairs.
      return arrayOf(items.map((item, index) => ({ value: arrayOf([{ value: numberValue(index), span }, item]), span })));
    case 'values':
      return arrayOf([...items]);
    case 'join':
      return joined(items, args[0]?.value);
    case 'map':
      return (callback && mapItems(ev, items, callback, span)) ?? UNKNOWN;
    case 'flatMap': {
      if (!callback) return UNKNOWN;
      const mapped = mapItems(ev, items, callback, span)?.items;
      return mapped ? arrayOf(mapped.flatMap((item) => (item.value.kind === 'array' ? item.value.items : [item]))) : UNKNOWN;
    }
    case 'forEach':
      if (callback) mapItems(ev, items, callback, span);
      return UNDEFINED;
    case 'filter':
      return callback ? filtered(ev, items, callback, span) : UNKNOWN;
    case 'reduce':
      return callback ? reduced(ev, array, callback, args[1]?.value) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** `push`: appends, journaled by length for alternatives of unknown choice (`journal.ts`). */
function append(ev: Evaluator, items: Slot[], added: Slot[]): void {
  const length = items.length;
  for (const slot of added) items.push(slot);
  if (!ev.state.journal.recording) return;
  ev.state.journal.record(() => { items.length = length; }, () => {
    items.length = length;
    for (const slot of added) items.push(slot);
  });
}

/** Any other in-place change, journaled by copies (these are rare in model code). */
function inPlace<T>(ev: Evaluator, items: Slot[], change: () => T): T {
  const journal = ev.state.journal;
  if (!journal.recording) return change();
  const before = items.slice();
  const result = change();
  const after = items.slice();
  const restore = (slots: Slot[]) => () => {
    items.length = 0;
    for (const slot of slots) items.push(slot);
  };
  journal.record(restore(before), restore(after));
  return result;
}

function filtered(ev: Evaluator, items: Slot[], callback: Value & { kind: 'function' }, span: Span): Value {
  const verdicts = mapItems(ev, items, callback, span)?.items.map((item) => truthiness(item.value));
  if (!verdicts || verdicts.includes(undefined)) return UNKNOWN;
  return arrayOf(items.filter((_item, index) => verdicts[index]));
}

/** `layers.reduce((x, layer) => layer.apply(x), input)`: the accumulator threads through every call. */
function reduced(ev: Evaluator, array: ArrayValue, callback: Value & { kind: 'function' }, initial: Value | undefined): Value {
  const items = array.items;
  let accumulator = initial ?? items[0]?.value ?? UNKNOWN;
  const first = initial === undefined ? 1 : 0;
  const completed = ev.state.repeat(Math.max(0, items.length - first), (iteration) => {
    const index = iteration + first;
    accumulator = ev.invoke(callback.closure, [accumulator, items[index].value, numberValue(index), array]);
  }, callbackCut(ev, callback));
  return completed ? accumulator : UNKNOWN;
}

function joined(items: Slot[], separator: Value | undefined): Value {
  const parts: string[] = [];
  for (const { value } of items) {
    if (value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean') parts.push(String(value.value));
    else if (value.kind === 'null' || value.kind === 'undefined') parts.push('');
    else return UNKNOWN;
  }
  return stringValue(parts.join(separator?.kind === 'string' ? separator.value : ','));
}
