/**
 * JavaScript operators and `Math` on constant values: what a width, depth or gain is usually written
 * with (`2 * 256`, `512 >> i`, `Math.sqrt(2)`, `i < DEPTH`). Anything else is `unknown`.
 */
import { booleanValue, numberValue, stringValue, UNKNOWN, type Value } from './values';

type Primitive = number | string | boolean | null | undefined;

function primitiveOf(value: Value): { known: boolean; value: Primitive } {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'boolean': return { known: true, value: value.value };
    case 'null': return { known: true, value: null };
    case 'undefined': return { known: true, value: undefined };
    default: return { known: false, value: undefined };
  }
}

function fromPrimitive(value: unknown): Value {
  switch (typeof value) {
    case 'number': return numberValue(value);
    case 'string': return stringValue(value);
    case 'boolean': return booleanValue(value);
    case 'undefined': return { kind: 'undefined' };
    default: return value === null ? { kind: 'null' } : UNKNOWN;
  }
}

/** Binary operators by their token text; each takes JS primitives and returns one. */
const BINARY: Record<string, (a: never, b: never) => unknown> = {
  '+': (a: number, b: number) => a + b,
  '-': (a: number, b: number) => a - b,
  '*': (a: number, b: number) => a * b,
  '/': (a: number, b: number) => a / b,
  '%': (a: number, b: number) => a % b,
  '**': (a: number, b: number) => a ** b,
  '<<': (a: number, b: number) => a << b,
  '>>': (a: number, b: number) => a >> b,
  '>>>': (a: number, b: number) => a >>> b,
  '&': (a: number, b: number) => a & b,
  '|': (a: number, b: number) => a | b,
  '^': (a: number, b: number) => a ^ b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '===': (a: unknown, b: unknown) => a === b,
  '!==': (a: unknown, b: unknown) => a !== b,
  // Loose equality on primitives only (objects never reach here), so `==` cannot run user code.
  '==': (a: unknown, b: unknown) => a == b,
  '!=': (a: unknown, b: unknown) => a != b,
};

/** `a op b` for constant operands; unknown for other operators or operands. */
export function binary(operator: string, left: Value, right: Value): Value {
  const apply = BINARY[operator];
  if (!apply) return UNKNOWN;
  const a = primitiveOf(left);
  const b = primitiveOf(right);
  if (!a.known || !b.known) return UNKNOWN;
  return fromPrimitive(apply(a.value as never, b.value as never));
}

/** Prefix `-x`, `+x`, `!x`, `~x` on constants. */
export function unary(operator: string, operand: Value): Value {
  const a = primitiveOf(operand);
  if (!a.known) return UNKNOWN;
  switch (operator) {
    case '-': return fromPrimitive(-(a.value as number));
    case '+': return fromPrimitive(+(a.value as number));
    case '!': return booleanValue(!a.value);
    case '~': return fromPrimitive(~(a.value as number));
    default: return UNKNOWN;
  }
}

/** `Math.*` constants (ECMA-262 §21.3.1), e.g. the `Math.SQRT2` a gain fix writes. */
const MATH_CONSTANTS: Record<string, number> = {
  E: Math.E, LN10: Math.LN10, LN2: Math.LN2, LOG10E: Math.LOG10E, LOG2E: Math.LOG2E,
  PI: Math.PI, SQRT1_2: Math.SQRT1_2, SQRT2: Math.SQRT2,
};

/** `Math.*` functions of numbers (ECMA-262 §21.3.2); the random ones are left out on purpose. */
const MATH_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  abs: Math.abs, ceil: Math.ceil, exp: Math.exp, floor: Math.floor, log: Math.log, log2: Math.log2,
  log10: Math.log10, max: Math.max, min: Math.min, pow: Math.pow, round: Math.round, sign: Math.sign,
  sqrt: Math.sqrt, trunc: Math.trunc, cbrt: Math.cbrt, hypot: Math.hypot,
};

/** The value of a global constant path (`Math.PI`, `Number.EPSILON`) or undefined. */
export function globalConstant(path: string): Value | undefined {
  if (path.startsWith('Math.') && path.slice(5) in MATH_CONSTANTS) return numberValue(MATH_CONSTANTS[path.slice(5)]);
  if (path === 'Number.EPSILON') return numberValue(Number.EPSILON);
  if (path === 'Number.MAX_SAFE_INTEGER') return numberValue(Number.MAX_SAFE_INTEGER);
  return undefined;
}

/** A call of a global numeric function (`Math.sqrt(2)`, `Number('3')`, `parseInt(x, 10)`), else undefined. */
export function globalCall(path: string, args: Value[]): Value | undefined {
  const numbers = () => args.map((arg) => (arg.kind === 'number' ? arg.value : NaN));
  if (path.startsWith('Math.') && Object.hasOwn(MATH_FUNCTIONS, path.slice(5))) {
    const values = numbers();
    return values.some(Number.isNaN) ? UNKNOWN : numberValue(MATH_FUNCTIONS[path.slice(5)](...values));
  }
  const first = primitiveOf(args[0] ?? UNKNOWN);
  if (path === 'Number' || path === 'parseInt' || path === 'parseFloat' || path === 'String' || path === 'Boolean') {
    if (!first.known) return UNKNOWN;
    if (path === 'Number') return numberValue(Number(first.value));
    if (path === 'parseFloat') return numberValue(parseFloat(String(first.value)));
    if (path === 'String') return stringValue(String(first.value));
    if (path === 'Boolean') return booleanValue(Boolean(first.value));
    const radix = args[1]?.kind === 'number' ? args[1].value : undefined;
    return numberValue(parseInt(String(first.value), radix));
  }
  return undefined;
}
