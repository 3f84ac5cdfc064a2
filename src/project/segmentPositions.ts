/**
 * Offsets of a text that mounts several files of a project (a file and the modules it imports) → the file each
 * offset was written in, and its line and column there: where `initlint report` says a layer is written.
 */
import { LineIndex } from '../core/text';
import type { FileSegment } from '../frontends/segments';
import { segmentOf } from './crossFile';

export class SegmentPositions {
  private readonly lines = new Map<FileSegment, LineIndex>();

  /** `segments[0]` is the analysed file. */
  constructor(private readonly segments: readonly FileSegment[]) {}

  /** Line and column (0-based) in the file the offset was written in. */
  positionAt(offset: number): { line: number; character: number } {
    const segment = this.segmentAt(offset);
    let lines = this.lines.get(segment);
    if (!lines) this.lines.set(segment, (lines = new LineIndex(segment.text)));
    return lines.positionAt(Math.min(Math.max(offset - segment.start, 0), segment.text.length));
  }

  /** The module an offset was written in; undefined for the analysed file itself. */
  fileAt(offset: number): string | undefined {
    const segment = this.segmentAt(offset);
    return segment === this.segments[0] ? undefined : segment.path;
  }

  /** Text between segments (a JS module's prelude) is no file's: it is read as the analysed file's. */
  private segmentAt(offset: number): FileSegment {
    return segmentOf({ start: offset, end: offset }, this.segments) ?? this.segments[0];
  }
}
