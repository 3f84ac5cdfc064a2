/** `initlint` command line: argv → the command → exit code. Usage errors exit 2 with a clear message. */
import { parseArgs } from 'node:util';
import { runCheck, type FailOn } from './check';
import type { Severity } from '../core/findings';
import { COLORS, PLAIN, type Style } from './formats/text';
import { runReport } from './report';
import { startLanguageServer } from '../server/start';

declare const INITLINT_VERSION: string | undefined;
const VERSION = typeof INITLINT_VERSION === 'string' ? INITLINT_VERSION : '0.0.0-dev';

const USAGE = `Usage:
  initlint check [paths…] [--format text|json|sarif] [--fix] [--threshold N] [--fail-on error|warning|info|hint|never] [--severity error|warning|info|hint] [--max-file-size MiB] [--color|--no-color]
  initlint report <file> [--format text|json] [--threshold N] [--max-file-size MiB] [--color|--no-color] [--probe [--backend auto|tensorflow|wasm|cpu] [--batch N] [--seed N] [--draws N]]
  initlint lsp --stdio            the language server for Keras files (for editors)
  initlint --version | --help

Checks Keras (.py .ipynb) and TensorFlow.js (.js .mjs .cjs .jsx .ts .mts .cts .tsx .vue .svelte; .html
when named) model code for weight-initialization mistakes. Text output is coloured when stdout is a terminal and NO_COLOR is unset; --color and
--no-color decide instead. --severity sets the least severe findings shown (default info; hints, where
the fix is better in theory but measured training did not suffer, need --severity hint). Files over
--max-file-size (default 2 MiB of text) are not analysed, and say so. Exit codes: 0 nothing reached --fail-on (default warning), 1 something did,
2 usage error or unreadable path.`;

/** The options every command with text output takes: colour, and its own --help. */
const COMMON_OPTIONS = {
  color: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

/** --no-color wins, then --color, then a terminal without NO_COLOR (https://no-color.org). */
function styleFor(values: { color?: boolean; 'no-color'?: boolean }): Style {
  const colored = values['no-color'] ? false : values.color ?? (process.stdout.isTTY && !process.env.NO_COLOR);
  return colored ? COLORS : PLAIN;
}

class UsageError extends Error {}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

function threshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 1) throw new UsageError(`--threshold must be a number greater than 1 (got '${value}')`);
  return number;
}

function wholeNumber(value: string | undefined, flag: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) throw new UsageError(`${flag} must be a whole number ≥ ${minimum} (got '${value}')`);
  return number;
}

/** `--max-file-size 8` (MiB, of text): the cap above which a file is not analysed. */
function maxFileSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const mebibytes = Number(value);
  if (!Number.isFinite(mebibytes) || mebibytes <= 0) throw new UsageError(`--max-file-size must be a positive number of MiB (got '${value}')`);
  return Math.round(mebibytes * 1024 * 1024);
}

function help(out: (text: string) => void): number {
  out(USAGE);
  return 0;
}

export async function main(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      out(USAGE);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') return help(out);
    if (command === '--version' || command === '-v') {
      out(VERSION);
      return 0;
    }
    if (command === 'check') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          format: { type: 'string' }, fix: { type: 'boolean' }, threshold: { type: 'string' }, 'fail-on': { type: 'string' }, severity: { type: 'string' },
          'max-file-size': { type: 'string' }, ...COMMON_OPTIONS,
        },
      });
      if (values.help) return help(out);
      return runCheck({
        paths: positionals,
        format: oneOf(values.format, ['text', 'json', 'sarif'] as const, '--format', 'text'),
        fix: values.fix ?? false,
        threshold: threshold(values.threshold),
        failOn: oneOf<FailOn>(values['fail-on'], ['error', 'warning', 'info', 'hint', 'never'], '--fail-on', 'warning'),
        severity: oneOf<Severity>(values.severity, ['error', 'warning', 'info', 'hint'], '--severity', 'info'),
        style: styleFor(values),
        version: VERSION,
        maxFileChars: maxFileSize(values['max-file-size']),
      }, out, err);
    }
    if (command === 'report') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          format: { type: 'string' }, threshold: { type: 'string' }, 'max-file-size': { type: 'string' },
          probe: { type: 'boolean' }, backend: { type: 'string' }, batch: { type: 'string' }, seed: { type: 'string' }, draws: { type: 'string' },
          ...COMMON_OPTIONS,
        },
      });
      if (values.help) return help(out);
      if (positionals.length !== 1) throw new UsageError('report takes exactly one file');
      if (!values.probe && (values.backend ?? values.batch ?? values.seed ?? values.draws) !== undefined) throw new UsageError('--backend, --batch, --seed and --draws need --probe');
      return await runReport({
        file: positionals[0],
        format: oneOf(values.format, ['text', 'json'] as const, '--format', 'text'),
        threshold: threshold(values.threshold),
        maxFileChars: maxFileSize(values['max-file-size']),
        style: styleFor(values),
        probe: values.probe ? {
          backend: oneOf(values.backend, ['auto', 'tensorflow', 'wasm', 'cpu'] as const, '--backend', 'auto'),
          batch: wholeNumber(values.batch, '--batch', 1),
          seed: wholeNumber(values.seed, '--seed', 0),
          draws: wholeNumber(values.draws, '--draws', 1),
        } : undefined,
      }, out, err);
    }
    if (command === 'lsp') {
      // vscode-languageserver reads the transport (--stdio, --node-ipc, --socket=N) from argv itself.
      if (!rest.some((arg) => arg === '--stdio' || arg === '--node-ipc' || arg.startsWith('--socket'))) throw new UsageError('lsp needs a transport: --stdio');
      startLanguageServer();
      return -1; // the server keeps the process alive
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`initlint: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
