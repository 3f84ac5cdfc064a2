/** Default output, like Ruff and ESLint: one line per finding, `path:line:col: severity message [rule]`, then a summary. */
import type { Finding, Severity } from '../../core/findings';
import type { Positions } from './json';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
}

const paint = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const COLORS: Style = { bold: paint(1), dim: paint(2), red: paint(31), yellow: paint(33), blue: paint(34) };
export const PLAIN: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, blue: (t) => t };

const SEVERITY_LABELS: Record<Severity, (style: Style) => string> = {
  error: (style) => style.red('error'),
  warning: (style) => style.yellow('warning'),
  info: (style) => style.blue('info'),
  hint: (style) => style.dim('hint'),
};

export function findingLine(path: string, finding: Finding, lines: Positions, style: Style): string {
  const start = lines.positionAt(finding.span.start);
  // Cells counted from 1, as editors show them (JSON's `cell` is the 0-based index into `cells`).
  const where = start.cell === undefined ? path : `${path}[cell ${start.cell + 1}]`;
  const severity = SEVERITY_LABELS[finding.severity](style);
  const fixable = finding.fixes.length ? style.dim(` (fix: ${finding.fixes[0].title})`) : '';
  return `${style.bold(`${where}:${start.line + 1}:${start.character + 1}`)}: ${severity} ${finding.message} ${style.dim(`[${finding.rule}]`)}${fixable}`;
}

export interface Totals {
  error: number;
  warning: number;
  info: number;
  hint: number;
  /** Findings below `--severity`, neither shown nor counted as problems. */
  hidden: number;
  fixable: number;
  files: number;
  fixed: number;
}

export function summaryLine(totals: Totals, style: Style): string {
  const problems = totals.error + totals.warning + totals.info + totals.hint;
  const fixedNote = totals.fixed ? `Fixed ${totals.fixed} problem${totals.fixed === 1 ? '' : 's'}. ` : '';
  const hiddenNote = totals.hidden ? ` ${totals.hidden} hint${totals.hidden === 1 ? '' : 's'} not shown (--severity hint).` : '';
  if (problems === 0) return `${fixedNote}${style.bold('All checks passed')} (${totals.files} file${totals.files === 1 ? '' : 's'} checked).${hiddenNote}`;
  const parts = [`${totals.error} error${totals.error === 1 ? '' : 's'}`, `${totals.warning} warning${totals.warning === 1 ? '' : 's'}`];
  if (totals.info) parts.push(`${totals.info} info`);
  if (totals.hint) parts.push(`${totals.hint} hint${totals.hint === 1 ? '' : 's'}`);
  const fixable = totals.fixable ? `; ${totals.fixable} fixable with --fix` : '';
  return `${fixedNote}Found ${problems} problem${problems === 1 ? '' : 's'} (${parts.join(', ')}) in ${totals.files} file${totals.files === 1 ? '' : 's'}${fixable}.${hiddenNote}`;
}

/** Said even when `--severity` hides the analysis-incomplete findings: a clean summary must not hide a cut. */
export function incompleteLine(paths: string[]): string {
  const named = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
  return `Analysis incomplete in ${paths.length} file${paths.length === 1 ? '' : 's'} (${named}): a size, time or depth budget cut it; see the analysis-incomplete findings.`;
}
