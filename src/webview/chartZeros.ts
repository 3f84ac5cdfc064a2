/**
 * Zeros on a log-scale chart: a mean square of exactly 0 (a zero kernel stops the signal, nothing flows
 * back through it) has no place on a log axis. Rather than vanish, each is drawn as a triangle on the plot's
 * bottom edge, pointing down, in its series' colour (hollow for a prediction, filled for a measurement),
 * labelled "0"; a note under the chart lists them in words for the table-minded and for screen readers.
 */
import type uPlot from 'uplot';
import type { ChartData, ChartSeries } from './chartSeries';

export interface ZeroMarkStyle {
  stroke: string;
  /** Measured values: a filled triangle; predicted ones: an outline. */
  filled: boolean;
}

/** A uPlot `draw` hook that marks `data`'s zeros (series i of `data` is uPlot's series i + 1). */
export function zeroMarks(data: ChartData, styleOf: (series: ChartSeries) => ZeroMarkStyle, font: string): (plot: uPlot) => void {
  return (plot) => {
    const context = plot.ctx;
    // The browser's pixel ratio; this module is also type-checked (and unit-tested) without the DOM library.
    const ratio = (globalThis as { devicePixelRatio?: number }).devicePixelRatio || 1;
    const size = 5 * ratio;
    const bottom = plot.bbox.top + plot.bbox.height;
    context.save();
    context.font = font;
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    context.lineWidth = 1.5 * ratio;
    data.series.forEach((series, i) => {
      if (!series.zeros.length || plot.series[i + 1]?.show === false) return;
      const { stroke, filled } = styleOf(series);
      context.strokeStyle = stroke;
      context.fillStyle = stroke;
      for (const [k, index] of series.zeros.entries()) {
        const x = plot.valToPos(data.xs[index], 'x', true);
        context.beginPath();
        context.moveTo(x - size, bottom - 2 * size);
        context.lineTo(x + size, bottom - 2 * size);
        context.lineTo(x, bottom);
        context.closePath();
        if (filled) context.fill();
        else context.stroke();
        // One label per run of consecutive zeros, so a long run stays readable.
        if (k === 0 || series.zeros[k - 1] !== index - 1) context.fillText('0', x, bottom - 2 * size - 2 * ratio);
      }
    });
    context.restore();
  };
}

/** "Exactly 0, marked ▼ on the bottom edge: current: measured at layers 3–21." Undefined without zeros. */
export function zerosNote(data: ChartData): string | undefined {
  const parts = data.series.filter((series) => series.zeros.length).map((series) => `${series.label} at ${layerList(series.zeros.map((index) => data.xs[index]))}`);
  return parts.length ? `Exactly 0, marked ▼ on the bottom edge: ${parts.join('; ')}.` : undefined;
}

/** `layer 3`, `layers 3–21`, `layers 2, 5, 9`. */
function layerList(layers: number[]): string {
  if (layers.length === 1) return `layer ${layers[0]}`;
  const consecutive = layers.every((layer, i) => i === 0 || layer === layers[i - 1] + 1);
  return consecutive ? `layers ${layers[0]}–${layers.at(-1)}` : `layers ${layers.join(', ')}`;
}
