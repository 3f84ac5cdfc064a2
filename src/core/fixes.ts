/**
 * Fixes as text edits, written in the source's own style: a string stays a string, a call stays a call
 * through the same namespace, a missing keyword argument (Keras) or config property (tfjs) is inserted,
 * and an import is added only when the name the fix needs is not already in scope.
 */
import { INITIALIZERS, preferredCallName, preferredString, type InitializerId } from './catalogue/initializers';
import { lastSegment, snakeCase } from './args';
import type { TextEdit } from './findings';
import type { Framework, ImportScope, InsertionPoint, Span } from './ir';
import type { InitializerRole, Layer } from './model';

export interface FixContext {
  text: string;
  framework: Framework;
  imports: ImportScope;
  /** The file's string quote, found once per file (see `quoted`). */
  quote?: string;
  /** How this file calls each initializer (by call name), found once per file: see `initializerAccess`. */
  access?: Map<string, InitializerAccess>;
  /** Names written as this file's strings (`'heUniform'`), by name: a stack's fixes write the same few. */
  quotedNames?: Map<string, string>;
}

/** An initializer's callee as this file can write it (`tf.initializers.heUniform`), and the import that makes it so. */
interface InitializerAccess {
  callee: string;
  edits: TextEdit[];
}

/** An initializer a fix writes: a named one, or one with arguments (`varianceScaling`, `orthogonal`). */
export interface InitializerTarget {
  id: InitializerId;
  /** Arguments in camelCase with already-formatted values for each language: `{scale: '2.585', mode: ['fan_in', 'fanIn']}`. */
  args?: TargetArg[];
}

export interface TargetArg {
  name: string;
  /** Python and JavaScript spellings of the value (`2 ** 0.5` / `Math.SQRT2`, `'fan_in'` / `'fanIn'`). */
  python: string;
  javascript: string;
}

export function keywordName(framework: Framework, role: InitializerRole): string {
  // Written once per framework and role (a handful), not once per fix.
  return (KEYWORD_NAMES[framework][role] ??= framework === 'keras' ? snakeCase(`${role}Initializer`) : `${role}Initializer`);
}

const KEYWORD_NAMES: Record<Framework, Partial<Record<InitializerRole, string>>> = { keras: {}, tfjs: {} };

/** Edits that make `layer`'s initializer in `role` become `target`. */
export function initializerEdits(layer: Layer, role: InitializerRole, target: InitializerTarget, context: FixContext): TextEdit[] {
  const written = layer.initializers[role]?.written;
  const needsCall = !!target.args?.length;
  if (written?.value.kind === 'string' && !needsCall) {
    const quote = context.text[written.span.start] === '"' ? '"' : "'";
    return [replaceWritten(written.span, `${quote}${preferredString(context.framework, target.id)}${quote}`, role, context)];
  }
  if (written?.value.kind === 'call') {
    const call = written.value.call;
    const calleeText = context.text.slice(call.calleeSpan.start, call.calleeSpan.end);
    const dot = calleeText.lastIndexOf('.');
    const writtenName = lastSegment(calleeText);
    // Keep the family of spelling the user chose: Keras `he_normal()` function vs `HeNormal()` class.
    const name = context.framework === 'keras' && /^[a-z]/.test(writtenName)
      ? INITIALIZERS[target.id].keras.snake
      : preferredCallName(context.framework, target.id);
    // TensorFlow's own `tf.random_normal_initializer()` has no He or Glorot sibling beside it: the Keras class is written.
    if (dot >= 0 && !writtenName.endsWith('_initializer')) {
      return [replaceWritten(written.span, `${calleeText.slice(0, dot + 1)}${name}${argumentList(target, context.framework)}`, role, context)];
    }
    const { expression, edits } = initializerExpression(target, context);
    return [...edits, replaceWritten(written.span, expression, role, context)];
  }
  // A named initializer needs no import: one edit, with no intermediate arrays (most fixes are these).
  if (!needsCall) {
    const named = quoted(preferredString(context.framework, target.id), context);
    if (written) return [replaceWritten(written.span, named, role, context)];
    const insertion = insertArgument(layer.call.insertAt, keywordName(context.framework, role), named, context.framework);
    return insertion ? [insertion] : [];
  }
  const { expression, edits } = initializerExpression(target, context);
  if (written) return [...edits, replaceWritten(written.span, expression, role, context)];
  const insertion = insertArgument(layer.call.insertAt, keywordName(context.framework, role), expression, context.framework);
  return insertion ? [...edits, insertion] : [];
}

