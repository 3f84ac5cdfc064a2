/**
 * Mean-field of SimpleRNN, GRU and LSTM layers over a sequence from a zero state (Keras and tfjs gate order:
 * LSTM [i, f, c, o], GRU [z, r, h]). Every gate's pre-activation at step t has second moment
 * q_t = c_k·E[x²] + c_r·E[h²_{t−1}] (c_k = fan_in·Var(kernel), c_r = units·Var(recurrent kernel); the
 * forget gate adds its bias, +1 under Keras's unit_forget_bias), gates and candidate are independent, and
 * the cell state is taken as Gaussian with its tracked mean and second moment. Backward, through time, with
 * the same independence: the candidate's g (what the probe taps) and the input's gradient, both averaged
 * over steps, as the probe averages them. See docs/rules/README.md, "How the numbers are computed".
 */
import { shiftedMoments, type ActivationSpec, type GaussianMoments } from './catalogue/activations';
import { weightVariance } from './catalogue/initializers';
import { KERAS_POSITIONAL, RECURRENT_GATES, type LayerKind } from './catalogue/layers';
import { booleanOf, fieldsOf } from './args';
import type { Layer, Model } from './model';
import { modelInputShapes } from './nodeSignals';

export interface RecurrentCell {
  kind: 'simpleRnn' | 'gru' | 'lstm';
  /** The candidate's and the cell output's activation (tanh by default). */
  activation: ActivationSpec;
  /** The gates' activation (sigmoid in Keras, hard sigmoid in tfjs). */
  gate: ActivationSpec;
  /** c_k = fan_in·Var(kernel): each gate's share of the input. */
  kernelForward: number;
  /** units·Var(kernel)·copies: what each gate's ∂L/∂z sends back to the input. */
  kernelBackward: number;
  /** c_r = units·Var(recurrent kernel), forward and backward (the recurrent kernel is square per gate). */
  recurrent: number;
  /** The forget gate's bias at initialization (1 with unit_forget_bias). */
  forgetBias: number;
  steps: number;
  returnSequences: boolean;
}

export interface RecurrentForward {
  /** Mean over steps of E[z²] of the candidate's pre-activation. */
  q: number;
  /** E[h²] of the output: the last step, or the mean over steps with return_sequences. */
  outMoment: number;
}

export interface RecurrentBackward {
  /** Mean over steps of E[(∂L/∂z)²] of the candidate's pre-activation. */
  g: number;
  /** Mean over steps of E[(∂L/∂x_t)²]. */
  inGrad: number;
}

/** Per step: the gates' and candidate's moments the backward pass reuses. */
interface Step {
  q: number;
  gate: GaussianMoments;
  forget: GaussianMoments;
  candidate: GaussianMoments;
  /** LSTM: the cell state's mean and second moment after this step, and tanh of it. */
  cellM2: number;
  cellOut: GaussianMoments;
  /** E[h²] before and after this step. */
  previousH: number;
  h: number;
  /** The output's and the LSTM cell state's means after this step (only to see the fixed point). */
  hMean: number;
  cellMean: number;
}

/** Forward over the sequence; `steps` keeps what the backward pass needs. */
export function recurrentForward(cell: RecurrentCell, inMoment: number, steps: Step[] = []): RecurrentForward {
  const fromInput = cell.kernelForward * inMoment;
  let h = 0;
  let hMean = 0;
  let cellMean = 0;
  let cellM2 = 0;
  let qSum = 0;
  let outSum = 0;
  steps.length = 0;
  const count = Math.max(cell.steps, 1);
  for (let t = 0; t < count; t++) {
    const previous = steps[t - 1];
    if (previous && t > 1 && stationary(previous, steps[t - 2])) {
      // The mean-field has reached its fixed point (the cell state's memory decays geometrically, ~40
      // steps): every later step is this one, so a 200-token sequence costs what 40 tokens do.
      steps.push(previous);
      qSum += previous.q;
      outSum += previous.h;
      continue;
    }
    const q = fromInput + cell.recurrent * h;
    const gate = shiftedMoments(cell.gate, 0, q);
    // Without a forget bias the forget gate is distributed as the input gate.
    const forget = cell.kind === 'lstm' && cell.forgetBias !== 0 ? shiftedMoments(cell.gate, cell.forgetBias, q + cell.forgetBias ** 2) : gate;
    let candidateQ = q;
    // GRU: the candidate reads r ⊙ (U·h) (or U·(r ⊙ h)): the recurrent part scaled by E[r²].
    if (cell.kind === 'gru') candidateQ = fromInput + cell.recurrent * gate.m2 * h;
    const candidate = shiftedMoments(cell.activation, 0, candidateQ);
    const previousH = h;
    let cellOut: GaussianMoments = candidate;
    if (cell.kind === 'lstm') {
      // c_t = f·c_{t−1} + i·c̃; h_t = o·tanh(c_t).
      const newMean = forget.mean * cellMean + gate.mean * candidate.mean;
      cellM2 = forget.m2 * cellM2 + gate.m2 * candidate.m2 + 2 * forget.mean * gate.mean * candidate.mean * cellMean;
      cellMean = newMean;
      cellOut = shiftedMoments(cell.activation, cellMean, Math.max(cellM2, cellMean * cellMean));
      h = gate.m2 * cellOut.m2;
      hMean = gate.mean * cellOut.mean;
    } else if (cell.kind === 'gru') {
      // h_t = u·h_{t−1} + (1 − u)·h̃.
      const keep = gate.m2;
      const update = 1 - 2 * gate.mean + gate.m2;
      const cross = gate.mean - gate.m2;
      h = keep * h + update * candidate.m2 + 2 * cross * hMean * candidate.mean;
      hMean = gate.mean * hMean + (1 - gate.mean) * candidate.mean;
    } else {
      h = candidate.m2;
      hMean = candidate.mean;
    }
    steps.push({ q: candidateQ, gate, forget, candidate, cellM2, cellOut, previousH, h, hMean, cellMean });
    qSum += candidateQ;
    outSum += h;
  }
  return { q: qSum / count, outMoment: cell.returnSequences ? outSum / count : h };
}

