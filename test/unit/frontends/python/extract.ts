/** Helpers the Python front-end tests read with: a snippet in, its models and the text their spans point at. */
import assert from 'node:assert/strict';
import type { Arg, ArgValue, CallSite, RawModel, Span } from '../../../../src/core/ir';
import { extractPython } from '../../../../src/frontends/python';

export function modelsOf(code: string): RawModel[] {
  return extractPython(code).models;
}

/** The one model named `name`. */
export function model(code: string, name: string): RawModel {
  const found = modelsOf(code).filter((candidate) => candidate.name === name);
  assert.equal(found.length, 1, `expected one model named ${name}, found ${modelsOf(code).map((m) => m.name).join(', ') || 'none'}`);
  return found[0];
}

/** The callees of a model's layers, in data-flow order. */
export function callees(raw: RawModel): string[] {
  return raw.layers.map((layer) => layer.call.callee);
}

export function textAt(code: string, span: Span): string {
  return code.slice(span.start, span.end);
}

/** An argument value in a compact form that reads well in assertions: `64`, `'relu'`, `HeNormal()`, `&tensorflow.nn.relu`. */
export function show(value: ArgValue): unknown {
  switch (value.kind) {
    case 'number': case 'string': case 'boolean': return value.value;
    case 'null': return null;
    case 'array': return value.items.map((item: Arg) => show(item.value));
    case 'call': return `${value.call.callee}()`;
    case 'reference': return `&${value.path}`;
    default: return '?';
  }
}

/** A call's positional and keyword arguments, shown compactly. */
export function argsOf(call: CallSite): { positional: unknown[]; keyword: Record<string, unknown> } {
  return {
    positional: call.positional.map((arg) => show(arg.value)),
    keyword: Object.fromEntries(Object.entries(call.keyword).map(([name, arg]) => [name, show(arg.value)])),
  };
}

/** The first-layer-widths view of a model: its layers' first positional argument (or `units=`). */
export function widths(raw: RawModel): unknown[] {
  return raw.layers.map((layer) => show((layer.call.positional[0] ?? layer.call.keyword.units)?.value ?? { kind: 'unknown' }));
}
