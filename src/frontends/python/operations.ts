/** Python operations on interpreter values: arithmetic, comparison, iteration, indexing. No syntax here. */
import { memberPath } from '../paths';
import { nestRepeat, rangeLength, truthiness, UNKNOWN, type ClassDef, type FunctionDef, type PyValue } from './values';

/** Longest string an operation may build (`'ab' * 10**9` stays unknown). */
const MAX_STRING = 10_000;

type NumberOperator = (a: number, b: number) => number;

/** Python semantics: floor division and modulo take the sign of the divisor. */
const NUMBER_OPERATORS: Record<string, NumberOperator> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? NaN : a / b),
  '//': (a, b) => (b === 0 ? NaN : Math.floor(a / b)),
  '%': (a, b) => (b === 0 ? NaN : ((a % b) + b) % b),
  '**': (a, b) => a ** b,
  '<<': (a, b) => a * 2 ** b,
  '>>': (a, b) => Math.floor(a / 2 ** b),
  '&': (a, b) => a & b,
  '|': (a, b) => a | b,
  '^': (a, b) => a ^ b,
};

const COMPARISONS: Record<string, (order: number) => boolean> = {
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};

/** `left op right` for the operators that are not about tensors (see expressions.ts for those). */
export function binaryOperation(left: PyValue, operator: string, right: PyValue): PyValue {
  switch (operator) {
    // Whatever an unknown left side is, `x and <falsy>` is falsy and `x or <truthy>` truthy: as a test
    // (`if channels_match and strides == 1:`) the right side decides.
    case 'and': {
      const test = truthiness(left);
      if (test === undefined) return truthiness(right) === false ? right : UNKNOWN;
      return test ? right : left;
    }
    case 'or': {
      const test = truthiness(left);
      if (test === undefined) return truthiness(right) === true ? right : UNKNOWN;
      return test ? left : right;
    }
    case '==': case '!=': case 'is': case 'is not': {
      const same = equal(left, right);
      if (same === undefined) return UNKNOWN;
      return { t: 'bool', v: operator === '==' || operator === 'is' ? same : !same };
    }
    case 'in': case 'not in': {
      const items = itemsOf(right, 10_000);
      if (!items || items.items.length < items.count) return UNKNOWN;
      const found = items.items.some((item) => equal(left, item) === true);
      const incomplete = (right.t === 'list' || right.t === 'dict') && right.open;
      if (!found && (incomplete || items.items.some((item) => equal(left, item) === undefined))) return UNKNOWN;
      return { t: 'bool', v: operator === 'in' ? found : !found };
    }
    default: break;
  }
  if (left.t === 'num' && right.t === 'num') {
    const compare = COMPARISONS[operator];
    if (compare) return { t: 'bool', v: compare(left.v - right.v) };
    const result = NUMBER_OPERATORS[operator]?.(left.v, right.v);
    if (result === undefined || Number.isNaN(result)) return UNKNOWN;
    // Python ints do not overflow: `7**7**128` is an exact (absurd) width, never a float infinity.
    if (!Number.isFinite(result) && Number.isFinite(left.v) && Number.isFinite(right.v)) return UNKNOWN;
    return left.assumed || right.assumed ? { t: 'num', v: result, assumed: true } : { t: 'num', v: result };
  }
  if (left.t === 'str' && right.t === 'str') {
    const compare = COMPARISONS[operator];
    if (compare) return { t: 'bool', v: compare(left.v < right.v ? -1 : left.v > right.v ? 1 : 0) };
    if (operator === '+' && left.v.length + right.v.length <= MAX_STRING) return { t: 'str', v: left.v + right.v };
    return UNKNOWN;
  }
  // NumPy arrays add and multiply elementwise: none of the list operations below.
  if ((left.t === 'list' && left.numpy) || (right.t === 'list' && right.numpy)) return UNKNOWN;
  if (operator === '+' && left.t === 'list' && right.t === 'list') return { t: 'list', items: [...left.items, ...right.items] };
  if (operator === '*') {
    if (left.t === 'list' && right.t === 'num') return repeatList(left.items, right.v);
    if (left.t === 'num' && right.t === 'list') return repeatList(right.items, left.v);
    if (left.t === 'str' && right.t === 'num' && left.v.length * right.v <= MAX_STRING) return { t: 'str', v: left.v.repeat(Math.max(0, right.v)) };
  }
  return UNKNOWN;
}

/** Most items a repeated list (`[Dropout(0.1)] * n`) holds. */
const MAX_REPEATED_ITEMS = 100_000;

