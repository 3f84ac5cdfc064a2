/**
 * Pathological inputs, generated (never stored): each is small to describe and large or deep to analyse.
 * Every generator that keeps a control model writes one hidden layer with a constant kernel, so a run that
 * still sees the model reports `symmetric-init` (the control finding).
 */

const TFJS_IMPORT = "import * as tf from '@tensorflow/tfjs';\n";
const TFJS_CONTROL = [
  'const control = tf.sequential({layers: [',
  "  tf.layers.dense({units: 8, inputShape: [8], activation: 'relu'}),",
  "  tf.layers.dense({units: 8, activation: 'relu', kernelInitializer: 'zeros'}),",
  '  tf.layers.dense({units: 1}),',
  ']});',
].join('\n');

const KERAS_IMPORT = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';
const KERAS_CONTROL = [
  'control = keras.Sequential([',
  "    layers.Dense(8, activation='relu', input_shape=(8,)),",
  "    layers.Dense(8, activation='relu', kernel_initializer='zeros'),",
  '    layers.Dense(1),',
  '])',
].join('\n');

export interface PathologicalInput {
  name: string;
  fileName: string;
  text: () => string;
  /** The control model is in the file: its finding must still be reported. */
  hasControl: boolean;
  /** The analysis must say it was cut (`analysis-incomplete`). */
  mustBeIncomplete: boolean;
}

/** `Array.from({length: n}, …)` of one-layer-pair models: n models at one span (the 53-second tsserver freeze). */
export function tfjsArrayFromModels(count: number): string {
  return `${TFJS_IMPORT}const ms = Array.from({length: ${count}}, (_, i) => tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [4]}), tf.layers.dense({units: i + 1})]}));\n`;
}

/** One line: `tf.sequential({layers: [dense, dense, …]})` with `count` layers. */
export function tfjsOneLineSequential(count: number): string {
  const layer = "tf.layers.dense({units: 8, activation: 'relu', kernelInitializer: 'zeros'})";
  const first = "tf.layers.dense({units: 8, inputShape: [8], activation: 'relu'})";
  return `${TFJS_IMPORT}const wide = tf.sequential({layers: [${first}, ${Array(count).fill(layer).join(', ')}]});\n`;
}

/** An unrelated array literal nested `depth` deep next to the control model. */
export function tfjsNestedArray(depth: number): string {
  return `${TFJS_IMPORT}${TFJS_CONTROL}\nconst deep = ${'['.repeat(depth)}1${']'.repeat(depth)};\n`;
}

/** A layer's units inside `depth` parentheses. */
export function tfjsNestedParens(depth: number): string {
  return `${TFJS_IMPORT}${TFJS_CONTROL}\nconst units = ${'('.repeat(depth)}4${')'.repeat(depth)};\ncontrol.add(tf.layers.dense({units}));\n`;
}

/** A loop that computes and builds nothing, before the control model. */
export function tfjsBusyLoop(): string {
  return `${TFJS_IMPORT}let s = 0;\nfor (let i = 0; i < 1e9; i++) { for (let j = 0; j < 1e9; j++) { s = s + i * j; } }\n${TFJS_CONTROL}\n`;
}

/** Functions calling the next one `fanOut` times, `levels` deep (fanOut^levels calls), before the control model. */
export function tfjsCallTree(fanOut: number, levels: number): string {
  const lines = [`${TFJS_IMPORT}function f0(x) { return x + 1; }`];
  for (let level = 1; level <= levels; level++) lines.push(`function f${level}(x) { ${`x = f${level - 1}(x); `.repeat(fanOut)}return x; }`);
  lines.push(`const n = f${levels}(0);`, TFJS_CONTROL);
  return `${lines.join('\n')}\n`;
}

/** A layer's units inside `depth` parentheses. */
export function kerasNestedParens(depth: number): string {
  return `${KERAS_IMPORT}units = ${'('.repeat(depth)}4${')'.repeat(depth)}\n${KERAS_CONTROL}\ncontrol.add(layers.Dense(units))\n`;
}

/** An unrelated list nested `depth` deep next to the control model. */
export function kerasNestedList(depth: number): string {
  return `${KERAS_IMPORT}deep = ${'['.repeat(depth)}1${']'.repeat(depth)}\n${KERAS_CONTROL}\n`;
}

/** Functions calling the next one `fanOut` times, `levels` deep: fanOut^levels calls, the control model built in the leaf's caller. */
export function kerasCallTree(fanOut: number, levels: number): string {
  const lines = [KERAS_IMPORT, 'def f0(x):\n    return x + 1\n'];
  for (let level = 1; level <= levels; level++) {
    lines.push(`def f${level}(x):\n${Array.from({ length: fanOut }, () => `    x = f${level - 1}(x)`).join('\n')}\n    return x\n`);
  }
  lines.push(`n = f${levels}(0)\n${KERAS_CONTROL}\n`);
  return lines.join('\n');
}

/** A busy Python loop before the control model. */
export function kerasBusyLoop(): string {
  return `${KERAS_IMPORT}s = 0\nfor i in range(10**9):\n    for j in range(10**9):\n        s = s + i * j\n${KERAS_CONTROL}\n`;
}

/** A model built by a comprehension of `count` layers (past the 100,000-layer cap). */
export function kerasManyLayers(count: number): string {
  return `${KERAS_IMPORT}big = keras.Sequential([layers.Dense(8, input_shape=(8,))] + [layers.Dense(8, activation='relu') for _ in range(${count})])\n${KERAS_CONTROL}\n`;
}

/** The same in tfjs: a loop adding `count` layers. */
export function tfjsManyLayers(count: number): string {
  return `${TFJS_IMPORT}${TFJS_CONTROL}\nconst big = tf.sequential();\nbig.add(tf.layers.dense({units: 8, inputShape: [8]}));\nfor (let i = 0; i < ${count}; i++) big.add(tf.layers.dense({units: 8, activation: 'relu'}));\n`;
}

/** The control model followed by `bytes` of harmless statements (`x = 1`). */
export function kerasHugeFile(bytes: number): string {
  const head = `${KERAS_IMPORT}${KERAS_CONTROL}\n`;
  return head + 'x = 1\n'.repeat(Math.ceil(bytes / 6));
}

export function tfjsHugeFile(bytes: number): string {
  const head = `${TFJS_IMPORT}${TFJS_CONTROL}\n`;
  return head + 'x = 1;\n'.repeat(Math.ceil(bytes / 7));
}

export const tfjsControl = (): string => `${TFJS_IMPORT}${TFJS_CONTROL}\n`;
export const kerasControl = (): string => `${KERAS_IMPORT}${KERAS_CONTROL}\n`;
