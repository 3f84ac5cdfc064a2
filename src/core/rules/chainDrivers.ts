/**
 * Which blamed locations of a failing chain are reported: the fewest whose fixes cure it (chainRules.ts blames
 * them, this chooses among them).
 */
import { chainExit, chainFactors, factorTier, offChainPath, type Chain } from '../chains';
import type { Layer } from '../model';
import type { MomentTable } from '../propagation';
import type { RuleContext } from './context';

/** A move of ×2 towards 1, in natural log, with room for rounding. */
const MATERIAL_STEP = Math.LN2 * 0.999;

export type Direction = 'forward' | 'backward';

/** A layer's own gain as chains count it: backward per unit of width (c·E[φ'²], see `chainFactors`). */
export function gainOf(moments: MomentTable, index: number, direction: 'forward' | 'backward', corrections: Float64Array): number {
  return direction === 'forward' ? moments.forwardGain[index] : moments.backwardGain[index] * corrections[index];
}

/**
 * The locations that drive a chain's failure (issue 12): with every blamed location fixed the chain must do
 * better than now (else the initializers are not the cause: a sigmoid's derivative, say). Then the reported
 * locations are the fewest that cure it: every one whose fix alone moves the factor at least ×2 towards 1, and,
 * while the chain is not cured yet, the others by how far their fix moves it (a tie is taken whole: 30 layers
 * written alike are reported alike, not 26 of them). A location of gain close to 1 beside one that fails the chain
 * is not needed, and neither is a fix that cannot change the chain's tier (a stacked LSTM's truncated kernel:
 * ×0.044 → ×0.057), nor others that together move the chain less than ×2. Each location's share of the factor
 * is the product of its layers' gains (exact for a plain stack, where a factor is the product of gains), so this
 * needs no propagation per location.
 */
export function driversOf<T extends { layers: Layer[] }>(chain: Chain, locations: T[], allFixed: MomentTable, context: RuleContext): { direction: Direction; drivers: T[] } {
  const { thresholds } = context;
  const last = chain.hiddenLayers[chain.hiddenLayers.length - 1];
  const exit = chainExit(last, context.analysis.model.layers, context.analysis.consumers);
  const factors = (moments: MomentTable) => chainFactors(moments, context.analysis.model.layers, chain.hiddenLayers, context.analysis.widthCorrections, last, exit);
  const now = factors(context.analysis.ruleMoments);
  const fixed = factors(allFixed);
  const tierNow = Math.max(factorTier(now.forward, thresholds), factorTier(now.backward, thresholds));
  // Cured: to a lower tier, or at least half the way to 1 in orders of magnitude (1e-9 → 0.04: the rest is padding).
  const curedAt = (factor: number, from: number) => factorTier(factor, thresholds) < tierNow || Math.abs(Math.log(factor)) <= 0.5 * Math.abs(Math.log(from));
  // The direction the fixes cure (forward first): a strided stack's backward loss He does not cure, say.
  const direction = (['forward', 'backward'] as const).find((way) => factorTier(now[way], thresholds) === tierNow && curedAt(fixed[way], now[way]));
  if (!direction) return { direction: chain.failing!, drivers: [] };
  const first = chain.hiddenLayers[0];
  // In logs: a 10,000-layer chain's factor underflows to 0, and fixing one layer still moves it ×2.
  const logNow = Math.log(now[direction]);
  const towardOne = (logShare: number) => (logNow < 0 ? logShare : -logShare);
  // Per location, the log of its share of the factor; whether it is needed. Arrays by position: a 10,000-layer
  // model has thousands of locations, and most chains are cured by the locations that move them ×2 alone.
  const logShares: number[] = new Array(locations.length);
  const needed: boolean[] = new Array(locations.length);
  let logFactor = logNow;
  let all = true;
  // Only layers on the measured path are part of its factor (a parallel branch's are not).
  const offPath = offChainPath(context.analysis.model.layers, chain.hiddenLayers);
  for (let position = 0; position < locations.length; position++) {
    let logShare = 0;
    for (const layer of locations[position].layers) {
      if (offPath?.has(layer.index)) continue;
      const gain = gainOf(context.analysis.ruleMoments, layer.index, direction, context.analysis.widthCorrections);
      if (layer.index !== first && gain > 0) logShare += Math.log(gainOf(allFixed, layer.index, direction, context.analysis.widthCorrections) / gain);
    }
    logShares[position] = logShare;
    // How far fixing this location alone moves the factor towards 1, in orders of e; ×2 exactly (one Glorot
    // ReLU layer) must count whatever the rounding of the logs.
    const moved = Number.isFinite(logNow) ? Math.abs(logNow) - Math.abs(logNow + logShare) : towardOne(logShare);
    needed[position] = moved >= MATERIAL_STEP;
    if (needed[position]) logFactor += logShare;
    else all = false;
  }
  if (!all && Number.isFinite(logNow) && !curedAt(Math.exp(logFactor), now[direction])) {
    const rest: number[] = [];
    for (let position = 0; position < locations.length; position++) if (!needed[position] && towardOne(logShares[position]) > 0) rest.push(position);
    rest.sort((a, b) => towardOne(logShares[b]) - towardOne(logShares[a]));
    const added: number[] = [];
    let addedMove = 0;
    for (let start = 0; start < rest.length && !curedAt(Math.exp(logFactor), now[direction]);) {
      // One tie at a time: locations alike move the chain alike.
      const tie = logShares[rest[start]];
      let end = start;
      for (; end < rest.length && Math.abs(logShares[rest[end]] - tie) <= 1e-9 * Math.max(1, Math.abs(tie)); end++) {
        added.push(rest[end]);
        addedMove += towardOne(logShares[rest[end]]);
        logFactor += logShares[rest[end]];
      }
      start = end;
    }
    // Together they must still move the chain ×2: a hand-written LeCun normal that takes a tanh stack from ×0.3
    // to ×0.36, or a stacked LSTM from ×0.019 to ×0.024, crosses a threshold by a hair and cures nothing.
    if (addedMove >= MATERIAL_STEP) for (const position of added) needed[position] = true;
  }
  if (all) return { direction, drivers: locations };
  return { direction, drivers: locations.filter((_, position) => needed[position]) };
}
