/**
 * The TensorFlow.js the probe uses: tfjs-core's ops and types. `@tensorflow/tfjs` is imported for its side
 * effects only: tfjs-core's Node bundle registers no gradients, the union package's does (and the CPU
 * backend). A browser bundle may alias this to tfjs-core + `dist/register_all_gradients` + the backends.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
