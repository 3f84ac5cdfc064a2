/**
 * SimpleRNN, GRU and LSTM over the input sequence from a zero state. The measured z of a recurrent layer
 * is its candidate pre-activation (the tanh input) at every step, tapped for the statistics; propagation.ts
 * predicts its first step (zero state), which the measurement equals for a one-step sequence.
 * Gate order (Keras and tfjs): GRU [z, r, h], LSTM [i, f, c, o].
 */
import * as tf from './tf';
import { booleanOf } from '../core/args';
import { RECURRENT_GATES } from '../core/catalogue/layers';
import type { ActivationSpec } from '../core/catalogue/activations';
import type { Layer } from '../core/model';
import { applyActivation } from './activations';
import { fieldsOfLayer, requireWidth, samplingOf, UnsupportedLayerError, type LayerPlan, type PlanContext, type Tap, type WeightSpec } from './plan';

export function planRecurrent(layer: Layer, { inputShapes, framework }: PlanContext): LayerPlan {
  const inShape = inputShapes[0];
  if (inShape.length !== 2) throw new UnsupportedLayerError(layer, `a recurrent layer needs a [timesteps, features] input, got [${inShape.join(', ')}]`);
  const [steps, features] = inShape;
  if (layer.concatenatedCopies > 1) throw new UnsupportedLayerError(layer, 'Bidirectional wrappers are not built by the probe yet');
  const units = requireWidth(layer);
  const gates = RECURRENT_GATES[layer.kind] ?? 1;
  const fields = fieldsOfLayer(layer);
  const returnSequences = booleanOf(fields.returnSequences) ?? false;
  // Keras 3 GRU defaults to reset_after=True (two bias rows); tfjs's GRU is the reset-before variant.
  const resetAfter = layer.kind === 'gru' && (booleanOf(fields.resetAfter) ?? framework === 'keras');
  // tfjs-layers recurrent cells default to hardSigmoid gates (slope 0.2); Keras 3 to sigmoid.
  const gate: ActivationSpec = layer.recurrentActivation ?? (framework === 'tfjs' ? { id: 'hardSigmoid', parameter: 0.2 } : { id: 'sigmoid' });
  // Keras LSTM defaults to unit_forget_bias=True (+1 on the forget gate's bias); tfjs LSTMCell stores the
  // argument as given (tfjs-layers 4.22 src/layers/recurrent.ts: `this.unitForgetBias = args.unitForgetBias`),
  // so an unwritten one is undefined, falsy: no +1.
  const unitForgetBias = layer.kind === 'lstm' && (booleanOf(fields.unitForgetBias) ?? framework === 'keras');

  const weights: WeightSpec[] = [
    { role: 'kernel', shape: [features, gates * units], sampling: samplingOf(layer, 'kernel'), isMainKernel: true },
    { role: 'recurrent', shape: [units, gates * units], sampling: samplingOf(layer, 'recurrent') },
  ];
  if (layer.useBias) {
    weights.push({
      role: 'bias',
      shape: resetAfter ? [2, gates * units] : [gates * units],
      sampling: samplingOf(layer, 'bias'),
      overwrite: unitForgetBias ? [units, units, 1] : undefined,
    });
  }
  const step = STEPS[layer.kind as 'simpleRnn' | 'gru' | 'lstm'];
  return {
    layer,
    recurrent: true,
    outputShape: returnSequences ? [steps, units] : [units],
    weights,
    flopsPerSample: 2 * steps * (features + units) * gates * units,
    compute: ([x], [kernel, recurrent, bias], tap) => {
      const batch = x.shape[0];
      const projected = tf.reshape(tf.matMul(tf.reshape(x, [-1, features]) as tf.Tensor2D, kernel as tf.Tensor2D), [batch, steps, gates * units]);
      const inputBias = bias && (resetAfter ? tf.squeeze(tf.slice(bias, [0, 0], [1, -1]), [0]) : bias);
      const recurrentBias = bias && resetAfter ? tf.squeeze(tf.slice(bias, [1, 0], [1, -1]), [0]) : undefined;
      const state: RecurrentState = { h: tf.zeros([batch, units]), c: tf.zeros([batch, units]) };
      const outputs: tf.Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        const xt = tf.squeeze(tf.slice(projected, [0, t, 0], [-1, 1, -1]), [1]);
        const fromInput = inputBias ? tf.add(xt, inputBias) : xt;
        const context: StepContext = { units, recurrent: recurrent as tf.Tensor2D, recurrentBias, activation: layer.activation.spec, gate, tap };
        step(fromInput, state, context);
        outputs.push(state.h);
      }
      return returnSequences ? tf.stack(outputs, 1) : state.h;
    },
  };
}

interface RecurrentState { h: tf.Tensor; c: tf.Tensor }
interface StepContext {
  units: number;
  recurrent: tf.Tensor2D;
  recurrentBias?: tf.Tensor;
  activation: ActivationSpec;
  gate: ActivationSpec;
  tap: Tap;
}

const columns = (t: tf.Tensor, gate: number, units: number) => tf.slice(t, [0, gate * units], [-1, units]);
const recurrentColumns = (context: StepContext, gate: number) => tf.slice(context.recurrent, [0, gate * context.units], [-1, context.units]) as tf.Tensor2D;

const STEPS: Record<'simpleRnn' | 'gru' | 'lstm', (fromInput: tf.Tensor, state: RecurrentState, context: StepContext) => void> = {
  simpleRnn: (fromInput, state, context) => {
    const z = context.tap(tf.add(fromInput, tf.matMul(state.h as tf.Tensor2D, context.recurrent)));
    state.h = applyActivation(context.activation, z);
  },
  gru: (fromInput, state, context) => {
    const { units } = context;
    const h = state.h as tf.Tensor2D;
    const fromState = tf.matMul(h, tf.slice(context.recurrent, [0, 0], [-1, 2 * units]) as tf.Tensor2D);
    const update = applyActivation(context.gate, tf.add(columns(fromInput, 0, units), columns(fromState, 0, units)));
    const reset = applyActivation(context.gate, tf.add(columns(fromInput, 1, units), columns(fromState, 1, units)));
    const candidateRecurrent = context.recurrentBias
      ? tf.mul(reset, tf.add(tf.matMul(h, recurrentColumns(context, 2)), columns(tf.expandDims(context.recurrentBias, 0), 2, units)))
      : tf.matMul(tf.mul(reset, h) as tf.Tensor2D, recurrentColumns(context, 2));
    const z = context.tap(tf.add(columns(fromInput, 2, units), candidateRecurrent));
    const candidate = applyActivation(context.activation, z);
    state.h = tf.add(tf.mul(update, h), tf.mul(tf.sub(1, update), candidate));
  },
  lstm: (fromInput, state, context) => {
    const { units } = context;
    const all = tf.add(fromInput, tf.matMul(state.h as tf.Tensor2D, context.recurrent));
    const input = applyActivation(context.gate, columns(all, 0, units));
    const forget = applyActivation(context.gate, columns(all, 1, units));
    const candidate = applyActivation(context.activation, context.tap(columns(all, 2, units)));
    const output = applyActivation(context.gate, columns(all, 3, units));
    state.c = tf.add(tf.mul(forget, state.c), tf.mul(input, candidate));
    state.h = tf.mul(output, applyActivation(context.activation, state.c));
  },
};