/** Replaces a written argument; a tfjs shorthand property (`{ kernelInitializer }`) gets its name written out. */
function replaceWritten(span: Span, newText: string, role: InitializerRole, context: FixContext): TextEdit {
  const name = keywordName(context.framework, role);
  const shorthand = context.framework === 'tfjs' && span.end - span.start === name.length && context.text.startsWith(name, span.start)
    && /[{,]\s*$/.test(context.text.slice(Math.max(0, span.start - 100), span.start));
  return { span, newText: shorthand ? `${name}: ${newText}` : newText };
}

function quoted(value: string, context: FixContext): string {
  context.quotedNames ??= new Map();
  let written = context.quotedNames.get(value);
  if (written === undefined) {
    const quote = fileQuote(context);
    context.quotedNames.set(value, (written = `${quote}${value}${quote}`));
  }
  return written;
}

/** The file's string quote: the first one used in it, single quotes by default. */
const SHORT_STRING = /(['"])[\w@./-]{1,40}\1/g;

const DOUBLE_QUOTE = '"'.charCodeAt(0);

/** How many short strings decide the file's quote: a file keeps one style, and its first strings show it. */
const QUOTE_SAMPLE = 50;

export function fileQuote(context: FixContext): string {
  if (context.quote === undefined) {
    // The quote most short identifier-like strings use ('relu', "@tensorflow/tfjs"): not the first quote
    // character, which may be an apostrophe in a comment or a docstring's.
    let single = 0;
    let double = 0;
    // `test` moves lastIndex past each match without building a match array (matchAll made one per string);
    // the match's last character is its quote.
    SHORT_STRING.lastIndex = 0;
    while (SHORT_STRING.test(context.text)) {
      if (context.text.charCodeAt(SHORT_STRING.lastIndex - 1) === DOUBLE_QUOTE) double++;
      else single++;
      // Stop at QUOTE_SAMPLE, or once the other quote could no longer catch up within them (the same answer, sooner).
      if (single + double >= QUOTE_SAMPLE || Math.abs(single - double) > QUOTE_SAMPLE - (single + double)) break;
    }
    context.quote = double > single ? '"' : "'";
  }
  return context.quote;
}

/**
 * The edit that adds `name=value` / `name: value` to a call; none when the front end found no place for it
 * (offset < 0: a tfjs config passed as a variable), so no fix that does nothing is ever offered.
 */
export function insertArgument(point: InsertionPoint, name: string, valueText: string, framework: Framework): TextEdit | undefined {
  if (point.offset < 0) return undefined;
  const argument = framework === 'keras' ? `${name}=${valueText}` : `${name}: ${valueText}`;
  return { span: { start: point.offset, end: point.offset }, newText: `${point.prefix}${argument}${point.suffix}` };
}

function argumentList(target: InitializerTarget, framework: Framework): string {
  const args = target.args ?? [];
  // A frozen list is a target made once and shared by every fix (`constantTarget`): written once per framework.
  if (!Object.isFrozen(args) || !args.length) return writeArgumentList(args, framework);
  let written = FROZEN_ARGUMENT_LISTS.get(args);
  if (!written) FROZEN_ARGUMENT_LISTS.set(args, (written = { keras: writeArgumentList(args, 'keras'), tfjs: writeArgumentList(args, 'tfjs') }));
  return written[framework];
}

const FROZEN_ARGUMENT_LISTS = new WeakMap<readonly TargetArg[], Record<Framework, string>>();

function writeArgumentList(args: readonly TargetArg[], framework: Framework): string {
  if (framework === 'keras') return `(${args.map((arg) => `${snakeCase(arg.name)}=${arg.python}`).join(', ')})`;
  // tfjs initializer factories read their config argument: `orthogonal()` throws, `orthogonal({})` works.
  return `({${args.map((arg) => `${arg.name}: ${arg.javascript}`).join(', ')}})`;
}

/**
 * A call expression for an initializer, through a name already in scope when there is one
 * (`initializers.`, `keras.initializers.`, `tf.keras.initializers.`, `tf.initializers.`, or the imported
 * class itself), else with an import added.
 */
export function initializerExpression(target: InitializerTarget, context: FixContext): { expression: string; edits: TextEdit[] } {
  const { callee, edits } = initializerAccess(preferredCallName(context.framework, target.id), context);
  return { expression: `${callee}${argumentList(target, context.framework)}`, edits };
}

const KERAS_INITIALIZER_MODULES = ['keras.initializers', 'tensorflow.keras.initializers', 'tf_keras.initializers'];
const KERAS_MODULES = ['keras', 'tensorflow.keras', 'tf_keras'];
const TFJS_MODULES = ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers'];
const TFJS_INITIALIZER_MODULES = TFJS_MODULES.map((module) => `${module}.initializers`);

/**
 * How the file reaches the initializer `name`: the same for every fix that writes it, so looked up once per
 * file and name (a 1,000-layer model's fixes wrote the same `tf.initializers.varianceScaling` 666 times).
 * The edits are shared by those fixes: nothing changes an edit once made.
 */
function initializerAccess(name: string, context: FixContext): InitializerAccess {
  context.access ??= new Map();
  let access = context.access.get(name);
  if (!access) {
    access = context.framework === 'keras' ? kerasAccess(name, context) : tfjsAccess(name, context);
    context.access.set(name, access);
  }
  return access;
}

/** The local name the file binds to one of `paths` (an import), if any. */
function boundTo(context: FixContext, paths: readonly string[]): string | undefined {
  const { bindings } = context.imports;
  for (const local of Object.keys(bindings)) if (paths.includes(bindings[local])) return local;
  return undefined;
}

function kerasAccess(name: string, context: FixContext): InitializerAccess {
  const direct = boundTo(context, KERAS_INITIALIZER_MODULES.map((module) => `${module}.${name}`));
  if (direct) return { callee: direct, edits: [] };
  const namespace = boundTo(context, KERAS_INITIALIZER_MODULES);
  if (namespace) return { callee: `${namespace}.${name}`, edits: [] };
  const keras = boundTo(context, KERAS_MODULES);
  if (keras) return { callee: `${keras}.initializers.${name}`, edits: [] };
  const tensorflow = boundTo(context, ['tensorflow']);
  if (tensorflow) return { callee: `${tensorflow}.keras.initializers.${name}`, edits: [] };
  const module = Object.keys(context.imports.extendableImports).find((path) => path.endsWith('.initializers'));
  if (module) return { callee: name, edits: [extendImport(context.imports.extendableImports[module], name)] };
  const usesTensorflow = Object.values(context.imports.bindings).some((path) => path.startsWith('tensorflow'));
  const statement = `from ${usesTensorflow ? 'tensorflow.keras' : 'keras'} import initializers`;
  return { callee: `initializers.${name}`, edits: [newImport(context.imports.newImportAt, statement)] };
}

function tfjsAccess(name: string, context: FixContext): InitializerAccess {
  const namespace = boundTo(context, TFJS_INITIALIZER_MODULES);
  if (namespace) return { callee: `${namespace}.${name}`, edits: [] };
  const tf = boundTo(context, TFJS_MODULES);
  if (tf) return { callee: `${tf}.initializers.${name}`, edits: [] };
  const module = TFJS_MODULES.find((path) => context.imports.extendableImports[path]);
  if (module) return { callee: `initializers.${name}`, edits: [extendImport(context.imports.extendableImports[module], 'initializers')] };
  const statement = `import * as tf from '@tensorflow/tfjs';`;
  return { callee: `tf.initializers.${name}`, edits: [newImport(context.imports.newImportAt, statement)] };
}

function extendImport(point: InsertionPoint, name: string): TextEdit {
  return { span: { start: point.offset, end: point.offset }, newText: `${point.prefix}${name}${point.suffix}` };
}

function newImport(point: InsertionPoint, statement: string): TextEdit {
  return { span: { start: point.offset, end: point.offset }, newText: `${point.prefix}${statement}${point.suffix}` };
}

/** Replaces a written string (activation or initializer id) keeping its quotes. */
export function replaceString(span: { start: number; end: number }, value: string, text: string): TextEdit {
  const quote = text[span.start] === '"' ? '"' : "'";
  return { span, newText: `${quote}${value}${quote}` };
}

/** `2.5849…` → `2.585`: four significant digits are exact enough for a variance and read well. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}
