/**
 * The three charts (forward and backward mean squares on log scales, inactive fractions on 0–1) drawn with
 * uPlot on canvases, in the editor theme's colours, and their PNG export (one image with titles and legends).
 */
import uPlot from 'uplot';
import type { ChartData, ChartSeries } from './chartSeries';
import { zeroMarks, zerosNote } from './chartZeros';

export interface ChartSpec {
  title: string;
  /** Axis label of the values. */
  unit: string;
  scale: 'log' | 'fraction';
  data: ChartData;
}

/** Theme colours, read from the CSS custom properties panel.css derives from VS Code's theme variables. */
interface Palette {
  foreground: string;
  background: string;
  grid: string;
  current: string;
  recommended: string;
  /** A stale measurement (the source changed since): grey until measured again. */
  stale: string;
  font: string;
}

const CHART_HEIGHT = 220;

function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fontSize = read('--vscode-font-size', '13px');
  return {
    foreground: read('--il-foreground', '#cccccc'),
    background: read('--il-background', '#1e1e1e'),
    grid: read('--il-grid', 'rgba(128, 128, 128, 0.35)'),
    current: read('--il-current', '#3794ff'),
    recommended: read('--il-recommended', '#89d185'),
    stale: read('--il-stale', '#8b8b8b'),
    font: `${fontSize} ${read('--vscode-font-family', 'sans-serif')}`,
  };
}

/** The theme colour (`#rgb`, `#rrggbb`, `rgb()`/`rgba()`) at `alpha`; a neutral grey when it is none of those. */
export function translucent(color: string, alpha: number): string {
  const hex = /^#([\da-f]{3}|[\da-f]{6}|[\da-f]{8})$/i.exec(color.trim())?.[1];
  let rgb: number[] | undefined;
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex.slice(0, 6);
    rgb = [0, 2, 4].map((offset) => parseInt(full.slice(offset, offset + 2), 16));
  } else {
    const channels = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
    rgb = channels ? channels.slice(1, 4).map(Number) : undefined;
  }
  const [red, green, blue] = rgb ?? [128, 128, 128];
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

/** How opaque a band's fill and its edges are: the measured line stays readable on top. */
const BAND_FILL_ALPHA = 0.2;
const BAND_EDGE_ALPHA = 0.45;

/** Colour by model, dash by what the line is: predictions dashed, measured saturation dotted, band edges faint. */
function seriesStyle(series: ChartSeries, palette: Palette): { stroke: string; dash?: number[] } {
  const stroke = series.stale ? palette.stale : series.model === 'current' ? palette.current : palette.recommended;
  if (series.source === 'band') return { stroke: translucent(stroke, BAND_EDGE_ALPHA) };
  if (series.source === 'predicted') return { stroke, dash: [7, 4] };
  if (series.quantity === 'saturated') return { stroke, dash: [2, 3] };
  return { stroke };
}

/** Minimum CSS pixels between two labelled decades: a vanishing model spans a dozen of them. */
const DECADE_SPACING = 22;

/** Grid lines and labels at powers of ten, every decade or every few when the range is wide. */
function decadeSplits(plot: uPlot, _axis: number, min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const plotHeight = plot.bbox.height / uPlot.pxRatio || CHART_HEIGHT / 2;
  const step = Math.max(1, Math.ceil(((high - low) * DECADE_SPACING) / plotHeight));
  const splits: number[] = [];
  for (let exponent = Math.ceil(low / step) * step; exponent <= high; exponent += step) {
    const value = 10 ** exponent;
    if (value >= min * 0.999 && value <= max * 1.001) splits.push(value);
  }
  return splits;
}

function powerOfTenLabels(_plot: uPlot, splits: number[]): string[] {
  return splits.map((value) => {
    if (!(value > 0)) return '';
    const exponent = Math.round(Math.log10(value));
    return exponent >= -2 && exponent <= 3 ? String(10 ** exponent) : `1e${exponent}`;
  });
}

