/** The words of a chain rule's finding around its numbers: how the message begins, and what it adds at the end. */
import { formatFactor, TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../math';
import { meanFieldSlope } from '../catalogue/activations';
import { formatNumber } from '../fixes';
import type { RuleId } from '../findings';
import type { Layer } from '../model';
import { activationLabel, activationScale, depthwiseNote, initializerLabel, layerCount, mainRole, signalScale, type RuleContext } from './context';

/** A mean-field slope above this at q = 1 makes the fixed point unstable (GELU 1.14, swish 1.17, mish 1.08). */
export const UNSTABLE_SLOPE = 1.02;

/**
 * What a rule adds after the numbers. activation-gain: c* makes q = 1 a fixed point, but for GELU, swish and
 * mish it is unstable (mean-field slope > 1, SCIENCE.md §6), so finite width drifts away from it at depth.
 */
export function chainNote(rule: RuleId, layer: Layer): string {
  if (rule !== 'activation-gain') return '';
  const slope = meanFieldSlope(layer.activation.spec, 1);
  if (!(slope > UNSTABLE_SLOPE)) return '';
  return ` ${activationLabel(layer)}'s q = 1 fixed point is unstable (mean-field slope ${formatFactor(slope)} > 1), so a deep stack drifts from it whatever the scale: normalization (BatchNormalization, LayerNormalization) is the sturdier cure.`;
}

/** How a chain finding's message begins: the initializer, on how many of which layers, and the rule's fact. */
export function chainLead(rule: RuleId, layer: Layer, layers: Layer[], context: RuleContext): string {
  const count = layers.length;
  const use = layer.initializers[mainRole(layer)];
  const label = initializerLabel(use, context);
  const activation = activationLabel(layer);
  switch (rule) {
    case 'relu-glorot-deep':
      return `${label} on ${layerCount(count, activation)}${depthwiseNote(layer)}`;
    case 'truncated-variance':
      return `TensorFlow.js draws ${label} from a truncated normal without correcting its variance (×${formatFactor(TRUNCATED_NORMAL_VARIANCE_FACTOR)}) on ${layerCount(count, activation)}`;
    case 'orthogonal-gain':
      return `${label} with gain² < 2 on ${layerCount(count, activation)}`;
    case 'activation-gain': {
      const sampling = use?.sampling;
      const scale = sampling?.kind === 'varianceScaling' ? ` (scale ${formatFactor(signalScale(layer, sampling))})` : '';
      return `${label}${scale} on ${layerCount(count, activation)}, whose own scale is 1/m2(1) = ${formatNumber(activationScale(layer) ?? 2)}`;
    }
    default:
      return `Fixed-scale ${label} on ${layerCount(count, activation)} ${fanInPhrase(layers)}`;
  }
}

/**
 * What a fixed Var(W) is multiplied by: the layers' fan_in ("with fan_in 256", "with fan_in 25 to 6400": a
 * conv's fan_in is k²·channels, and one call in a helper serves many sizes).
 */
function fanInPhrase(layers: Layer[]): string {
  const fans = layers.map((layer) => layer.fanIn).filter((fan): fan is number => fan !== undefined);
  if (!fans.length) return 'of unknown fan_in';
  const low = Math.min(...fans);
  const high = Math.max(...fans);
  return low === high ? `with fan_in ${low}` : `with fan_in ${low} to ${high}`;
}
