/**
 * The charts' data: per layer (x = layer number, 1-based), predicted against measured, current model
 * against recommended. Mean squares go on a log scale, where only positive finite values can be drawn:
 * anything else is a gap (null), never a made-up point.
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
  /** Predicted series are drawn dashed, measured ones solid with points. */
  source: 'predicted' | 'measured';
  values: (number | null)[];
}

export interface ChartData {
  /** Layer numbers, 1-based. */
  xs: number[];
  series: ChartSeries[];
}

const positiveOrNull = (value: number | null | undefined): number | null => (isPositive(value) ? value : null);
const finiteOrNull = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function byIndex(layers: MeasuredLayer[] | undefined): Map<number, MeasuredLayer> {
  return new Map((layers ?? []).map((layer) => [layer.index, layer]));
}

/** Forward (E[z²]) or backward (E[(∂L/∂z)²]) mean squares per layer, for the log-scale chart. */
export function momentChart(direction: 'forward' | 'backward', panel: PanelModel, measurements?: PanelMeasurements): ChartData {
  const indices = panel.report.layers.map((layer) => layer.index);
  const series: ChartSeries[] = [];
  const measured = (model: ChartModel, layers: MeasuredLayer[] | undefined) => {
    if (!layers) return;
    const rows = byIndex(layers);
    series.push({ label: `${model}: measured`, model, quantity: direction, source: 'measured', values: indices.map((i) => positiveOrNull(rows.get(i)?.[direction])) });
  };
  series.push({ label: 'current: predicted', model: 'current', quantity: direction, source: 'predicted', values: panel.report.layers.map((layer) => positiveOrNull(layer.predicted[direction])) });
  measured('current', measurements?.summary.layers);
  if (panel.recommended) {
    const predicted = new Map(panel.recommended.report.layers.map((layer) => [layer.index, layer.predicted[direction]]));
    series.push({ label: 'recommended: predicted', model: 'recommended', quantity: direction, source: 'predicted', values: indices.map((i) => positiveOrNull(predicted.get(i))) });
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
    series.push({ label: `${model}: predicted φ′ ≈ 0`, model, quantity: 'inactive', source: 'predicted', values: indices.map((i) => finiteOrNull(predicted.get(i))) });
    if (!measured) return;
    const rows = byIndex(measured);
    for (const quantity of ['dead', 'saturated'] as const) {
      const values = indices.map((i) => finiteOrNull(rows.get(i)?.[quantity === 'dead' ? 'deadFraction' : 'saturatedFraction']));
      const label = quantity === 'dead' ? `${model}: measured dead units` : `${model}: measured saturated`;
      if (values.some((value) => value !== null && value > 0)) series.push({ label, model, quantity, source: 'measured', values });
    }
  };
  add('current', new Map(panel.report.layers.map((layer) => [layer.index, layer.predicted.inactiveFraction])), measurements?.summary.layers);
  if (panel.recommended) {
    add('recommended', new Map(panel.recommended.report.layers.map((layer) => [layer.index, layer.predicted.inactiveFraction])), measurements?.recommended);
  }
  return { xs: indices.map((i) => i + 1), series };
}
