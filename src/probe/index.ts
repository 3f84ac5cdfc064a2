/** The probe's public surface, for the CLI, the webview and the benchmark. Node backend selection: nodeBackend.ts. */
export { runProbe, type LayerSpread, type MeasuredLayer, type ProbeOptions, type ProbeResult } from './engine';
export { drawSeed, spreadOf, type Spread } from './spread';
export { runLsuv, type LsuvOptions, type LsuvResult, type LsuvScale } from './lsuv';
export { ProbeCancelledError, ProbeRefusedError, DEFAULT_MEMORY_BUDGET, type InputSample, type ProbeProgress } from './build';
export { UnsupportedLayerError } from './plan';
export { planModel, estimateBytes } from './modelPlan';
export { parseCsv, parseNpy, parseSample } from './sampleInput';
