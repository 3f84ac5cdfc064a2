/**
 * Numbers as the panel, the Markdown export and the table show them. Values that crossed VS Code's message
 * channel as JSON arrive as `null` where they were NaN or ±Infinity (an exploding model), so `null` reads
 * as "not finite", while `undefined` means "not measured".
 */

/** A measurement is off when measured/predicted leaves [1/this, this] (the probe's agreement tests use 1.5). */
export const AGREEMENT_FACTOR = 1.5;

/** A mean square: 3 significant digits, exponent form outside [0.001, 10000). */
export function formatMoment(value: number | null | undefined): string {
  if (value === undefined) return '—';
  if (value === null || Number.isNaN(value)) return 'not finite';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e4) return String(Number(value.toPrecision(3)));
  return value.toExponential(2).replace('e+', 'e');
}

/** A measured value with its 10–90% band over the draws when there is one: `1.02 [0.91–1.13]`. */
export function withBand(value: string, band: { p10: number; p90: number } | undefined, format: (value: number) => string): string {
  return band ? `${value} [${format(band.p10)}–${format(band.p90)}]` : value;
}

/** A fraction of units or values, as a percentage with at most one decimal. */
export function formatFraction(value: number | null | undefined): string {
  if (value === undefined) return '—';
  if (value === null || !Number.isFinite(value)) return 'not finite';
  return `${Number((value * 100).toFixed(1))}%`;
}

/** measured / predicted when both are positive and finite. */
export function agreementRatio(measured: number | null | undefined, predicted: number | null | undefined): number | undefined {
  if (!isPositive(measured) || !isPositive(predicted)) return undefined;
  return measured / predicted;
}

/** `×2.31` when the ratio is outside the agreement band, else undefined. */
export function disagreement(ratio: number | undefined, factor = AGREEMENT_FACTOR): string | undefined {
  if (ratio === undefined || (ratio <= factor && ratio >= 1 / factor)) return undefined;
  return `×${Number(ratio.toPrecision(3))}`;
}

export function isPositive(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
