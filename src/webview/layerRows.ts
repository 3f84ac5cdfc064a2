/** One row per layer: the prediction from the report, the measurement from the last run (the table and the Markdown export). */
import { finiteWidthNote, type ReportLayer } from '../core/report';
import type { PanelModel } from '../protocol/panel';
import { agreementRatio } from './format';
import type { MeasuredLayer } from './results';

export interface LayerRow {
  index: number;
  className: string;
  activation: string;
  /** `he_normal`, `glorot_uniform (default)`, or `—` for layers without a kernel. */
  initializer: string;
  /** The recommended model's initializer when the fixes change this layer's. */
  recommendedInitializer?: string;
  fanIn?: number;
  /** 1-based source line, when the host knows it (in a notebook, within the layer's cell). */
  line?: number;
  /** Notebooks: the layer's cell, its index among the notebook's cells. */
  cell?: number;
  predicted: { forward: number; backward: number; inactiveFraction: number };
  /** Set where the prediction is an infinite-width value that finite width moves (a steep activation upstream). */
  finiteWidth?: string;
  measured?: MeasuredLayer;
  /** measured / predicted, when both are positive. */
  forwardRatio?: number;
  backwardRatio?: number;
}

export function initializerLabel(layer: ReportLayer | undefined): string {
  const initializer = layer?.initializer;
  if (!initializer) return '—';
  return initializer.default ? `${initializer.name} (default)` : initializer.name;
}

export function layerRows(panel: PanelModel, measured?: MeasuredLayer[]): LayerRow[] {
  const measuredByIndex = new Map((measured ?? []).map((layer) => [layer.index, layer]));
  const recommendedByIndex = new Map((panel.recommended?.report.layers ?? []).map((layer) => [layer.index, layer]));
  return panel.report.layers.map((layer) => {
    const measurement = measuredByIndex.get(layer.index);
    const initializer = initializerLabel(layer);
    const recommendedLayer = recommendedByIndex.get(layer.index);
    const recommendedInitializer = recommendedLayer ? initializerLabel(recommendedLayer) : undefined;
    return {
      index: layer.index,
      className: layer.className,
      activation: layer.activation,
      initializer,
      ...(recommendedInitializer !== undefined && recommendedInitializer !== initializer && { recommendedInitializer }),
      // A placeholder fan (no width could be read) is no fan to show.
      ...(layer.fanIn !== undefined && !layer.widthUnknown && { fanIn: layer.fanIn }),
      ...(panel.layerLines[layer.index] !== undefined && { line: panel.layerLines[layer.index] }),
      ...(panel.layerCells?.[layer.index] !== undefined && { cell: panel.layerCells[layer.index] }),
      predicted: layer.predicted,
      ...(layer.finiteWidth && { finiteWidth: finiteWidthNote(layer, panel.report.layers) }),
      ...(measurement && {
        measured: measurement,
        forwardRatio: agreementRatio(measurement.forward, layer.predicted.forward),
        backwardRatio: agreementRatio(measurement.backward, layer.predicted.backward),
      }),
    };
  });
}

/**
 * Where a row's layer is, as `initlint report` writes it: `4`, or `cell 3:4` in a notebook (cells counted from 1,
 * as VS Code counts them; `row.cell` is the 0-based index); undefined when unknown.
 */
export function sourcePlace(row: Pick<LayerRow, 'line' | 'cell'>): string | undefined {
  if (row.line === undefined) return undefined;
  return row.cell === undefined ? String(row.line) : `cell ${row.cell + 1}:${row.line}`;
}
