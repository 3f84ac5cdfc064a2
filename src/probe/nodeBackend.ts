/**
 * Backend selection in Node (the engine itself stays browser-safe): `@tensorflow/tfjs-node(-gpu)` when
 * installed (an optional dependency: it downloads libtensorflow at install and fails offline), else the
 * WASM backend with its .wasm files found on disk, else the plain CPU backend.
 */
import * as tf from './tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    const entry = resolveBesideInitLint(moduleName);
    if (!entry) continue;
    try {
      // An absolute path, loaded as the native addon package it is (CommonJS).
      createRequire(entry)(entry);
      if (tf.findBackend('tensorflow')) return tf.setBackend('tensorflow');
    } catch {
      // Its native binding is missing (offline install): try the next one.
    }
  }
  return false;
}

/**
 * The folder of InitLint's own package.json: the bundle's dist/ or the checkout's src/probe/ lie below it.
 * Undefined when none is found (the lookup then finds nothing rather than guessing).
 */
export function initLintRoot(start = __dirname): string | undefined {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

/**
 * The entry file of an optional package installed with InitLint: in a node_modules folder at or above
 * InitLint's own package (where npm puts its dependencies), and nowhere else. A native addon is code that
 * runs with the user's rights: the current directory (the project being checked), NODE_PATH and global
 * folders are never searched, so a project's own node_modules cannot slip one in.
 */
export function resolveBesideInitLint(moduleName: string, root = initLintRoot()): string | undefined {
  if (!root) return undefined;
  for (let folder = root; ; folder = dirname(folder)) {
    const packageFolder = join(folder, 'node_modules', moduleName);
    if (existsSync(join(packageFolder, 'package.json'))) {
      try {
        // An absolute folder: require.resolve reads its package.json "main" and searches nothing else.
        return createRequire(join(root, 'package.json')).resolve(packageFolder);
      } catch {
        return undefined;
      }
    }
    if (dirname(folder) === folder) return undefined;
  }
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
