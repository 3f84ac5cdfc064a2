/**
 * Probe benchmark, per weight draw: the probe's draws (sampling every weight as the framework does, one
 * forward+backward pass, the statistics read back) against the same work hand-written in TensorFlow.js on the
 * same backend in the same run (target ≤ 1.2×): `tf.truncatedNormal` weights as Keras's he_normal draws them,
 * then the faster of two hand-written passes, tf.grads (autodiff) and a manual backward with explicit transposes
 * (the faster on WASM). Also the probe's FLOP rate. Not a test. `benchProbe()` is what bench/run.ts calls;
 * `node --import tsx bench/probe.ts [backend] [draws]` runs it alone.
 */
import { analyzeSource } from '../src/project/analyzeSource';
import { conv2dFilterGradient } from '../src/probe/convolutions';
import { runProbe } from '../src/probe/engine';
import { useNodeBackend, type BackendPreference } from '../src/probe/nodeBackend';
import * as tf from '../src/probe/tf';
import { median, printTable } from './timing';

interface Case {
  name: string;
  source: string;
  batch: number;
  /** Hand-written forward pass with the given weights; returns the output pre-activations. */
  forward: (x: tf.Tensor, weights: tf.Tensor[]) => tf.Tensor;
  weightShapes: number[][];
  inputShape: number[];
}

const MLP_DEPTH = 50;
const MLP_WIDTH = 1024;
const CNN_DEPTH = 20;
const CNN_CHANNELS = 64;
const CNN_SIZE = 16;

const CASES: Case[] = [
  {
    name: `MLP ${MLP_DEPTH}×${MLP_WIDTH}`,
    source: kerasSequential(`keras.Input(shape=(${MLP_WIDTH},))`, MLP_DEPTH, `keras.layers.Dense(${MLP_WIDTH}, activation="relu", kernel_initializer="he_normal", use_bias=False)`),
    batch: 128,
    inputShape: [MLP_WIDTH],
    weightShapes: Array.from({ length: MLP_DEPTH }, () => [MLP_WIDTH, MLP_WIDTH]),
    forward: (x, weights) => weights.reduce((h: tf.Tensor, w, i) => {
      const z = tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D);
      return i === weights.length - 1 ? z : tf.relu(z);
    }, x),
  },
  {
    name: `CNN ${CNN_DEPTH}×conv3×3 ${CNN_SIZE}²×${CNN_CHANNELS}`,
    source: kerasSequential(`keras.Input(shape=(${CNN_SIZE}, ${CNN_SIZE}, ${CNN_CHANNELS}))`, CNN_DEPTH, `keras.layers.Conv2D(${CNN_CHANNELS}, 3, padding="same", activation="relu", kernel_initializer="he_normal", use_bias=False)`),
    batch: 32,
    inputShape: [CNN_SIZE, CNN_SIZE, CNN_CHANNELS],
    weightShapes: Array.from({ length: CNN_DEPTH }, () => [3, 3, CNN_CHANNELS, CNN_CHANNELS]),
    forward: (x, weights) => weights.reduce((h: tf.Tensor, w, i) => {
      const z = tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
      return i === weights.length - 1 ? z : tf.relu(z);
    }, x),
  },
];

function kerasSequential(input: string, depth: number, layer: string): string {
  return `from tensorflow import keras\nmodel = keras.Sequential([\n    ${input},\n${Array.from({ length: depth }, () => `    ${layer},`).join('\n')}\n])\n`;
}

/** Hand-written forward+backward by autodiff: L = Σ y ⊙ r, gradients for every weight. NaN when the backend lacks a kernel. */
async function autodiffPass(testCase: Case, x: tf.Tensor, weights: tf.Tensor[], r: tf.Tensor): Promise<number> {
  const start = performance.now();
  let gradients: tf.Tensor[];
  try {
    gradients = tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(testCase.forward(x, ws), r)))(weights);
  } catch {
    return NaN;
  }
  await gradients[0].data();
  tf.dispose(gradients);
  return performance.now() - start;
}

/**
 * Hand-written forward+backward, one sync pass: explicit transposes for dense (tfjs-backend-wasm's transposed
 * matMul is slow), transposed convolution and the input–gradient correlation for conv (wasm has no
 * Conv2DBackpropFilter).
 */
async function manualPass(testCase: Case, x: tf.Tensor, weights: tf.Tensor[], r: tf.Tensor): Promise<number> {
  const dense = testCase.name.startsWith('MLP');
  const start = performance.now();
  const gradients = tf.tidy(() => {
    const inputs: tf.Tensor[] = [];
    const zs: tf.Tensor[] = [];
    let h = x;
    weights.forEach((w, i) => {
      inputs.push(h);
      const z = testCase.forward(h, [w]);
      zs.push(z);
      h = i === weights.length - 1 ? z : tf.relu(z);
    });
    let dz = r;
    const grads: tf.Tensor[] = [];
    for (let i = weights.length - 1; i >= 0; i--) {
      const w = weights[i];
      grads.push(dense
        ? tf.matMul(tf.transpose(inputs[i] as tf.Tensor2D), dz as tf.Tensor2D)
        : conv2dFilterGradient(inputs[i] as tf.Tensor4D, dz as tf.Tensor4D, w.shape, [1, 1], 'same'));
      if (i === 0) break;
      const dInput = dense
        ? tf.matMul(dz as tf.Tensor2D, tf.transpose(w as tf.Tensor2D))
        : tf.conv2dTranspose(dz as tf.Tensor4D, w as tf.Tensor4D, inputs[i].shape as [number, number, number, number], 1, 'same');
      dz = tf.mul(dInput, tf.step(zs[i - 1]));
    }
    return grads;
  });
  await gradients[0].data();
  tf.dispose(gradients);
  return performance.now() - start;
}