/** `[Dense(64)] * 3`: the layer three times, each copy marked as one repetition of the call. */
function repeatList(items: PyValue[], times: number): PyValue {
  if (!Number.isInteger(times)) return UNKNOWN;
  const count = Math.max(0, Math.min(times, Math.floor(MAX_REPEATED_ITEMS / Math.max(1, items.length))));
  const result: PyValue[] = [];
  for (let copy = 0; copy < count; copy++) {
    for (const item of items) {
      if (item.t === 'call' || item.t === 'object') result.push({ ...item, repeat: nestRepeat({ iteration: copy, count: times }, item.repeat) });
      else result.push(item);
    }
  }
  return { t: 'list', items: result };
}

/** Python `==` (and `is`, for the values where they agree) where it is known. */
export function equal(left: PyValue, right: PyValue): boolean | undefined {
  if (left.t === 'unknown' || right.t === 'unknown' || left.t === 'ref' || right.t === 'ref') return undefined;
  if (left.t === 'none' || right.t === 'none') return left.t === right.t;
  if ((left.t === 'num' || left.t === 'bool') && (right.t === 'num' || right.t === 'bool')) return Number(left.v) === Number(right.v);
  if (left.t === 'str' && right.t === 'str') return left.v === right.v;
  if (isScalar(left) && isScalar(right)) return false;
  return left === right ? true : undefined;
}

function isScalar(value: PyValue): boolean {
  return value.t === 'num' || value.t === 'str' || value.t === 'bool';
}

export function unaryOperation(operator: string, operand: PyValue): PyValue {
  if (operator === 'not') {
    const test = truthiness(operand);
    return test === undefined ? UNKNOWN : { t: 'bool', v: !test };
  }
  const number = operand.t === 'num' ? operand.v : operand.t === 'bool' ? Number(operand.v) : undefined;
  if (number === undefined) return operand.t === 'tensor' ? operand : UNKNOWN;
  if (operator === '-') return { t: 'num', v: -number };
  if (operator === '+') return { t: 'num', v: number };
  if (operator === '~') return { t: 'num', v: ~number };
  return UNKNOWN;
}

/**
 * The items a `for` loop or comprehension visits, at most `limit` of them (`count` is the full length, so a
 * loop cut by the budget still reports how many copies the code makes). Undefined when unknown.
 */
/** How many items iterating `value` gives (as `itemsOf` counts them), without making them; undefined when unknown. */
export function itemCount(value: PyValue): number | undefined {
  switch (value.t) {
    case 'list': return value.items.length;
    case 'range': return rangeLength(value);
    case 'dict': return value.entries.size;
    case 'str': return value.v.length;
    default: return undefined;
  }
}

export function itemsOf(value: PyValue, limit: number): { items: PyValue[]; count: number } | undefined {
  switch (value.t) {
    case 'list': return { items: value.items.slice(0, limit), count: value.items.length };
    case 'range': {
      const count = rangeLength(value);
      const items: PyValue[] = [];
      for (let i = 0; i < Math.min(count, limit); i++) items.push({ t: 'num', v: value.start + i * value.step });
      return { items, count };
    }
    case 'dict': {
      const keys = [...value.entries.keys()].slice(0, limit).map((key): PyValue => ({ t: 'str', v: key }));
      return { items: keys, count: value.entries.size };
    }
    case 'str': {
      const chars = [...value.v];
      return { items: chars.slice(0, limit).map((char): PyValue => ({ t: 'str', v: char })), count: chars.length };
    }
    default: return undefined;
  }
}

/**
 * The distinct items in first-seen order: numbers, strings and bools by value, anything else by identity (an
 * object of the file is itself only). Undefined when an item is unknown: it may equal another or not.
 */
export function distinctValues(items: PyValue[]): PyValue[] | undefined {
  const seen = new Set<string | PyValue>();
  const distinct: PyValue[] = [];
  for (const item of items) {
    if (item.t === 'unknown') return undefined;
    // Python: 1 == 1.0 == True hash alike; a string never equals a number.
    const key = item.t === 'str' ? `s${item.v}` : item.t === 'num' || item.t === 'bool' ? `n${Number(item.v)}` : item;
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(item);
  }
  return distinct;
}

/** `value[index]` for lists, tuples, ranges, dicts and strings with constant keys; tensors pass through. */
export function subscript(value: PyValue, index: PyValue): PyValue {
  if (value.t === 'tensor') return value;
  if (value.t === 'dict') return index.t === 'str' ? value.entries.get(index.v) ?? UNKNOWN : UNKNOWN;
  if (index.t !== 'num' || !Number.isInteger(index.v)) return UNKNOWN;
  const items = value.t === 'list' || value.t === 'range' || value.t === 'str' ? itemsOf(value, 100_000) : undefined;
  if (!items) return UNKNOWN;
  const position = index.v < 0 ? items.count + index.v : index.v;
  return items.items[position] ?? UNKNOWN;
}

