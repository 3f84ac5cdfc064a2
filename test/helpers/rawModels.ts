/**
 * Builds front-end output by hand, for core tests that pin the science independently of any parser.
 * Spans are dummies: these models are for numbers, not for fixes.
 */
import type { Arg, ArgValue, CallSite, RawModel } from '../../src/core/ir';
import { interpretModel } from '../../src/core/interpret';
import { frameworkAssumptions, DEFAULT_CONFIG } from '../../src/core/config';
import type { Model } from '../../src/core/model';

const span = { start: 0, end: 0 };

export function value(v: number | string | boolean | null | ArgValue): Arg {
  if (v === null) return { span, value: { kind: 'null' } };
  if (typeof v === 'number') return { span, value: { kind: 'number', value: v } };
  if (typeof v === 'string') return { span, value: { kind: 'string', value: v } };
  if (typeof v === 'boolean') return { span, value: { kind: 'boolean', value: v } };
  return { span, value: v };
}

export function call(callee: string, keyword: Record<string, number | string | boolean | null | ArgValue> = {}, positional: (number | string)[] = []): CallSite {
  return {
    callee,
    calleeSpan: span,
    span,
    positional: positional.map(value),
    keyword: Object.fromEntries(Object.entries(keyword).map(([key, v]) => [key, value(v)])),
    insertAt: { offset: 0, prefix: '', suffix: '' },
  };
}

export function initializerCall(callee: string, keyword: Record<string, number | string> = {}): ArgValue {
  return { kind: 'call', call: call(callee, keyword) };
}

/** A sequential model of the given layer calls. */
export function sequential(calls: CallSite[], inputShape?: number[]): RawModel {
  return {
    name: 'model',
    style: 'sequential',
    span,
    layers: calls.map((layerCall, index) => ({ call: layerCall, inputs: index === 0 ? [] : [index - 1] })),
    inputShape: inputShape && value({ kind: 'array', items: inputShape.map((dim) => value(dim)) }),
  };
}

export function resolve(raw: RawModel, framework: 'keras' | 'tfjs', kerasVersion = '3'): Model {
  const assumptions = frameworkAssumptions({ ...DEFAULT_CONFIG, frameworkVersion: { keras: kerasVersion, tfjs: '4' } });
  return interpretModel(raw, { framework, assumptions, kerasMajor: assumptions.kerasMajor });
}

/** `depth` square Dense layers of `width` with an activation and kernel initializer, then a linear output. */
export function mlp(framework: 'keras' | 'tfjs', depth: number, width: number, activation: string, kernel?: string | ArgValue): RawModel {
  const dense = framework === 'keras' ? 'keras.layers.Dense' : '@tensorflow/tfjs.layers.dense';
  const units = framework === 'keras' ? 'units' : 'units';
  const kernelKey = framework === 'keras' ? 'kernel_initializer' : 'kernelInitializer';
  const hidden = Array.from({ length: depth }, () =>
    call(dense, { [units]: width, activation, ...(kernel === undefined ? {} : { [kernelKey]: kernel }) }),
  );
  return sequential([...hidden, call(dense, { units: width })], [width]);
}

/** A functional model of (call, inputs) pairs; inputs index this list ([] = the model input). */
export function functional(layers: RawModel['layers'], inputShape: number[]): RawModel {
  return { name: 'model', style: 'functional', span, layers, inputShape: value({ kind: 'array', items: inputShape.map((dim) => value(dim)) }) };
}
