import { useNodeBackend } from '../../src/probe/nodeBackend';
import * as tf from '@tensorflow/tfjs';
async function main() {
  console.log(await useNodeBackend(process.argv[2] as 'wasm'));
  const x = tf.randomNormal([128, 512]) as tf.Tensor2D;
  const w = tf.randomNormal([512, 512]) as tf.Tensor2D;
  const time = async (name: string, f: () => tf.Tensor) => { f(); const t = performance.now(); let r; for (let i = 0; i < 10; i++) { r = f(); } await r!.data(); console.log(name, ((performance.now() - t)/10).toFixed(2)); };
  for (let rep = 0; rep < 2; rep++) {
  await time('nn', () => tf.matMul(x, w));
  await time('nt', () => tf.matMul(x, w, false, true));
  await time('tn', () => tf.matMul(x, x, true, false));
  await time('transpose+nn', () => tf.matMul(x, tf.transpose(w)));
  await time('transposeA+nn', () => tf.matMul(tf.transpose(x), x));
  await time('relu', () => tf.relu(x));
  await time('stepgrad', () => tf.grad((a: tf.Tensor) => tf.relu(a))(x, x));
  }
}
main();
