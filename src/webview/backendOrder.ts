/** Which TensorFlow.js backends the panel tries, in order (pure: the starting itself is backend.ts). */
import { PANEL_BACKENDS, type BackendPreference, type PanelBackend } from '../protocol/panel';

/**
 * `auto`: WebGPU, WebGL, WASM, CPU. An explicit choice comes first and the others stay behind it as
 * fallbacks, so a GPU that cannot start still gives a measurement (the panel says which backend ran and why).
 */
export function backendOrder(preference: BackendPreference): PanelBackend[] {
  if (preference === 'auto') return [...PANEL_BACKENDS];
  return [preference, ...PANEL_BACKENDS.filter((name) => name !== preference)];
}

/** What the backend line says, e.g. `webgl (ANGLE (…SwiftShader…))`. */
export function describeBackend(name: string, renderer: string | undefined): string {
  return renderer ? `${name} (${renderer})` : name;
}
