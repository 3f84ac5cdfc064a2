/** The numbers of SCIENCE.md, reproduced by the core's own catalogue and propagation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivativeSecondMoment, secondMoment, type ActivationId } from '../../../src/core/catalogue/activations';
import { TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../../../src/core/math';
import { propagate } from '../../../src/core/propagation';
import { mlp, resolve } from '../../helpers/rawModels';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);

test('activation second moments at q = 1 match SCIENCE.md §2', () => {
  const table: [ActivationId, number, number | undefined][] = [
    ['linear', 1, 1], ['relu', 0.5, 0.5], ['elu', 0.645, 0.668], ['selu', 1.0, 1.072], ['gelu', 0.425, 0.456],
    ['swish', 0.356, 0.379], ['mish', 0.452, undefined], ['tanh', 0.394, 0.464], ['sigmoid', 0.293, 0.0448],
    ['softsign', 0.183, 0.228],
  ];
  for (const [id, m2, dm2] of table) {
    close(secondMoment({ id }, 1), m2, 0.002, `m2 of ${id}`);
    if (dm2 !== undefined) close(derivativeSecondMoment({ id }, 1), dm2, 0.002, `E[φ'²] of ${id}`);
  }
  close(secondMoment({ id: 'hardSigmoid', parameter: 0.2 }, 1), 0.289, 0.002, 'm2 of tfjs hard sigmoid');
  close(derivativeSecondMoment({ id: 'hardSigmoid', parameter: 0.2 }, 1), 0.0395, 0.001, "E[φ'²] of tfjs hard sigmoid");
  close(secondMoment({ id: 'leakyRelu', parameter: 0.3 }, 1), (1 + 0.09) / 2, 1e-12, 'leaky relu is exact');
});

test('a normal truncated at ±2σ keeps 0.7737413 of its variance', () => {
  close(TRUNCATED_NORMAL_VARIANCE_FACTOR, 0.7737413, 1e-6, 'variance factor');
});

test('tanh at small q is linear: m2(q)/q → 1, sigmoid stays ≥ 0.25', () => {
  close(secondMoment({ id: 'tanh' }, 1e-4) / 1e-4, 1, 1e-3, 'tanh ratio');
  assert.ok(secondMoment({ id: 'sigmoid' }, 1e-4) >= 0.25);
});

/** SCIENCE.md §4: per-layer ReLU gain and the factor after 20 square layers. */
test('20 ReLU layers: Keras He keeps the signal, Glorot and the tfjs truncation lose it', () => {
  const cases: { framework: 'keras' | 'tfjs'; kernel?: string; gain: number; after20: number }[] = [
    { framework: 'keras', kernel: 'he_normal', gain: 1, after20: 1 },
    { framework: 'keras', kernel: 'he_uniform', gain: 1, after20: 1 },
    { framework: 'keras', kernel: undefined, gain: 0.5, after20: 9.5e-7 },
    { framework: 'tfjs', kernel: 'heNormal', gain: 0.774, after20: 5.9e-3 },
    { framework: 'tfjs', kernel: undefined, gain: 0.387, after20: 5.6e-9 },
  ];
  for (const { framework, kernel, gain, after20 } of cases) {
    const model = resolve(mlp(framework, 20, 256, 'relu', kernel), framework);
    const moments = propagate(model);
    close(moments[5].forwardGain, gain, 0.001, `${framework} ${kernel ?? 'default'} gain`);
    const cumulative = moments.slice(0, 20).reduce((product, m) => product * m.forwardGain, 1);
    close(cumulative / after20, 1, 0.03, `${framework} ${kernel ?? 'default'} after 20 layers`);
  }
});

test('Keras before 2.2 drew uncorrected truncated normals, like tfjs today', () => {
  const old = propagate(resolve(mlp('keras', 3, 128, 'relu', 'he_normal'), 'keras', '2.1.6'));
  close(old[1].forwardGain, 0.7737, 0.001, 'Keras 2.1.6 he_normal gain');
});

test('backward: He fan_in on square ReLU layers passes gradients unchanged; the output layer has g = 1', () => {
  const moments = propagate(resolve(mlp('keras', 10, 64, 'relu', 'he_uniform'), 'keras'));
  assert.equal(moments[10].g, 1);
  // Under the linear Glorot output, each hidden ReLU layer sees g = E[φ'²] = 0.5, the same at every depth.
  for (const m of moments.slice(0, 10)) close(m.g, 0.5, 1e-9, 'g');
  for (const m of moments.slice(0, 10)) close(m.backwardGain, 1, 1e-9, 'own backward gain');
});
