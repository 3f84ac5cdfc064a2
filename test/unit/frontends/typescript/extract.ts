/** Helpers for the TypeScript front end's tests: extract a snippet, read back what it says about its layers. */
import assert from 'node:assert/strict';
import ts from 'typescript';
import type { Arg, ArgValue, CallSite, ExtractedFile, InsertionPoint, RawModel, Span } from '../../../../src/core/ir';
import { extractTypeScriptText } from '../../../../src/frontends/typescript/fromText';

export const TFJS = '@tensorflow/tfjs';

export function extract(text: string, fileName = 'model.ts'): ExtractedFile {
  return extractTypeScriptText(text, fileName);
}

/** The only model of a snippet. */
export function onlyModel(text: string, fileName = 'model.ts'): RawModel {
  const { models } = extract(text, fileName);
  assert.equal(models.length, 1, `one model expected, found ${models.map((model) => model.name).join(', ') || 'none'}`);
  return models[0];
}

export const sliceOf = (text: string, span: Span) => text.slice(span.start, span.end);

/** A layer's written keyword arguments as plain values: `{units: 64, kernelInitializer: 'heNormal'}`. */
export function keywords(call: CallSite): Record<string, unknown> {
  return Object.fromEntries(Object.entries(call.keyword).map(([name, arg]) => [name, plain(arg.value)]));
}

/** An argument value as plain data: numbers, strings, arrays; calls as `callee(…)` strings with their keywords. */
export function plain(value: ArgValue): unknown {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'boolean': return value.value;
    case 'null': return null;
    case 'array': return value.items.map((item: Arg) => plain(item.value));
    case 'call': return { call: value.call.callee, ...keywords(value.call) };
    case 'reference': return { reference: value.path };
    default: return '?';
  }
}

/** `units` of every layer, in order: a compact picture of a model. */
export const unitsOf = (model: RawModel) => model.layers.map((layer) => plain(layer.call.keyword.units?.value ?? { kind: 'unknown' }));

/** Last callee segment of every layer: `['dense', 'dropout', …]`. */
export const kindsOf = (model: RawModel) => model.layers.map((layer) => layer.call.callee.slice(layer.call.callee.lastIndexOf('.') + 1));

/** Applies an insertion and returns the new text. */
export function insert(text: string, point: InsertionPoint, what: string): string {
  assert.ok(point.offset >= 0, 'an insertion point is offered');
  return text.slice(0, point.offset) + point.prefix + what + point.suffix + text.slice(point.offset);
}

/** The parser's error count for a text: an inserted fix must keep it at zero. */
export function parseErrors(text: string, fileName = 'model.ts'): number {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  return (sourceFile as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
}
