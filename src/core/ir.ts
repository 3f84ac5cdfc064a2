/**
 * The model IR shared by every part of InitLint.
 *
 * Front ends (src/frontends/*) are purely syntactic: they find model definitions in source text and
 * report each layer as the *call that constructs it* (`RawModel`), with names resolved through the
 * file's imports and constants evaluated. The core (`interpret.ts`) turns those calls into resolved
 * layers (`Model`) using the framework tables in `catalogue/`, so every framework fact lives in one place.
 *
 * All positions are UTF-16 offsets into the analysed text (what JS strings, the TypeScript compiler,
 * Lezer and LSP's default encoding all count in). Hosts convert them to lines and columns.
 */

export type Framework = 'keras' | 'tfjs';

/**
 * Model inputs in a layer's `inputs` are negative: the k-th model input is `modelInput(k)` = -1 - k, so the
 * first (and usually only) one is `MODEL_INPUT`.
 */
export const modelInput = (k: number): number => -1 - k;
export const MODEL_INPUT = modelInput(0);
/** Which model input a negative entry of `inputs` names. */
export const modelInputIndex = (input: number): number => -1 - input;
export type Language = 'python' | 'javascript';

/** Half-open range `[start, end)` of UTF-16 offsets in the source text. */
export interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// What front ends produce
// ---------------------------------------------------------------------------------------------

