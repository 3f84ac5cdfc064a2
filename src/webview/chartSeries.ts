/**
 * The charts' data: per layer (x = layer number, 1-based), predicted against measured, current model
 * against recommended. Mean squares go on a log scale, where only positive finite values can be drawn:
 * anything else is a gap (null), never a made-up point. A value of exactly 0 (a zero kernel stops the signal)
 * is listed in `zeros`, which the chart marks on its bottom edge, labelled, rather than leaving it out unseen.
 */
import type { PanelModel } from '../protocol/panel';
import { isPositive } from './format';
import type { MeasuredLayer, PanelMeasurements } from './results';

export type ChartModel = 'current' | 'recommended';
export type ChartQuantity = 'forward' | 'backward' | 'inactive' | 'dead' | 'saturated';

export interface ChartSeries {
  label: string;
  model: ChartModel;
  quantity: ChartQuantity;
  /**
   * Predicted series are drawn dashed, measured ones solid with points; `band` series are the 10–90% edges
   * over the weight draws, filled between (`edge` says which).
   */
  source: 'predicted' | 'measured' | 'band';
  edge?: 'p10' | 'p90';
  values: (number | null)[];
  /** Indices (into `xs`) where the value is exactly 0: a gap on the log scale, marked on its bottom edge. */
  zeros: number[];
  /** A measurement of the model as it was before the last edit: drawn grey until measured again. */
  stale?: boolean;
}

export interface ChartData {
  /** Layer numbers, 1-based. */
  xs: number[];
  series: ChartSeries[];
}

const positiveOrNull = (value: number | null | undefined): number | null => (isPositive(value) ? value : null);
const finiteOrNull = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Where `values` are exactly 0. */
function zerosOf(values: readonly (number | null | undefined)[]): number[] {
  return values.flatMap((value, index) => (value === 0 ? [index] : []));
}

/** A log-scale series: positive values drawn, zeros listed for the bottom-edge marks. */
function logSeries(values: readonly (number | null | undefined)[]): Pick<ChartSeries, 'values' | 'zeros'> {
  return { values: values.map(positiveOrNull), zeros: zerosOf(values) };
}

function byIndex(layers: MeasuredLayer[] | undefined): Map<number, MeasuredLayer> {
  return new Map((layers ?? []).map((layer) => [layer.index, layer]));
}

/** Forward (E[z²]) or backward (E[(∂L/∂z)²]) mean squares per layer, for the log-scale chart. */
export function momentChart(direction: 'forward' | 'backward', panel: PanelModel, measurements?: PanelMeasurements): ChartData {
  const indices = panel.report.layers.map((layer) => layer.index);
  const series: ChartSeries[] = [];
  // After an edit the measurement describes the model as it was: kept, greyed and named stale until re-measured.
  const stale = measurements?.stale ? { stale: true } : {};
  const measuredLabel = (model: ChartModel) => `${model}: measured${measurements?.stale ? ' (stale: re-run)' : ''}`;
  const measured = (model: ChartModel, layers: MeasuredLayer[] | undefined) => {
    if (!layers) return;
    const rows = byIndex(layers);
    series.push({ label: measuredLabel(model), model, quantity: direction, source: 'measured', ...logSeries(indices.map((i) => rows.get(i)?.[direction])), ...stale });
    if (!layers.some((layer) => layer.spread)) return;
    // The band's edges, upper first (uPlot fills from the upper series down to the lower).
    for (const edge of ['p90', 'p10'] as const) {
      series.push({
        label: `${model}: measured, 10–90% of draws`, model, quantity: direction, source: 'band', edge,
        values: indices.map((i) => positiveOrNull(rows.get(i)?.spread?.[direction][edge])), zeros: [], ...stale,
      });
    }
  };
  series.push({ label: 'current: predicted', model: 'current', quantity: direction, source: 'predicted', ...logSeries(panel.report.layers.map((layer) => layer.predicted[direction])) });
  measured('current', measurements?.summary.layers);
  if (panel.recommended) {
    const predicted = new Map(panel.recommended.report.layers.map((layer) => [layer.index, layer.predicted[direction]]));
    series.push({ label: 'recommended: predicted', model: 'recommended', quantity: direction, source: 'predicted', ...logSeries(indices.map((i) => predicted.get(i))) });
    measured('recommended', measurements?.recommended);
  }
  return { xs: indices.map((i) => i + 1), series };
}

/**
 * Inactive fractions per layer on a linear 0–1 scale: the predicted share of values with φ′ ≈ 0 (half of
 * them under ReLU; saturated ones under tanh), the measured share of units never active over the batch
 * (dead ReLUs) and of saturated values. A measured series that is zero everywhere (dead units under
 * tanh, saturation under ReLU) is left out: the table still lists it.
 */
export function fractionChart(panel: PanelModel, measurements?: PanelMeasurements): ChartData {
  const indices = panel.report.layers.map((layer) => layer.index);
  const series: ChartSeries[] = [];
  const add = (model: ChartModel, predicted: Map<number, number>, measured: MeasuredLayer[] | undefined) => {
    series.push({ label: `${model}: predicted φ′ ≈ 0`, model, quantity: 'inactive', source: 'predicted', values: indices.map((i) => finiteOrNull(predicted.get(i))), zeros: [] });
    if (!measured) return;
    const rows = byIndex(measured);
    for (const quantity of ['dead', 'saturated'] as const) {
      const values = indices.map((i) => finiteOrNull(rows.get(i)?.[quantity === 'dead' ? 'deadFraction' : 'saturatedFraction']));
      const label = quantity === 'dead' ? `${model}: measured dead units` : `${model}: measured saturated`;
      if (values.some((value) => value !== null && value > 0)) series.push({ label: `${label}${measurements?.stale ? ' (stale: re-run)' : ''}`, model, quantity, source: 'measured', values, zeros: [], ...(measurements?.stale && { stale: true }) });
    }
  };
  add('current', new Map(panel.report.layers.map((layer) => [layer.index, layer.predicted.inactiveFraction])), measurements?.summary.layers);
  if (panel.recommended) {
    add('recommended', new Map(panel.recommended.report.layers.map((layer) => [layer.index, layer.predicted.inactiveFraction])), measurements?.recommended);
  }
  return { xs: indices.map((i) => i + 1), series };
}
