/**
 * The requests the extension sends to the tsserver plugin through the TypeScript extension's
 * `typescript.tsserverRequest` command (which forwards commands whose name starts with `_`). The plugin
 * answers them from the analysis it already holds for its diagnostics: one analysis per document.
 */

/** `_initlint.fixAll`: every preferred fix, in passes, as one replacement of the changed region. */
export const FIX_ALL_REQUEST = '_initlint.fixAll';
/** `_initlint.status`: whether the plugin analyses the file, and the models it found there. */
export const STATUS_REQUEST = '_initlint.status';

/** Both requests take the file (the TypeScript extension turns a `vscode.Uri` into tsserver's path). */
export interface FileRequestArgs {
  file: string;
}

export interface FixAllResponse {
  /** Whether the plugin analyses this file (a TensorFlow.js file, InitLint enabled). */
  analysed: boolean;
  /** Fixes applied over all passes; 0: nothing to fix, or the file is not analysed. */
  fixed: number;
  /** Offsets in the text tsserver has, which is the editor's (the TypeScript extension syncs before a request). */
  start: number;
  end: number;
  /** What the editor must find between start and end before replacing it: a guard against a text out of sync. */
  oldText: string;
  newText: string;
}

export interface StatusResponse {
  /** Whether the plugin analysed this file; `reason` says why not. */
  analysed: boolean;
  reason?: string;
  models: { name: string; layers: number }[];
  /** Findings shown in the file (hints included). */
  findings: number;
}