/** `value[start:stop:step]` with constant bounds, as Python's `slice.indices` reads them (`[::-1]` reverses). */
export function slice(value: PyValue, start: PyValue | undefined, stop: PyValue | undefined, step?: PyValue): PyValue {
  if (value.t === 'tensor') return value;
  const items = value.t === 'list' || value.t === 'range' ? itemsOf(value, 100_000) : undefined;
  if (!items || items.items.length < items.count) return UNKNOWN;
  const stride = !step || step.t === 'none' ? 1 : step.t === 'num' && Number.isInteger(step.v) && step.v !== 0 ? step.v : undefined;
  if (stride === undefined) return UNKNOWN;
  const length = items.count;
  const bound = (given: PyValue | undefined, fallback: number) => {
    if (!given || given.t === 'none') return fallback;
    if (given.t !== 'num') return undefined;
    const index = given.v < 0 ? given.v + length : given.v;
    return stride > 0 ? Math.min(Math.max(index, 0), length) : Math.min(Math.max(index, -1), length - 1);
  };
  const from = bound(start, stride > 0 ? 0 : length - 1);
  const to = bound(stop, stride > 0 ? length : -1);
  if (from === undefined || to === undefined) return UNKNOWN;
  const picked: PyValue[] = [];
  for (let index = from; stride > 0 ? index < to : index > to; index += stride) picked.push(items.items[index]);
  return value.t === 'list' && value.numpy ? { t: 'list', items: picked, numpy: true } : { t: 'list', items: picked };
}

/** The graph nodes a value holds: a tensor, or the tensors of a list/tuple/dict. */
export function tensorNodes(value: PyValue, into: number[] = []): number[] {
  if (value.t === 'tensor') into.push(value.node);
  else if (value.t === 'list') for (const item of value.items) tensorNodes(item, into);
  else if (value.t === 'dict') for (const item of value.entries.values()) tensorNodes(item, into);
  return into;
}

/** Pure numeric functions of `math` and `numpy`, by their last name (`math.sqrt`, `np.sqrt`). */
export const MATH_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  sqrt: Math.sqrt, exp: Math.exp, log: (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)),
  log2: Math.log2, log10: Math.log10, pow: Math.pow, power: Math.pow, floor: Math.floor, ceil: Math.ceil,
  fabs: Math.abs, abs: Math.abs, tanh: Math.tanh, sin: Math.sin, cos: Math.cos,
};

export const MATH_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Infinity };

/** Modules whose numeric functions and constants are evaluated. */
export const MATH_MODULES = new Set(['math', 'numpy', 'np']);

/** `object.name`: dotted paths of library names, attributes of instances and classes, bound methods. */
export function attribute(object: PyValue, name: string): PyValue {
  switch (object.t) {
    case 'ref':
      // The constant's name first: most members (`layers.Dense`) are none, and need no module name cut out.
      if (Object.hasOwn(MATH_CONSTANTS, name) && MATH_MODULES.has(lastSegment(object.path))) return { t: 'num', v: MATH_CONSTANTS[name] };
      return { t: 'ref', path: memberPath(object.path, name) };
    case 'object': {
      const own = object.attrs.get(name);
      if (own) return own;
      const found = classMember(object.cls, name);
      if (!found) return UNKNOWN;
      return 'method' in found ? { t: 'method', fn: found.method, closure: found.owner.closure, self: object } : found.value;
    }
    case 'dict': return object.namespace ? object.entries.get(name) ?? UNKNOWN : UNKNOWN;
    case 'class': {
      const found = classMember(object.cls, name);
      if (!found) return UNKNOWN;
      return 'method' in found ? { t: 'function', fn: found.method, closure: found.owner.closure } : found.value;
    }
    default: return UNKNOWN;
  }
}

/** A method or class attribute, looked up through the bases as Python does (depth first). */
export function classMember(cls: ClassDef, name: string): { method: FunctionDef; owner: ClassDef } | { value: PyValue } | undefined {
  const method = cls.methods.get(name);
  if (method) return { method, owner: cls };
  const value = cls.attrs.get(name);
  if (value) return { value };
  for (const base of cls.bases) {
    const inherited = classMember(base, name);
    if (inherited) return inherited;
  }
  return undefined;
}

export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}
