/**
 * A kernel layer's scales: c = what its weights multiply the forward signal's second moment by, c' = the
 * backward gradient's, and Var(W) itself, from the variance the framework samples and the fans the signal sees
 * (propagation.ts propagates with them; the LSUV fixes and the probe's agreement tests read them alone).
 */
import { weightVariance } from './catalogue/initializers';
import { RECURRENT_GATES } from './catalogue/layers';
import { signalFanIn, type InitializerRole, type Layer } from './model';
import type { VarianceOverride } from './propagation';
import { windowCoverage, type WindowCoverage } from './windows';

export function initializerVariance(layer: Layer, role: InitializerRole, override?: VarianceOverride): number | undefined {
  const overridden = override?.(layer, role);
  if (overridden !== undefined) return overridden;
  const sampling = layer.initializers[role]?.sampling;
  if (!sampling) return undefined;
  return weightVariance(sampling, layer.fanIn ?? 1, layer.fanOut ?? 1);
}

/** The variance that keeps a kernel neutral for a linear signal (c = 1): used for unresolvable initializers. */
export function neutralVariance(layer: Layer): number {
  return 1 / Math.max(signalFanIn(layer) ?? 1, 1);
}

/** c, c' and Var(W) of a kernel layer. */
export interface KernelScales {
  forward: number;
  backward: number;
  variance: number;
}

/**
 * c and c' of a kernel layer, from the variance the framework samples and the fans the *signal* sees
 * (which differ from the framework's fans for transposed, depthwise and strided convolutions). A
 * convolution's `inputSpatial` size, where known, counts the window taps on real inputs (windows.ts);
 * without it, rf forward and rf/stride backward.
 */
export function kernelScales(layer: Layer, override?: VarianceOverride, inputSpatial?: number[]): KernelScales {
  return writeKernelScales(layer, override, { forward: 0, backward: 0, variance: 0 }, layer.kernelSize ? windowCoverage(layer, inputSpatial) : undefined);
}

/** `kernelScales` into `scales`: a propagation reuses one object for all its layers. */
export function writeKernelScales(layer: Layer, override: VarianceOverride | undefined, scales: KernelScales, coverage: WindowCoverage | undefined): KernelScales {
  const fanIn = layer.fanIn ?? 1;
  const fanOut = layer.fanOut ?? 1;
  const rf = product(layer.kernelSize);
  // Taps per output and windows per input: rf and rf/stride in the interior of a large map.
  const windows = coverage ?? (layer.kernelSize ? windowCoverage(layer, undefined) : NO_WINDOWS);
  switch (layer.kind) {
    case 'depthwiseConv': {
      const variance = initializerVariance(layer, 'depthwise', override) ?? neutralVariance(layer);
      return setScales(scales, windows.forward * variance, (fanOut / rf) * windows.backward * variance, variance);
    }
    case 'separableConv': {
      const depthwise = initializerVariance(layer, 'depthwise', override) ?? 1 / rf;
      const inChannels = fanIn / rf;
      const multiplier = fanOut / rf;
      const pointwiseFanIn = inChannels * multiplier;
      const filters = layer.width ?? pointwiseFanIn;
      const pointwiseSampling = layer.initializers.pointwise?.sampling;
      const pointwise = override?.(layer, 'pointwise')
        ?? (pointwiseSampling ? weightVariance(pointwiseSampling, pointwiseFanIn, filters) : 1 / pointwiseFanIn);
      return setScales(scales, windows.forward * depthwise * pointwiseFanIn * pointwise, windows.backward * multiplier * depthwise * filters * pointwise, depthwise);
    }
    case 'convTranspose': {
      // Kernel [k…, out, in]: each output sums the in channels of the windows that write it; each input
      // writes rf·out outputs, less those cropped by 'same'.
      const stride = product(layer.strides);
      const variance = initializerVariance(layer, 'kernel', override) ?? 1 / Math.max(fanOut / stride, 1);
      return setScales(scales, (fanOut / rf) * windows.forward * variance, (fanIn / rf) * windows.backward * variance, variance);
    }
    default: {
      const variance = initializerVariance(layer, 'kernel', override) ?? neutralVariance(layer);
      const gates = RECURRENT_GATES[layer.kind];
      // Recurrent kernels (the scales the rules read; the propagation itself runs recurrentMoments.ts): one
      // gate's share, through every concatenated copy (a Bidirectional layer's input feeds both directions).
      // A grouped convolution's input feeds the filters of its own group only.
      const groups = layer.kind === 'conv' && layer.groups !== undefined && layer.groups > 1 ? layer.groups : 1;
      const forwardFan = layer.kind === 'conv' ? (fanIn / rf) * windows.forward : fanIn;
      const backwardFan = gates ? (fanOut / gates) * layer.concatenatedCopies : ((fanOut / rf) * windows.backward) / groups;
      return setScales(scales, forwardFan * variance, backwardFan * variance, variance);
    }
  }
}

/** A kernel without windows (Dense, recurrent): one tap per output and one window per input. */
const NO_WINDOWS: WindowCoverage = Object.freeze({ forward: 1, backward: 1 });

function setScales(scales: KernelScales, forward: number, backward: number, variance: number): KernelScales {
  scales.forward = forward;
  scales.backward = backward;
  scales.variance = variance;
  return scales;
}

/** Product of a kernel size or strides list; 1 when absent (no array made per call: this runs per layer and propagation). */
function product(values: number[] | undefined): number {
  let result = 1;
  if (values) for (const value of values) result *= value;
  return result;
}
