import { useNodeBackend } from '../../src/probe/nodeBackend';
import { runProbe } from '../../src/probe/engine';
import { propagate } from '../../src/core/propagation';
import { mlp, resolve } from '../helpers/rawModels';
import * as tf from '@tensorflow/tfjs';
async function main() {
  console.log(await useNodeBackend('wasm'));
  for (const [fw, init] of [['keras', 'he_normal'], ['tfjs', 'heNormal'], ['keras', 'glorot_uniform']] as const) {
    const model = resolve(mlp(fw, 20, 512, 'relu', init), fw);
    const pred = propagate(model);
    const base = tf.memory().numTensors;
    const t = Date.now();
    const r = await runProbe(model, { batch: 128, seed: 1 });
    console.log(fw, init, Date.now() - t, r.timings, tf.memory().numTensors - base);
    for (const l of r.layers) if (l.index % 5 === 0 || l.index === r.layers.length - 1) console.log(l.index, l.forward.toPrecision(3), pred[l.index].q.toPrecision(3), l.backward.toPrecision(3), pred[l.index].g.toPrecision(3), l.deadFraction, l.weightGradientNorm?.toPrecision(3));
  }
}
main().catch((e) => { console.error(e.stack.slice(0, 2000)); process.exit(1); });
