/** Weights are drawn as each framework draws them (SCIENCE.md §3), from the shape's own fans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../../src/core/math';
import { SeededRandom } from '../../src/probe/random';
import { fansOf, sampleWeights } from '../../src/probe/sampling';

const variance = (values: Float32Array) => values.reduce((sum, x) => sum + x * x, 0) / values.length;
const close = (actual: number, expected: number, relative: number, what: string) =>
  assert.ok(Math.abs(actual / expected - 1) < relative, `${what}: ${actual} vs ${expected}`);

test('fans: dense [in, out], conv [k…, in, out]', () => {
  assert.deepEqual(fansOf([64, 32]), { fanIn: 64, fanOut: 32 });
  assert.deepEqual(fansOf([3, 3, 16, 8]), { fanIn: 144, fanOut: 72 });
});

test('He normal: tfjs keeps ×0.7737 of 2/fan_in, Keras corrects it, uniform is exact; truncation at ±2σ', () => {
  const shape = [400, 500];
  const random = new SeededRandom(1);
  const tfjs = sampleWeights({ kind: 'varianceScaling', scale: 2, mode: 'fanIn', sampler: 'truncatedUncorrected' }, shape, random);
  const keras = sampleWeights({ kind: 'varianceScaling', scale: 2, mode: 'fanIn', sampler: 'truncatedCorrected' }, shape, random);
  const uniform = sampleWeights({ kind: 'varianceScaling', scale: 2, mode: 'fanIn', sampler: 'uniform' }, shape, random);
  close(variance(tfjs), (2 / 400) * TRUNCATED_NORMAL_VARIANCE_FACTOR, 0.01, 'tfjs heNormal');
  close(variance(keras), 2 / 400, 0.01, 'Keras he_normal');
  close(variance(uniform), 2 / 400, 0.01, 'he_uniform');
  assert.ok(tfjs.every((x) => Math.abs(x) <= 2 * Math.sqrt(2 / 400) + 1e-6));
});

test('orthogonal has orthonormal columns times gain; identity is gain·I', () => {
  const q = sampleWeights({ kind: 'orthogonal', gain: 2 }, [40, 10], new SeededRandom(2));
  for (let a = 0; a < 10; a++) {
    for (let b = 0; b < 10; b++) {
      let dot = 0;
      for (let i = 0; i < 40; i++) dot += q[i * 10 + a] * q[i * 10 + b];
      assert.ok(Math.abs(dot - (a === b ? 4 : 0)) < 1e-4, `columns ${a}·${b} = ${dot}`);
    }
  }
  const wide = sampleWeights({ kind: 'orthogonal', gain: 1 }, [10, 40], new SeededRandom(3));
  close(variance(wide), 1 / 40, 1e-3, 'wide orthogonal rows are orthonormal');
  assert.deepEqual([...sampleWeights({ kind: 'identity', gain: 3 }, [2, 2], new SeededRandom(4))], [3, 0, 0, 3]);
});

test('filling a buffer draws exactly the numbers one call per value would, and leaves the stream where they would', () => {
  const [bulk, single] = [new SeededRandom(11), new SeededRandom(11)];
  for (const truncated of [false, true]) {
    for (const size of [1, 6, 1001]) {
      const filled = new Float32Array(size);
      bulk.fillNormals(filled, 0.5, 2, truncated);
      const oneByOne = Float32Array.from({ length: size }, () => 0.5 + 2 * (truncated ? single.truncatedNormal() : single.normal()));
      assert.deepEqual(filled, oneByOne, `${size} ${truncated ? 'truncated' : 'plain'} normals`);
    }
  }
  assert.equal(bulk.normal(), single.normal(), 'the spare normal carries over');
  assert.equal(bulk.next(), single.next());
});
