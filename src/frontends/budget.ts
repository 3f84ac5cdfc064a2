/**
 * What a host allows one extraction: a wall-clock deadline and a cancellation poll, both checked inside the
 * interpreters' loops (every few thousand steps), so no input holds an editor's thread for long. A deadline
 * that passes cuts the reading and says where (`AnalysisCut`); a cancellation throws, since its host
 * discards the result.
 */
import type { AnalysisCut, Span } from '../core/ir';

export interface WorkLimits {
  /** `performance.now()` after which the interpreter stops reading and says so. */
  deadline?: number;
  /** Polled with the deadline: true when the host no longer wants the result (a newer version, a cancelled request). */
  isCancelled?: () => boolean;
}

/** Thrown out of extraction when the host cancelled it: nothing of it is shown. */
export class ExtractionCancelled extends Error {
  constructor() {
    super('extraction cancelled');
  }
}

/** Steps between two looks at the clock: `performance.now()` costs ~50 ns, a step ~100 ns. */
const CLOCK_INTERVAL = 1024;

/** The limits as the interpreters poll them. */
export class Clock {
  private countdown = CLOCK_INTERVAL;

  constructor(private readonly limits: WorkLimits = {}) {}

  /** True once the deadline has passed; throws `ExtractionCancelled` when the host cancelled. Cheap between looks. */
  expired(): boolean {
    if (--this.countdown > 0) return false;
    this.countdown = CLOCK_INTERVAL;
    if (this.limits.isCancelled?.()) throw new ExtractionCancelled();
    return this.limits.deadline !== undefined && performance.now() > this.limits.deadline;
  }
}

/** Cuts kept per file: past this many, one more would tell the reader nothing new. */
const MAX_CUTS = 20;

/** The cuts of one extraction: each place and reason once, at most MAX_CUTS. */
export class CutLog {
  readonly cuts: AnalysisCut[] = [];
  private readonly seen = new Set<string>();

  add(span: Span, reason: string): void {
    this.addKeyed(`${span.start}:${span.end}:${reason}`, span, reason);
  }

  /** A budget of the whole file: only the first place it ran out is worth saying. */
  addOnce(span: Span, reason: string): void {
    this.addKeyed(reason, span, reason);
  }

  private addKeyed(key: string, span: Span, reason: string): void {
    if (this.seen.has(key) || this.cuts.length >= MAX_CUTS) return;
    this.seen.add(key);
    this.cuts.push({ span, reason });
  }
}

/** `RangeError: Maximum call stack size exceeded`: code nested deeper than the reader's recursion. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

export const formatCount = (count: number): string => count.toLocaleString('en-US');

/**
 * Files past this many characters (UTF-16 units: bytes, for ASCII) are not parsed. Measured: a 2 MiB Python
 * file takes ~1.7 s and ~350 MB to read, and both grow linearly (20 MiB: 24 s and 3.5 GB; 40 MiB exhausts V8's
 * heap), while hand-written model code is well under 100 KiB. Each host lets it be raised.
 */
export const DEFAULT_MAX_FILE_CHARS = 2 * 1024 * 1024;

/** The cut for a file over the size cap, which is then not parsed at all; `setting`: how to raise the cap. */
export function sizeCapCut(length: number, maxChars: number, setting: string): AnalysisCut | undefined {
  if (length <= maxChars) return undefined;
  return { span: { start: 0, end: 0 }, reason: `the file has ${describeSize(length)} of text, over the ${describeSize(maxChars)} size cap (${setting}): it was not analysed` };
}

export function describeSize(chars: number): string {
  if (chars >= 1024 * 1024) return `${Number((chars / (1024 * 1024)).toFixed(1))} MiB`;
  if (chars >= 1024) return `${Number((chars / 1024).toFixed(1))} KiB`;
  return `${chars} characters`;
}
