/**
 * Models for the probe tests, built as IR by hand (test/helpers/rawModels.ts) so the probe is tested
 * independently of the front ends, plus the backend every probe test runs on.
 */
import type { ArgValue } from '../../src/core/ir';
import type { Model } from '../../src/core/model';
import { useNodeBackend } from '../../src/probe/nodeBackend';
import { call, resolve, sequential, value } from '../helpers/rawModels';

/** WASM (what CI and most users without tfjs-node get): fast enough for the whole suite on 2 cores. */
export function probeBackend(): Promise<string> {
  return useNodeBackend('wasm');
}

export function tuple(...numbers: number[]): ArgValue {
  return { kind: 'array', items: numbers.map((n) => value(n)) };
}

type Keywords = Record<string, number | string | boolean | ArgValue>;

/** A Keras Sequential model from `[className, keywords]` pairs, e.g. `['Conv2D', {filters: 8, kernel_size: 3}]`. */
export function kerasModel(layers: [string, Keywords?][], inputShape: number[]): Model {
  return resolve(sequential(layers.map(([name, keywords]) => call(`keras.layers.${name}`, keywords ?? {})), inputShape), 'keras');
}

/** A tfjs sequential model from `[factory, config]` pairs, e.g. `['dense', {units: 8}]`. */
export function tfjsModel(layers: [string, Keywords?][], inputShape: number[]): Model {
  return resolve(sequential(layers.map(([name, keywords]) => call(`@tensorflow/tfjs.layers.${name}`, keywords ?? {})), inputShape), 'tfjs');
}
