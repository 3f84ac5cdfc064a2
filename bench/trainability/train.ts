/**
 * One training run of the trainability bench: seeded init, seeded shuffling, a fixed number of steps, and
 * what a user feels: test loss and accuracy along the way, steps to the target accuracies, and whether the
 * loss moved at all.
 */
import { SeededRandom } from '../../src/probe/random';
import * as tf from '../../src/probe/tf';
import type { TensorData } from './data';
import { buildNetwork, type NetworkSpec } from './networks';

export type OptimizerName = 'sgd' | 'adam';

export const OPTIMIZERS: Record<OptimizerName, { label: string; make: () => tf.Optimizer }> = {
  sgd: { label: 'SGD+momentum (0.01, 0.9)', make: () => tf.train.momentum(0.01, 0.9) },
  adam: { label: 'Adam (1e-3)', make: () => tf.train.adam(1e-3) },
};

export interface TrainOptions {
  steps: number;
  batch: number;
  /** Accuracies whose first crossing is recorded. */
  targets: number[];
  /** Test samples evaluated along the way (the whole test set at the end). */
  evalSamples: number;
}

export interface CurvePoint {
  step: number;
  accuracy: number;
  loss: number;
}

export interface RunResult {
  /** Test loss before the first step and after the last, on the whole test set. */
  initialLoss: number;
  finalLoss: number;
  finalAccuracy: number;
  /** Mean training-batch loss over the last 10% of the steps. */
  finalTrainLoss: number;
  /** Per target accuracy: the step at which test accuracy first reached it (linear between evaluations), or null. */
  stepsTo: Record<string, number | null>;
  /** The loss fell by less than 5% (or became NaN): training did not move. */
  stalled: boolean;
  diverged: boolean;
  curve: CurvePoint[];
  seconds: number;
}

/** Dense early (where fast configurations cross the targets), sparser later. */
function evaluationSteps(steps: number): number[] {
  const points = new Set<number>([0, steps]);
  for (let step = 10; step < Math.min(100, steps); step += 10) points.add(step);
  for (let step = 100; step < steps; step += 25) points.add(step);
  return [...points].sort((a, b) => a - b);
}

function evaluate(logits: (x: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D, y: tf.Tensor2D): { loss: number; accuracy: number } {
  const [loss, accuracy] = tf.tidy(() => {
    const out = logits(x);
    return [
      tf.losses.softmaxCrossEntropy(y, out),
      tf.mean(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(y, 1)), 'float32')),
    ];
  });
  const values = [loss.dataSync()[0], accuracy.dataSync()[0]];
  tf.dispose([loss, accuracy]);
  return { loss: values[0], accuracy: values[1] };
}

function crossing(curve: CurvePoint[], target: number): number | null {
  for (let i = 0; i < curve.length; i++) {
    if (curve[i].accuracy < target) continue;
    if (i === 0) return 0;
    const [a, b] = [curve[i - 1], curve[i]];
    return a.step + ((target - a.accuracy) / (b.accuracy - a.accuracy)) * (b.step - a.step);
  }
  return null;
}

export async function train(spec: NetworkSpec, optimizerName: OptimizerName, seed: number, data: TensorData, options: TrainOptions): Promise<RunResult> {
  const start = performance.now();
  const network = buildNetwork(spec, data.side, seed);
  const optimizer = OPTIMIZERS[optimizerName].make();
  const random = new SeededRandom(seed * 7919 + 17);
  const evalX = data.testX.slice([0, 0], [Math.min(options.evalSamples, data.testX.shape[0]), -1]);
  const evalY = data.testY.slice([0, 0], [evalX.shape[0], -1]);
  const checkpoints = new Set(evaluationSteps(options.steps));
  const curve: CurvePoint[] = [];
  const trainLosses: number[] = [];
  let order: number[] = [];
  let cursor = 0;
  let diverged = false;
  const initial = evaluate(network.logits, data.testX, data.testY);
  curve.push({ step: 0, ...evaluate(network.logits, evalX, evalY) });
  for (let step = 1; step <= options.steps; step++) {
    if (cursor + options.batch > order.length) {
      order = shuffled(data.trainCount, random);
      cursor = 0;
    }
    const indices = tf.tensor1d(order.slice(cursor, cursor + options.batch), 'int32');
    cursor += options.batch;
    const x = tf.gather(data.trainX, indices);
    const y = tf.gather(data.trainY, indices);
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, network.logits(x)) as tf.Scalar, true, network.variables);
    const value = loss ? (await loss.data())[0] : NaN;
    tf.dispose([indices, x, y, loss as tf.Tensor]);
    trainLosses.push(value);
    if (!Number.isFinite(value)) {
      diverged = true;
      break;
    }
    if (checkpoints.has(step) && step !== options.steps) curve.push({ step, ...evaluate(network.logits, evalX, evalY) });
  }
  const final = diverged ? { loss: NaN, accuracy: 0.1 } : evaluate(network.logits, data.testX, data.testY);
  if (!diverged) curve.push({ step: options.steps, ...final });
  tf.dispose([evalX, evalY, ...network.variables]);
  optimizer.dispose();
  const tail = trainLosses.slice(-Math.max(1, Math.round(options.steps / 10)));
  const stepsTo: Record<string, number | null> = {};
  for (const target of options.targets) stepsTo[String(target)] = crossing(curve, target);
  return {
    initialLoss: initial.loss,
    finalLoss: final.loss,
    finalAccuracy: final.accuracy,
    finalTrainLoss: tail.reduce((a, b) => a + b, 0) / tail.length,
    stepsTo,
    stalled: diverged || !(final.loss < 0.95 * initial.loss),
    diverged,
    curve,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Fisher–Yates with the run's seeded generator: the same seed gives the same batches. */
function shuffled(count: number, random: SeededRandom): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
