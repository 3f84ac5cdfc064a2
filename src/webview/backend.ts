/**
 * Starts a TensorFlow.js backend in the webview: the first of backendOrder() that starts, and what it runs
 * on (the GPU renderer, or the WASM build). Starting is cached: the next run with the same preference
 * reuses the backend.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../probe/tfBrowser';
import type { BackendPreference, PanelBackend } from '../protocol/panel';
import { backendOrder } from './backendOrder';

export interface ActiveBackend {
  name: PanelBackend;
  /** The GPU as the browser names it (WebGL's unmasked renderer, WebGPU's adapter info). */
  renderer?: string;
  /** Fallbacks taken, reduced precision, the WASM build: shown with the run and exported. */
  notes: string[];
}

type Attempt = () => Promise<string | undefined>;

let started: { preference: BackendPreference; backend: ActiveBackend } | undefined;
let wasmConfigured = false;

/** Throws when no backend starts (the CPU one always does, so only in a broken page). */
export async function startBackend(preference: BackendPreference, wasmBaseUri: string): Promise<ActiveBackend> {
  if (started?.preference === preference) {
    // The probe may have switched to the CPU for a missing kernel and back; make sure it is ours again.
    await tf.setBackend(started.backend.name);
    return started.backend;
  }
  // Silences tfjs's development warnings, as the Node probe does.
  tf.env().set('PROD', true);
  const attempts: Record<PanelBackend, Attempt> = {
    webgpu: startWebGpu,
    webgl: () => startNamed('webgl', 'WebGL could not create a context'),
    wasm: () => startWasm(wasmBaseUri),
    cpu: () => startNamed('cpu', 'the CPU backend did not start'),
  };
  const failures: string[] = [];
  for (const name of backendOrder(preference)) {
    let failure: string | undefined;
    try {
      failure = await attempts[name]();
    } catch (error) {
      failure = (error as Error).message;
    }
    if (failure === undefined) {
      const notes = [...(failures.length ? [`${failures.join('; ')}; measured on ${name}`] : []), ...(await backendNotes(name))];
      const backend: ActiveBackend = { name, ...optionalRenderer(rendererOf(name)), notes };
      started = { preference, backend };
      return backend;
    }
    failures.push(`${name}: ${failure}`);
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

async function startNamed(name: PanelBackend, failure: string): Promise<string | undefined> {
  // setBackend resolves false (and logs a warning) when the backend's initialization throws.
  return (await tf.setBackend(name)) ? undefined : failure;
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

async function startWebGpu(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu || !tf.findBackendFactory('webgpu')) return 'WebGPU is not available in this webview';
  // tfjs's factory assumes an adapter; asking first turns a missing one into a reason instead of a TypeError.
  if (!(await gpu.requestAdapter())) return 'no WebGPU adapter';
  return startNamed('webgpu', 'the WebGPU device did not start');
}

async function startWasm(wasmBaseUri: string): Promise<string | undefined> {
  if (!wasmConfigured) {
    // Webviews are not cross-origin isolated: no SharedArrayBuffer, so never the threaded build (which is
    // not shipped either). The flag is also what makes the backend choose the SIMD or plain file.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(wasmBaseUri);
    wasmConfigured = true;
  }
  return startNamed('wasm', `the WebAssembly module did not load from ${wasmBaseUri}`);
}

function optionalRenderer(renderer: string | undefined): { renderer?: string } {
  return renderer ? { renderer } : {};
}

function rendererOf(name: PanelBackend): string | undefined {
  const backend = tf.backend() as unknown;
  try {
    if (name === 'webgl') {
      const gl = (backend as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (!gl) return undefined;
      const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer: unknown = gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
      return typeof renderer === 'string' && renderer ? renderer : undefined;
    }
    if (name === 'webgpu') {
      const info = (backend as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
      const renderer = [info?.vendor, info?.architecture].filter(Boolean).join(' ');
      return renderer || undefined;
    }
  } catch {
    // A renderer string is a nicety: a browser that hides it leaves the line without one.
  }
  return undefined;
}

async function backendNotes(name: PanelBackend): Promise<string[]> {
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return [`WebAssembly ${simd ? 'with SIMD' : 'without SIMD'}, single-threaded`];
  }
  // Not floatPrecision(): tfjs-backend-webgl 4.22 answers 16 exactly when float32 rendering works.
  if (name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) {
    return ['this GPU renders WebGL in float16: mean squares below about 1e-4 lose precision'];
  }
  return [];
}
