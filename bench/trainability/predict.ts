/**
 * InitLint's prediction for a bench network, read at run time from the project's own analysis (the chain
 * semantics are still moving: nothing here is hard-coded), beside a mean-field computation by hand.
 */
import { analyzeSource } from '../../src/project/analyzeSource';
import { meanFieldForward, networkSource, type NetworkSpec } from './networks';

export interface Prediction {
  /** The longest chain's factors (over its hidden layers, as InitLint defines them). */
  forwardFactor: number | null;
  backwardFactor: number | null;
  chainStatus: string | null;
  chainHiddenLayers: number;
  /** `rule:severity` of every finding InitLint reports on the network (hints included). */
  findings: string[];
  /** By hand: one square hidden layer's gain c·m2_φ(1), and q_last/q_first over the hidden layers. */
  meanFieldLayerGain: number;
  meanFieldForward: number;
  /** The source analysed, so a row can be reproduced with `initlint check`. */
  source: string;
}

export function predict(spec: NetworkSpec, side: number): Prediction {
  const { source, fileName } = networkSource(spec, side);
  const analysis = analyzeSource(source, fileName);
  const model = analysis.models[0];
  if (!model) throw new Error(`InitLint found no model in the bench's ${fileName}:\n${source}`);
  const chain = [...model.chains].sort((a, b) => b.hiddenLayers.length - a.hiddenLayers.length)[0];
  const meanField = meanFieldForward(spec, side);
  return {
    forwardFactor: chain ? chain.forwardFactor : null,
    backwardFactor: chain ? chain.backwardFactor : null,
    chainStatus: chain ? chain.status : null,
    chainHiddenLayers: chain ? chain.hiddenLayers.length : 0,
    findings: [...new Set(analysis.findings.map((finding) => `${finding.rule}:${finding.severity}`))],
    meanFieldLayerGain: meanField.layerGain,
    meanFieldForward: meanField.forwardFactor,
    source,
  };
}
