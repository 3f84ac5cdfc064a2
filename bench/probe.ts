/**
 * Probe benchmark: the probe's forward+backward pass against a hand-written TensorFlow.js forward+backward
 * of the same model on the same backend in the same run (target ≤ 1.2×), and the probe's FLOP rate.
 * Two baselines: tf.grads (autodiff) and manual backward with explicit transposes (the faster on WASM).
 * Not a test. `benchProbe()` is what bench/run.ts calls; `node --import tsx bench/probe.ts` runs it alone.
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

export async function benchProbe(backend: BackendPreference = 'auto', runs = 3): Promise<void> {
  const used = await useNodeBackend(backend);
  console.log(`\nprobe vs hand-written TensorFlow.js forward+backward, backend ${used}, median of ${runs}`);
  const rows = [['model', 'batch', 'probe pass ms', 'build ms', 'autodiff ms', 'manual ms', 'probe / best', 'probe GFLOP/s']];
  for (const testCase of CASES) {
    const [analysis] = analyzeSource(testCase.source, 'bench_model.py').models;
    if (!analysis) throw new Error(`bench: no model found in the ${testCase.name} source`);
    const probeRuns: { pass: number; build: number; flops: number }[] = [];
    for (let i = 0; i <= runs; i++) {
      const result = await runProbe(analysis.model, { batch: testCase.batch, memoryBudgetBytes: 4 * 2 ** 30 });
      if (i > 0) probeRuns.push({ pass: result.timings.passMs, build: result.timings.buildMs, flops: 3 * result.flopsPerSample * result.batch });
    }
    const x = tf.randomNormal([testCase.batch, ...testCase.inputShape]);
    const weights = testCase.weightShapes.map((shape) => tf.randomNormal(shape, 0, Math.sqrt(2 / (shape.slice(0, -1).reduce((a, b) => a * b, 1)))));
    const r = tf.tidy(() => tf.randomNormal(testCase.forward(x, weights).shape));
    const autodiff: number[] = [];
    const manual: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const a = await autodiffPass(testCase, x, weights, r);
      const m = await manualPass(testCase, x, weights, r);
      if (i > 0) {
        autodiff.push(a);
        manual.push(m);
      }
    }
    tf.dispose([x, r, ...weights]);
    const pass = median(probeRuns.map((run) => run.pass));
    const best = Math.min(...[median(autodiff), median(manual)].filter((ms) => !Number.isNaN(ms)));
    rows.push([
      testCase.name, String(testCase.batch), pass.toFixed(0), median(probeRuns.map((run) => run.build)).toFixed(0),
      Number.isNaN(median(autodiff)) ? 'no kernel' : median(autodiff).toFixed(0), median(manual).toFixed(0),
      `${(pass / best).toFixed(2)}×`, (probeRuns[0].flops / pass / 1e6).toFixed(1),
    ]);
  }
  printTable(rows);
}

if (require.main === module) {
  benchProbe((process.argv[2] as BackendPreference | undefined) ?? 'auto').catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
