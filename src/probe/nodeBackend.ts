/**
 * Backend selection in Node (the engine itself stays browser-safe): `@tensorflow/tfjs-node(-gpu)` when
 * installed (an optional dependency: it downloads libtensorflow at install and fails offline), else the
 * WASM backend with its .wasm files found on disk, else the plain CPU backend.
 */
import * as tf from './tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

const WASM_FILE = 'tfjs-backend-wasm.wasm';

/** Activates a backend and returns its name (tfjs's: `tensorflow`, `wasm`, `cpu`). Throws when an explicit choice fails. */
export async function useNodeBackend(preference: BackendPreference = 'auto'): Promise<string> {
  const attempts: Record<Exclude<BackendPreference, 'auto'>, () => Promise<boolean>> = {
    tensorflow: tryTensorflow,
    wasm: tryWasm,
    cpu: () => tf.setBackend('cpu'),
  };
  // PROD silences tfjs's console banners ("install tfjs-node…"), which would otherwise interleave with CLI output.
  tf.env().set('PROD', true);
  const order: Exclude<BackendPreference, 'auto'>[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (await attempts[name]()) {
        await tf.ready();
        return tf.getBackend();
      }
      failures.push(`${name}: not available`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

async function tryTensorflow(): Promise<boolean> {
  for (const moduleName of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // A variable name: bundlers leave it alone and type-checking does not need the optional package.
      await import(moduleName);
      if (tf.findBackend('tensorflow')) return tf.setBackend('tensorflow');
    } catch {
      // Not installed, or its native binding is missing (offline install): try the next one.
    }
  }
  return false;
}

async function tryWasm(): Promise<boolean> {
  const folder = wasmFolder();
  if (!folder) throw new Error(`${WASM_FILE} not found (is @tensorflow/tfjs-backend-wasm installed?)`);
  setWasmPaths(folder.endsWith('/') ? folder : `${folder}/`);
  return tf.setBackend('wasm');
}

/** Next to this file (a bundle that ships the .wasm files), else in the installed package. */
function wasmFolder(): string | undefined {
  const candidates = [__dirname];
  try {
    candidates.push(dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILE}`)));
  } catch {
    // Not resolvable from here: only the bundle's own folder is left.
  }
  return candidates.find((folder) => existsSync(join(folder, WASM_FILE)));
}