function options(spec: ChartSpec, width: number, palette: Palette): uPlot.Options {
  const axisStyle = { stroke: palette.foreground, font: palette.font, labelFont: palette.font, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1 } };
  return {
    width,
    height: CHART_HEIGHT,
    // The legend names the series; the layer table below holds the values. Its swatches tell predicted
    // (dashed outline, hollow) from measured (solid, filled) as the lines and their points do.
    legend: {
      show: true, live: false,
      markers: {
        width: 2,
        dash: (_plot, i) => (spec.data.series[i - 1]?.source === 'predicted' ? 'dashed' : 'solid'),
        fill: (_plot, i) => {
          const series = spec.data.series[i - 1];
          return !series || series.source === 'predicted' ? 'transparent' : seriesStyle(series, palette).stroke;
        },
      },
    },
    hooks: spec.scale === 'log' ? { draw: [zeroMarks(spec.data, (series) => ({ ...seriesStyle(series, palette), filled: series.source !== 'predicted' }), palette.font)] } : {},
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: (_plot, min, max) => [min - 0.25, max + 0.25] },
      y: spec.scale === 'log'
        ? { distr: 3, log: 10, range: (_plot, min, max) => (min > 0 && max > 0 ? uPlot.rangeLog(min, max, 10, true) : [0.1, 10]) }
        : { range: [0, 1] },
    },
    axes: [
      { ...axisStyle, label: 'layer', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], values: (_plot, splits) => splits.map((value) => (Number.isInteger(value) ? String(value) : '')) },
      {
        ...axisStyle, label: spec.unit, size: 64, labelSize: 24,
        ...(spec.scale === 'log'
          // uPlot's default filter for log axes blanks splits it did not choose; ours are all labelled.
          ? { splits: decadeSplits, filter: (_plot: uPlot, splits: number[]) => splits, values: powerOfTenLabels }
          : { values: (_plot: uPlot, splits: number[]) => splits.map((value) => `${Math.round(value * 100)}%`) }),
      },
    ],
    series: [
      { label: 'layer' },
      ...spec.data.series.map((series): uPlot.Series => ({
        label: series.label,
        ...seriesStyle(series, palette),
        width: series.source === 'band' ? 1 : 2,
        spanGaps: false,
        // Measured points filled, predicted ones hollow (uPlot thins points out where layers are dense).
        points: series.source === 'band' ? { show: false }
          : series.source === 'measured' ? { show: true, size: 7 } : { size: 6, width: 1.5, fill: palette.background },
        // One legend entry per band: its lower edge's is hidden (panel.css).
        ...(series.edge === 'p10' && { class: 'band-lower-edge' }),
      })),
    ],
    bands: bandsOf(spec.data.series, palette),
  };
}

/** uPlot's bands: each p90 edge filled down to the p10 edge of the same model and quantity (series index + 1: x is 0). */
function bandsOf(series: ChartSeries[], palette: Palette): uPlot.Band[] {
  const bands: uPlot.Band[] = [];
  series.forEach((upper, i) => {
    if (upper.edge !== 'p90') return;
    const lower = series.findIndex((other) => other.edge === 'p10' && other.model === upper.model && other.quantity === upper.quantity);
    if (lower < 0) return;
    bands.push({ series: [i + 1, lower + 1], fill: translucent(upper.model === 'current' ? palette.current : palette.recommended, BAND_FILL_ALPHA) });
  });
  return bands;
}

/** The panel's charts: rebuilt when their series change, resized with their container, recoloured with the theme. */
export class PanelCharts {
  private plots: { spec: ChartSpec; plot: uPlot; host: HTMLElement }[] = [];
  private specs: ChartSpec[] = [];
  private readonly resizeObserver = new ResizeObserver(() => this.resize());

  constructor(private readonly hosts: HTMLElement[]) {
    for (const host of hosts) this.resizeObserver.observe(host);
    // A theme change: VS Code sets body's classes and theme attributes and the variables on <html>'s style.
    const recolour = new MutationObserver(() => this.show(this.specs));
    recolour.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id', 'data-vscode-theme-kind'] });
    recolour.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  }