/** A value written in source, evaluated as far as static analysis allows. */
export type ArgValue =
  /** `assumed`: the value the file starts with, which code InitLint cannot order may change (a constant reassigned through `global`). */
  | { kind: 'number'; value: number; assumed?: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  /** A list/tuple/array literal (also a resolved `[..] * n`). */
  | { kind: 'array'; items: Arg[] }
  /** A call, e.g. `HeNormal()`, `tf.initializers.heNormal({})`, `keras.initializers.Constant(0.1)`. */
  | { kind: 'call'; call: CallSite }
  /**
   * A reference to a named thing that is not a call, resolved through imports to a dotted path:
   * `tf.nn.relu` → `tensorflow.nn.relu`, `keras.activations.relu` → `keras.activations.relu`.
   */
  | { kind: 'reference'; path: string }
  /** Anything the front end could not evaluate (a function parameter, an expression). */
  | { kind: 'unknown' };

export interface Arg {
  span: Span;
  value: ArgValue;
}

/**
 * Where a new argument can be inserted into a call's argument list (Python) or config object (tfjs).
 * Inserting `prefix + "kernel_initializer='he_normal'" + suffix` at `offset` must leave valid code:
 * `Dense(64)` → offset before `)`, prefix `', '`; `Dense()` → prefix `''`;
 * `tf.layers.dense({units: 4})` → offset before `}`, prefix `', '`; `tf.layers.dense()` → prefix `'{'`, suffix `'}'`.
 */
export interface InsertionPoint {
  offset: number;
  prefix: string;
  suffix: string;
}

/** A call as written, with its callee resolved through the file's imports. */
export interface CallSite {
  /**
   * Dotted path of the callee after import resolution, with the module part as the import names it:
   * Python `layers.Dense` with `from keras import layers` → `keras.layers.Dense`;
   * `tf.keras.layers.Dense` with `import tensorflow as tf` → `tensorflow.keras.layers.Dense`;
   * TS `tf.layers.dense` with `import * as tf from '@tensorflow/tfjs'` → `@tensorflow/tfjs.layers.dense`;
   * `dense` with `import {layers} from '@tensorflow/tfjs'`, called as `layers.dense` → `@tensorflow/tfjs.layers.dense`.
   * Names that are not imported keep their written form (`tf.layers.dense`, `Dense`): the core decides.
   */
  callee: string;
  /** The callee expression (`Dense`, `layers.Dense`, `tf.layers.dense`): where findings without a written argument point. */
  calleeSpan: Span;
  /** The whole call expression. */
  span: Span;
  /** Positional arguments (Python). For tfjs, positional arguments other than the config object. */
  positional: Arg[];
  /**
   * Keyword arguments (Python `units=64`) or the properties of the tfjs config object literal
   * (`{units: 64}`), keyed by the name as written (`kernel_initializer`, `kernelInitializer`).
   */
  keyword: Record<string, Arg>;
  /** Where a missing keyword argument / config property goes. */
  insertAt: InsertionPoint;
}

/** One layer of a model in data-flow order. */
export interface RawLayer {
  call: CallSite;
  /**
   * Indices (into the model's `layers`) of the layers whose outputs this layer consumes. Sequential
   * models: the previous layer (or [] for the first). Functional: the graph. [] means the model input;
   * `MODEL_INPUT` (-1) names it where it is one input among others (`concatenate([x, inputs])`).
   */
  inputs: number[];
  /**
   * When the call sits in a loop (or comprehension, `Array.from`) with a constant trip count,
   * the front end repeats the layer; every copy carries the same call and this marker.
   */
  repeat?: { iteration: number; count: number };
  /**
   * The first layer of a model of its own composed into this one (`Sequential([generator, discriminator])`,
   * `discriminator(generator(z))`): its name. Chains start again there: each part is judged as the model it is.
   */
  entersModel?: string;
}

/** Shape of the model input when written (`Input(shape=(784,))`, `inputShape: [28, 28, 1]`), batch excluded. */
export interface RawModel {
  /** Variable or class name (`model`, `MyNet`), else `Sequential@line`. */
  name: string;
  /** `sequential` (list or `model.add`), `functional` (Input → Model), `subclassed` (class with `call`). */
  style: 'sequential' | 'functional' | 'subclassed';
  /** The statement or class that defines the model: where a CodeLens goes. */
  span: Span;
  layers: RawLayer[];
  /** Input shape from `Input(shape=…)` / `tf.input({shape})` when written outside the first layer. */
  inputShape?: Arg;
  /**
   * A model of several inputs (`keras.Model([a, b], …)`): each input's written shape, in the order of
   * `modelInput(k)`. `inputShape` is the first one's.
   */
  inputShapes?: (Arg | undefined)[];
  /** `layer.kernel_initializer = …` written after the layer was made (see `InitializerAssignment`). */
  initializerAssignments?: InitializerAssignment[];
}

/**
 * An initializer assigned to a layer's attribute after the layer was made (`model.layers[0].kernel_initializer
 * = he_init()`, or each layer of `for layer in model.layers:`). Keras draws a layer's weights once, when it is
 * built: an assignment after that changes nothing (the `ineffective-initializer` rule).
 */
export interface InitializerAssignment {
  /** The layers the assignment reaches (indices into `RawModel.layers`), each with its build when it was already built. */
  layers: { index: number; built?: LayerBuild }[];
  /** The attribute as written: `kernel_initializer`, `bias_initializer`. */
  field: string;
  value: Arg;
  /** The assignment statement. */
  span: Span;
  /** The assigned object as written (`model.layers[0]`, `layer`): what a fix that re-draws the weights writes. */
  target: string;
  /** The edit that takes the assignment out (its line, or a loop that does nothing else); absent when none is safe. */
  removal?: { span: Span; newText: string };
  /** The statement starts its own line: it can be replaced by a compound statement (`if …: …`). */
  ownLine: boolean;
  /** Made in a loop over layers: layers without the weight are in it too. */
  inLoop: boolean;
}

/**
 * What built a layer's weights, and where: its model learned its input shape (`input`: an `Input`, `input_shape=`),
 * it was added to a model that knew it (`added`), called on a tensor (`call`), `model.build(…)` (`build`), or a
 * training, prediction or summary call (`use`).
 */
export interface LayerBuild {
  by: 'input' | 'added' | 'call' | 'build' | 'use';
  span: Span;
}

/** How names are bound by imports in a file: used to resolve callees and to write fixes that need a name. */
export interface ImportScope {
  /** Local name → dotted path: `tf` → `tensorflow`, `layers` → `keras.layers`, `HeNormal` → `keras.initializers.HeNormal`. */
  bindings: Record<string, string>;
  /** Where a whole new import statement can go (after the last import, or the file start), with a line break prefix/suffix. */
  newImportAt: InsertionPoint;
  /**
   * Named-import lists that can take one more name, keyed by module path
   * (`keras.initializers` for `from keras.initializers import HeNormal`,
   * `@tensorflow/tfjs` for `import {layers} from '@tensorflow/tfjs'`).
   */
  extendableImports: Record<string, InsertionPoint>;
}

/** A comment in the source: front ends report them so the core can read suppressions. */
export interface Comment {
  span: Span;
  /** Comment text without its `#` or `//` / `/* *\/` markers. */
  text: string;
}

export interface SyntaxProblem {
  span: Span;
  message: string;
}

/** Everything a front end extracts from one file. */
export interface ExtractedFile {
  language: Language;
  models: RawModel[];
  imports: ImportScope;
  comments: Comment[];
  /** Syntax errors the tolerant parser recovered from (never thrown). */
  syntaxProblems: SyntaxProblem[];
  /** Where a size, time, step or depth budget cut the reading: reported as `analysis-incomplete`, never dropped. */
  cuts?: AnalysisCut[];
}

/** One place where the front end stopped reading: `reason` says what was cut and why (a sentence). */
export interface AnalysisCut {
  span: Span;
  reason: string;
}
