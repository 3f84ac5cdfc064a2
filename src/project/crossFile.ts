/**
 * Findings of an analysis that read several files (a file and the project modules it imports, mounted in one
 * text): each finding is moved to the file its span was written in, with offsets of that file's own text.
 */
import type { Finding, Fix } from '../core/findings';
import type { Span } from '../core/ir';
import type { FileSegment } from '../frontends/segments';

/**
 * Each finding gets spans of the file its segment is (the analysed file is the first segment, wherever it
 * was mounted), and `file` when that is not the analysed file. A fix is kept only when all its edits are in the finding's file (an import it would add to
 * the analysed file is no fix for a layer written elsewhere).
 */
export function placeFindings(findings: Finding[], segments: readonly FileSegment[]): Finding[] {
  if (segments.length <= 1) return findings;
  const placed: Finding[] = [];
  for (const finding of findings) {
    const segment = segmentOf(finding.span, segments);
    if (!segment) continue;
    const moved = {
      ...finding,
      span: shifted(finding.span, segment),
      fixes: finding.fixes.filter((fix) => fixWithin(fix, segment)).map((fix) => ({
        ...fix,
        edits: fix.edits.map((edit) => ({ ...edit, span: shifted(edit.span, segment) })),
      })),
    };
    placed.push(segment === segments[0] ? moved : { ...moved, file: segment.path });
  }
  return placed;
}

/** One finding's identity across analyses: two files that import one module place the same finding in it. */
export function findingKey(finding: Finding): string {
  return `${finding.rule}:${finding.span.start}:${finding.span.end}:${finding.message}`;
}

/**
 * What a file is reported with: its own findings, and those other files' analyses placed in it (a module they
 * import, where the layer is written), each once, in text order, without `file` (they are this file's now).
 */
export function withPlacedFindings(own: readonly Finding[], placed: Iterable<Finding>): Finding[] {
  const seen = new Set(own.map(findingKey));
  const merged = [...own];
  for (const finding of placed) {
    const key = findingKey(finding);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push({ ...finding, file: undefined });
  }
  if (merged.length === own.length) return merged;
  return merged.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

/** The segment holding a span (a span on a segment's end, an insertion there, belongs to it). */
export function segmentOf(span: Span, segments: readonly FileSegment[]): FileSegment | undefined {
  for (const segment of segments) if (span.start >= segment.start && span.end <= segment.end) return segment;
  return undefined;
}

function fixWithin(fix: Fix, segment: FileSegment): boolean {
  return fix.edits.every((edit) => edit.span.start >= segment.start && edit.span.end <= segment.end);
}

function shifted(span: Span, segment: FileSegment): Span {
  return { start: span.start - segment.start, end: span.end - segment.start };
}