  show(specs: ChartSpec[]): void {
    this.specs = specs;
    for (const { plot } of this.plots) plot.destroy();
    for (const host of this.hosts) host.querySelector(':scope > .chart-zeros')?.remove();
    const palette = readPalette();
    this.plots = specs.map((spec, i) => {
      const host = this.hosts[i];
      const data = [spec.data.xs, ...spec.data.series.map((series) => series.values)] as uPlot.AlignedData;
      const plot = new uPlot(options(spec, widthOf(host), palette), data, host);
      const note = spec.scale === 'log' ? zerosNote(spec.data) : undefined;
      if (note) host.append(Object.assign(document.createElement('p'), { className: 'chart-zeros', textContent: note }));
      return { spec, host, plot };
    });
  }

  /** One PNG of every chart with its title and legend, on the theme's background; base64 without the data: prefix. */
  png(): string {
    const palette = readPalette();
    const ratio = uPlot.pxRatio;
    const titleHeight = Math.round(28 * ratio);
    const legendRow = Math.round(20 * ratio);
    const blocks = this.plots.map(({ spec, plot }) => ({ spec, canvas: plot.ctx.canvas, legendHeight: legendRow * legendSeries(spec.data.series).length }));
    const width = Math.max(1, ...blocks.map((block) => block.canvas.width));
    const height = blocks.reduce((sum, block) => sum + titleHeight + block.canvas.height + block.legendHeight + legendRow, 0);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = Math.max(1, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas context for the PNG export');
    context.fillStyle = palette.background;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.font = `${Math.round(14 * ratio)}px ${palette.font.replace(/^\S+\s/, '')}`;
    context.textBaseline = 'middle';
    let y = 0;
    for (const { spec, canvas: chart, legendHeight } of blocks) {
      context.fillStyle = palette.foreground;
      context.fillText(spec.title, 8 * ratio, y + titleHeight / 2);
      y += titleHeight;
      context.drawImage(chart, 0, y);
      y += chart.height;
      legendSeries(spec.data.series).forEach((series, i) => {
        const rowY = y + legendRow * (i + 0.5);
        const style = seriesStyle(series, palette);
        if (series.source === 'band') {
          // A band's swatch is its fill.
          context.fillStyle = translucent(series.model === 'current' ? palette.current : palette.recommended, BAND_FILL_ALPHA * 2);
          context.fillRect(16 * ratio, rowY - 5 * ratio, 28 * ratio, 10 * ratio);
        }
        context.strokeStyle = style.stroke;
        context.lineWidth = 2 * ratio;
        context.setLineDash((style.dash ?? []).map((length) => length * ratio));
        context.beginPath();
        context.moveTo(16 * ratio, rowY);
        context.lineTo(44 * ratio, rowY);
        context.stroke();
        if (series.source !== 'band') {
          // The point style of the lines: measured filled, predicted hollow.
          context.setLineDash([]);
          context.beginPath();
          context.arc(30 * ratio, rowY, 3.5 * ratio, 0, 2 * Math.PI);
          context.fillStyle = series.source === 'measured' ? style.stroke : palette.background;
          context.fill();
          context.stroke();
        }
        context.fillStyle = palette.foreground;
        context.fillText(series.label, 52 * ratio, rowY);
      });
      y += legendHeight + legendRow;
    }
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  private resize(): void {
    for (const { plot, host } of this.plots) {
      const width = widthOf(host);
      if (width !== plot.width) plot.setSize({ width, height: CHART_HEIGHT });
    }
  }
}

/** The series the legend names: a band once (its upper edge), not twice. */
function legendSeries(series: ChartSeries[]): ChartSeries[] {
  return series.filter((entry) => entry.edge !== 'p10');
}

function widthOf(host: HTMLElement): number {
  return Math.max(240, Math.floor(host.clientWidth));
}
