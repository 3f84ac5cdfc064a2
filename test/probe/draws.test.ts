/**
 * Several weight draws in one run: draw 0 is the single run of the seed, the others are independent, the
 * spread is their mean/median/10–90% band, progress names the draw, and cancelling in the middle of a draw
 * stops the run and leaves no tensor behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runProbe } from '../../src/probe/engine';
import type { ProbeProgress } from '../../src/probe/build';
import { drawSeed, spreadOf } from '../../src/probe/spread';
import * as tf from '../../src/probe/tf';
import { mlp, resolve } from '../helpers/rawModels';
import { probeBackend } from './models';

before(probeBackend);

const reluMlp = (depth: number, width: number) => resolve(mlp('keras', depth, width, 'relu', 'he_normal'), 'keras');

test('spread: mean, median and the 10–90% band by linear interpolation; NaN draws sort last', () => {
  assert.deepEqual(spreadOf([3, 1, 2]), { mean: 2, median: 2, p10: 1.2, p90: 2.8 });
  assert.deepEqual(spreadOf([5]), { mean: 5, median: 5, p10: 5, p90: 5 });
  const overflowed = spreadOf([1, NaN, 2]);
  assert.ok(Number.isNaN(overflowed.mean) && Number.isNaN(overflowed.p90), 'a band reaching an overflowed draw is not finite');
  assert.equal(overflowed.median, 2);
  assert.equal(overflowed.p10, 1.2);
  assert.equal(spreadOf([1, Infinity, 2]).p90, Infinity, 'an infinite draw is the band\'s edge, not ∞ − ∞');
});

test('draw seeds: the first is the seed itself, the others differ from it, from each other and from a neighbouring seed\'s', () => {
  const seeds = Array.from({ length: 8 }, (_, k) => drawSeed(7, k));
  assert.equal(seeds[0], 7);
  assert.equal(new Set(seeds).size, 8);
  const neighbour = Array.from({ length: 8 }, (_, k) => drawSeed(8, k));
  assert.equal(seeds.filter((seed) => neighbour.includes(seed)).length, 0);
});

test('N draws: progress names each draw in turn; the band spans the draws and holds the mean; one draw has no width', async () => {
  const model = reluMlp(6, 128);
  const single = await runProbe(model, { batch: 64, seed: 3 });
  const progress: ProbeProgress[] = [];
  const drawn = await runProbe(model, { batch: 64, seed: 3, draws: 5, onProgress: (p) => progress.push(p) });
  assert.equal(single.draws, 1);
  assert.equal(drawn.draws, 5);
  assert.deepEqual(drawn.seeds, [0, 1, 2, 3, 4].map((k) => drawSeed(3, k)));
  assert.equal(drawn.timings.drawMs.length, 5);
  // Progress: every draw builds, then runs forward and backward, in order.
  assert.deepEqual([...new Set(progress.map((p) => p.draw))], [0, 1, 2, 3, 4]);
  assert.ok(progress.every((p) => p.draws === 5));
  assert.deepEqual(progress.filter((p) => p.draw === 2 && p.phase === 'forward').map((p) => p.layer), [0, 1, 2, 3, 4, 5, 6]);
  for (const layer of drawn.layers) {
    const one = single.layers[layer.index];
    assert.equal(one.spread.forward.p10, one.forward, 'one draw: the band is the value');
    const { mean, median, p10, p90 } = layer.spread.forward;
    assert.equal(layer.forward, mean);
    assert.ok(p10 <= median && median <= p90 && p10 <= mean && mean <= p90, `layer ${layer.index + 1}: ${JSON.stringify(layer.spread.forward)}`);
    assert.ok(p90 > p10, `layer ${layer.index + 1}: five draws differ`);
    assert.equal(one.spread.forward.p90, one.forward);
  }
});

test('cancelled in the middle of the second draw: an AbortError within a second, and no tensor left', async () => {
  const baseline = tf.memory().numTensors;
  const controller = new AbortController();
  let abortedAt = 0;
  await assert.rejects(runProbe(reluMlp(8, 256), {
    batch: 64, draws: 8, signal: controller.signal,
    onProgress: (p) => {
      if (p.draw === 1 && p.phase === 'backward' && !abortedAt) {
        abortedAt = Date.now();
        controller.abort();
      }
    },
  }), { name: 'AbortError' });
  assert.ok(abortedAt > 0, 'the second draw was reached');
  assert.ok(Date.now() - abortedAt < 1000, `stopped ${Date.now() - abortedAt} ms after the abort`);
  assert.equal(tf.memory().numTensors, baseline);
  await runProbe(reluMlp(3, 32), { batch: 8, draws: 3 });
  assert.equal(tf.memory().numTensors, baseline, 'a completed multi-draw run leaves none either');
});