/** Keras's he_normal: a normal truncated at ±2σ, its stddev divided by .8796 to undo the truncation. */
function handWrittenWeights(shapes: number[][]): tf.Tensor[] {
  return shapes.map((shape) => tf.truncatedNormal(shape, 0, Math.sqrt(2 / shape.slice(0, -1).reduce((a, b) => a * b, 1)) / 0.87962566103423978));
}

/** One hand-written draw: sample the weights, run the pass, read the gradients back. */
async function handWrittenDraw(testCase: Case, x: tf.Tensor, r: tf.Tensor, pass: typeof manualPass): Promise<{ sampleMs: number; passMs: number }> {
  const start = performance.now();
  const weights = handWrittenWeights(testCase.weightShapes);
  await Promise.all(weights.map((w) => w.data()));
  const sampleMs = performance.now() - start;
  const passMs = await pass(testCase, x, weights, r);
  tf.dispose(weights);
  return { sampleMs, passMs };
}

/** Rounds of (probe draws, hand-written draws), alternated so that a change of machine load hits both sides. */
const ROUNDS = 2;

export async function benchProbe(backend: BackendPreference = 'auto', draws = 3): Promise<void> {
  const used = await useNodeBackend(backend);
  console.log(`\nprobe vs hand-written TensorFlow.js, per weight draw (sampling + forward + backward), backend ${used}, `
    + `median of ${ROUNDS} alternating rounds of ${draws} draws each`);
  const rows = [['model', 'batch', 'probe ms/draw', 'of it sampling', 'tfjs ms/draw', 'of it sampling', 'tfjs pass', 'probe / tfjs', 'probe GFLOP/s']];
  for (const testCase of CASES) {
    const [analysis] = analyzeSource(testCase.source, 'bench_model.py').models;
    if (!analysis) throw new Error(`bench: no model found in the ${testCase.name} source`);
    const options = { batch: testCase.batch, memoryBudgetBytes: 4 * 2 ** 30 };
    await runProbe(analysis.model, options); // warm-up: kernels compiled
    const x = tf.randomNormal([testCase.batch, ...testCase.inputShape]);
    const r = tf.tidy(() => tf.randomNormal(testCase.forward(x, handWrittenWeights(testCase.weightShapes)).shape));
    // Warm-up, and the faster hand-written pass on this backend (autodiff needs kernels WASM lacks for conv).
    const warmWeights = handWrittenWeights(testCase.weightShapes);
    const autodiff = await autodiffPass(testCase, x, warmWeights, r);
    const manual = await manualPass(testCase, x, warmWeights, r);
    tf.dispose(warmWeights);
    const useAutodiff = !Number.isNaN(autodiff) && autodiff < manual;
    const handDraws: { sampleMs: number; passMs: number }[] = [];
    const probeDraws: number[] = [];
    let probeSamplingMs = 0;
    let probePassMs = 0;
    let probe: Awaited<ReturnType<typeof runProbe>> | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      probe = await runProbe(analysis.model, { ...options, draws, seed: round });
      probeDraws.push(...probe.timings.drawMs);
      probeSamplingMs += probe.timings.buildMs;
      probePassMs += probe.timings.passMs;
      for (let i = 0; i < draws; i++) handDraws.push(await handWrittenDraw(testCase, x, r, useAutodiff ? autodiffPass : manualPass));
    }
    tf.dispose([x, r]);
    if (!probe) throw new Error('bench: no probe round ran');
    const probeDraw = median(probeDraws);
    const probeSampling = probeSamplingMs / probeDraws.length;
    const handDraw = median(handDraws.map((draw) => draw.sampleMs + draw.passMs));
    rows.push([
      testCase.name, String(testCase.batch), probeDraw.toFixed(0), probeSampling.toFixed(0),
      handDraw.toFixed(0), median(handDraws.map((draw) => draw.sampleMs)).toFixed(0), useAutodiff ? 'autodiff' : 'manual',
      `${(probeDraw / handDraw).toFixed(2)}×`, ((3 * probe.flopsPerSample * probe.batch) / (probePassMs / probeDraws.length) / 1e6).toFixed(1),
    ]);
  }
  printTable(rows);
}

if (require.main === module) {
  benchProbe((process.argv[2] as BackendPreference | undefined) ?? 'auto', Number(process.argv[3] ?? 3)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
