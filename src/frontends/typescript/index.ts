/**
 * The TensorFlow.js front end: a JS/TS SourceFile → the models it builds, its imports, comments and
 * syntax problems. It takes the `typescript` module as a parameter so the tsserver plugin can pass
 * tsserver's own instance and the program's SourceFile (no second parse, no second compiler).
 */
import type * as ts from 'typescript';
import type { ExtractedFile, ImportScope, RawModel, SyntaxProblem } from '../../core/ir';
import { SUPPRESSION_MARK } from '../../core/suppressions';
import { CutLog, ExtractionCancelled, isStackOverflow, type WorkLimits } from '../budget';
import { collectComments } from './comments';
import { collectImports } from './imports';
import { Interpreter } from './interpreter';
import { toRawModel } from './models';

/** Every model factory's name contains one of these: a file without them builds no model. */
const MODEL_FACTORY_WORDS = /sequential|model/i;

/**
 * Never throws but `ExtractionCancelled` (when `limits` say the host cancelled): each part is guarded, code
 * being typed still yields what can be found, and whatever a budget or a failure cut is in `cuts`.
 */
export function extractTypeScript(tsModule: typeof ts, sourceFile: ts.SourceFile, limits?: WorkLimits): ExtractedFile {
  const extracted = emptyExtraction();
  const cutLog = new CutLog();
  try {
    extracted.imports = collectImports(tsModule, sourceFile);
  } catch (error) {
    // Keep the empty scope, and say so: names the imports would have resolved are read as written.
    cutLog.add({ start: 0, end: 0 }, `the file's imports could not be read (${String(error)}): imported names were not resolved`);
  }
  try {
    // The core reads comments for suppressions alone (`initlint-disable…`): a file without one has none to read.
    if (sourceFile.text.includes(SUPPRESSION_MARK)) extracted.comments = collectComments(tsModule, sourceFile);
  } catch (error) {
    // No comments means no suppressions: findings are still right, only not hidden; said all the same.
    cutLog.add({ start: 0, end: 0 }, `the file's comments could not be read (${String(error)}): its suppression comments were not applied`);
  }
  try {
    extracted.syntaxProblems = syntaxProblems(tsModule, sourceFile);
  } catch {
    // Syntax problems are informational.
  }
  try {
    extracted.models = extractModels(tsModule, sourceFile, extracted.imports.bindings, cutLog, limits);
  } catch (error) {
    // The interpreter guards every statement; this only catches what escapes its own guards, and says so.
    if (error instanceof ExtractionCancelled) throw error;
    cutLog.add({ start: 0, end: 0 }, isStackOverflow(error) ? 'the file is nested too deeply to read its models' : `the model reader failed (${String(error)}): please report it`);
  }
  bindGlobalTf(extracted);
  if (cutLog.cuts.length) extracted.cuts = cutLog.cuts;
  return extracted;
}

/**
 * A file whose models are built on the global `tf` of a `<script>` tag (nothing binds `tf`, its layers are
 * `tf.layers.…`) has the tfjs namespace under that name: fixes write `tf.initializers.…` as its own calls
 * do, and never an `import` (a syntax error in a classic script, a second tfjs where `tf` comes from a CDN).
 * Only the fixes' scope learns it: callees keep their written form.
 */
function bindGlobalTf(extracted: ExtractedFile): void {
  const { bindings } = extracted.imports;
  if ('tf' in bindings) return;
  const usesGlobal = extracted.models.some((model) => model.layers.some((layer) => layer.call.callee.startsWith('tf.')));
  if (usesGlobal) extracted.imports.bindings = { ...bindings, tf: '@tensorflow/tfjs' };
}

function extractModels(tsModule: typeof ts, sourceFile: ts.SourceFile, bindings: Record<string, string>, cutLog: CutLog, limits?: WorkLimits): RawModel[] {
  if (!MODEL_FACTORY_WORDS.test(sourceFile.text)) return [];
  const interpreter = new Interpreter(tsModule, sourceFile, limits);
  try {
    interpreter.run(bindings);
  } finally {
    for (const cut of interpreter.state.cutLog.cuts) cutLog.add(cut.span, cut.reason);
  }
  const models: RawModel[] = [];
  const seen = new SeenModels();
  for (const builder of interpreter.state.models) {
    if (builder.layers.length === 0 && builder.outputs.length === 0) continue;
    const model = toRawModel(builder);
    if (model.layers.length > 0 && seen.isNew(model)) models.push(model);
  }
  // Builders nobody calls run last; the file's own order is the one readers expect.
  return models.sort((a, b) => a.span.start - b.span.start);
}

/**
 * A builder function called twice with the same arguments builds the same model twice: it is reported once.
 * Models are keyed by name, span and size, and only models sharing that key are compared by their full
 * text, each serialized once: linear in the models' size, where comparing every pair froze the editor on
 * `Array.from({length: 4000}, () => tf.sequential(…))`.
 */
class SeenModels {
  private readonly byKey = new Map<string, { first: RawModel; texts?: Set<string> }>();

  isNew(model: RawModel): boolean {
    const key = `${model.span.start}:${model.layers.length}:${model.name}`;
    const bucket = this.byKey.get(key);
    if (!bucket) {
      this.byKey.set(key, { first: model });
      return true;
    }
    bucket.texts ??= new Set([serialized(bucket.first)]);
    const text = serialized(model);
    if (bucket.texts.has(text)) return false;
    bucket.texts.add(text);
    return true;
  }
}

let unserializableCount = 0;

/** A model's full text; a unique token when it cannot be serialized, so it is never taken for another. */
function serialized(model: RawModel): string {
  try {
    return JSON.stringify(model);
  } catch {
    return `unserializable:${++unserializableCount}`;
  }
}

/** The parser's recovered errors (an internal field of SourceFile, present in every TypeScript version we know). */
function syntaxProblems(tsModule: typeof ts, sourceFile: ts.SourceFile): SyntaxProblem[] {
  const diagnostics = (sourceFile as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map((diagnostic) => {
    const start = diagnostic.start ?? 0;
    return {
      span: { start, end: start + (diagnostic.length ?? 0) },
      message: tsModule.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    };
  });
}

/** What a file with nothing in it yields. */
export function emptyExtraction(): ExtractedFile {
  const imports: ImportScope = { bindings: {}, newImportAt: { offset: 0, prefix: '', suffix: '\n' }, extendableImports: {} };
  return { language: 'javascript', models: [], imports, comments: [], syntaxProblems: [] };
}