/** Relative change below which two steps are the same step (far below any printed digit). */
const STATIONARY_TOLERANCE = 1e-10;

function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= STATIONARY_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}

function stationary(step: Step, before: Step): boolean {
  return same(step.q, before.q) && same(step.h, before.h) && same(step.hMean, before.hMean)
    && same(step.cellM2, before.cellM2) && same(step.cellMean, before.cellMean);
}

/**
 * Backpropagation through time of E[(∂L/∂h)²] = `outGrad` at the output (every step with return_sequences,
 * else the last), with gates, candidate, cell state and steps independent.
 */
export function recurrentBackward(cell: RecurrentCell, steps: Step[], outGrad: number): RecurrentBackward {
  let fromLater = 0;
  let cellGrad = 0;
  let gSum = 0;
  let inSum = 0;
  for (let t = steps.length - 1; t >= 0; t--) {
    const step = steps[t];
    const external = cell.returnSequences || t === steps.length - 1 ? outGrad : 0;
    const dh = external + fromLater;
    let gatesSum: number;
    let candidateG: number;
    if (cell.kind === 'lstm') {
      const { gate, forget, candidate, cellOut } = step;
      const previousCell = t > 0 ? steps[t - 1].cellM2 : 0;
      cellGrad = dh * gate.m2 * cellOut.dm2 + (t + 1 < steps.length ? steps[t + 1].forget.m2 : 0) * cellGrad;
      const output = dh * gate.dm2 * cellOut.m2;
      const input = cellGrad * gate.dm2 * candidate.m2;
      const forgetG = cellGrad * forget.dm2 * previousCell;
      candidateG = cellGrad * gate.m2 * candidate.dm2;
      gatesSum = output + input + forgetG + candidateG;
      fromLater = cell.recurrent * gatesSum;
    } else if (cell.kind === 'gru') {
      const { gate, candidate, previousH } = step;
      const update = 1 - 2 * gate.mean + gate.m2;
      candidateG = dh * update * candidate.dm2;
      const updateG = dh * gate.dm2 * (previousH + candidate.m2);
      const resetG = candidateG * gate.dm2 * cell.recurrent * previousH;
      gatesSum = updateG + resetG + candidateG;
      fromLater = dh * gate.m2 + cell.recurrent * (updateG + resetG) + cell.recurrent * gate.m2 * candidateG;
    } else {
      candidateG = dh * step.candidate.dm2;
      gatesSum = candidateG;
      fromLater = cell.recurrent * candidateG;
    }
    gSum += candidateG;
    inSum += cell.kernelBackward * gatesSum;
  }
  const count = Math.max(steps.length, 1);
  return { g: gSum / count, inGrad: inSum / count };
}

export type RecurrentSteps = Step[];

/** The recurrent layer as recurrentMoments.ts reads it: gates, candidate, scales, forget bias, sequence length. */
export function recurrentCell(model: Model, layer: Layer, kernel: number, recurrentVariance: number | undefined): RecurrentCell {
  const gates = RECURRENT_GATES[layer.kind] ?? 1;
  const units = layer.width ?? 1;
  const recurrentSampling = layer.initializers.recurrent?.sampling;
  const recurrent = recurrentVariance ?? (recurrentSampling ? weightVariance(recurrentSampling, units, gates * units) : 1 / (gates * units));
  const source = layer.inputs[0];
  const shape = layer.inputs.length === 0 || source < 0 ? modelInputShapes(model)(source ?? -1) : model.layers[source].outputShape;
  const steps = shape && shape.length === 2 && Number.isInteger(shape[0]) && shape[0] > 0 ? shape[0] : 1;
  return {
    kind: layer.kind as RecurrentCell['kind'],
    activation: layer.activation.spec,
    gate: layer.recurrentActivation ?? GATE_DEFAULTS[model.framework],
    kernelForward: (layer.fanIn ?? 1) * kernel,
    kernelBackward: units * kernel * layer.concatenatedCopies,
    recurrent: units * recurrent,
    forgetBias: layer.kind === 'lstm' && layer.useBias && unitForgetBias(model, layer) ? 1 : 0,
    steps,
    returnSequences: layer.returnSequences ?? false,
  };
}

/** Gate activations by default: Keras `recurrent_activation='sigmoid'`, tfjs `'hardSigmoid'` (slope 0.2). */
const GATE_DEFAULTS: Record<Model['framework'], ActivationSpec> = { keras: { id: 'sigmoid' }, tfjs: { id: 'hardSigmoid', parameter: 0.2 } };

/**
 * Keras LSTM defaults to unit_forget_bias=True; tfjs's LSTMCell keeps `args.unitForgetBias` as given, so an
 * unwritten one is off (tfjs-layers 4.22 src/layers/recurrent.ts).
 */
function unitForgetBias(model: Model, layer: Layer): boolean {
  const written = booleanOf(fieldsOf(layer.call, KERAS_POSITIONAL[layer.kind as LayerKind] ?? []).unitForgetBias);
  return written ?? model.framework === 'keras';
}
