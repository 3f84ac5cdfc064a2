/**
 * The browser's TensorFlow.js for the probe: the webview bundle resolves `./tf` to this file (the esbuild
 * plugin in scripts/build.mjs), so the probe gets tfjs-core with every gradient and the four browser backends
 * without the union package (layers, converter and data, which the probe never uses). Same exports as tf.ts.
 * Each backend registers itself on import; the webview picks one (src/webview/backend.ts).
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';

export * from '@tensorflow/tfjs-core';
