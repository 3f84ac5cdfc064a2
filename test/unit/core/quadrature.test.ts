/**
 * The fast paths of the moment quadrature give the numbers of the slow one: hard sigmoid in closed form,
 * Gauss–Hermite for smooth activations at small q, and the fused one-pass moments. What changes is only time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATIONS, shiftedMoments } from '../../../src/core/catalogue/activations';
import { gaussianExpectation, gaussianMomentsOf, SMOOTH } from '../../../src/core/math';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1e-12), `${what}: ${actual} vs ${expected}`);

/** E[g(z)] for z ~ N(mean, variance) by the panel quadrature, with the kink given explicitly. */
function slow(g: (z: number) => number, mean: number, variance: number, kinks: number[]): number {
  return gaussianExpectation((x) => g(mean + x), variance, kinks.map((kink) => kink - mean));
}

test('hard sigmoid moments in closed form equal the quadrature (tfjs slope 0.2, Keras 3 slope 1/6)', () => {
  const facts = ACTIVATIONS.hardSigmoid;
  for (const slope of [0.2, 1 / 6]) {
    for (const [mean, variance] of [[0, 0.05], [0, 4], [1, 2], [-2, 30], [0.3, 0.01]]) {
      const kinks = facts.kinks?.(slope) ?? [];
      const moments = shiftedMoments({ id: 'hardSigmoid', parameter: slope }, mean, mean * mean + variance);
      close(moments.mean, slow((z) => facts.value(z, slope), mean, variance, kinks), 1e-6, `mean at ${mean}, ${variance}`);
      close(moments.m2, slow((z) => facts.value(z, slope) ** 2, mean, variance, kinks), 1e-6, `m2 at ${mean}, ${variance}`);
      close(moments.dm2, slow((z) => facts.derivative(z, slope) ** 2, mean, variance, kinks), 1e-6, `dm2 at ${mean}, ${variance}`);
    }
  }
});

test('smooth activations at small q: Gauss–Hermite agrees with the panels to 1e-7', () => {
  for (const id of ['tanh', 'sigmoid', 'gelu', 'swish', 'mish', 'softplus'] as const) {
    const facts = ACTIVATIONS[id];
    for (const [mean, variance] of [[0, 3e-4], [0, 0.1], [0, 0.25], [1, 0.2], [-0.5, 0.05]]) {
      const fast = { mean: 0, m2: 0, dm2: 0 };
      gaussianMomentsOf(facts.value, facts.derivative, 0, mean, variance, SMOOTH, fast);
      close(fast.m2, slow((z) => facts.value(z, 0) ** 2, mean, variance, [0]), 1e-7, `${id} m2 at ${mean}, ${variance}`);
      close(fast.dm2, slow((z) => facts.derivative(z, 0) ** 2, mean, variance, [0]), 1e-7, `${id} dm2 at ${mean}, ${variance}`);
      if (mean !== 0) close(fast.mean, slow((z) => facts.value(z, 0), mean, variance, [0]), 1e-7, `${id} mean at ${mean}, ${variance}`);
    }
  }
});

test('the fused pass gives each expectation of the separate ones, slopes from values included (tanh, sigmoid at large q)', () => {
  for (const id of ['tanh', 'sigmoid'] as const) {
    const facts = ACTIVATIONS[id];
    const fused = { mean: 0, m2: 0, dm2: 0 };
    gaussianMomentsOf(facts.value, facts.derivative, 0, 0.7, 9, [0], fused, facts.slopeFromValue);
    close(fused.m2, slow((z) => facts.value(z, 0) ** 2, 0.7, 9, [0]), 1e-9, `${id} m2`);
    close(fused.dm2, slow((z) => facts.derivative(z, 0) ** 2, 0.7, 9, [0]), 1e-9, `${id} dm2`);
  }
});
