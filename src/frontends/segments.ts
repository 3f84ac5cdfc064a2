/** Where one file's text lies in a text that mounts several files of a project (the front ends' `modules.ts`). */
export interface FileSegment {
  path: string;
  /** `[start, end)` in the mounted text. */
  start: number;
  end: number;
  /** The file's own text (what its spans' lines and columns are counted in). */
  text: string;
}
