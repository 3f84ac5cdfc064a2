/** Picks the front end for a file by its extension: an unknown extension yields an empty extraction. */
import type { ExtractedFile } from '../core/ir';
import type { WorkLimits } from './budget';
import { extractPython } from './python';
import { EMBEDDING_EXTENSION, scriptsOnly } from './typescript/embedded';
import { extractTypeScriptText } from './typescript/fromText';

const SCRIPT_EXTENSION = /\.(?:[cm]?[jt]sx?)$/i;

export function languageOf(fileName: string): 'python' | 'javascript' | undefined {
  if (/\.pyi?$/i.test(fileName)) return 'python';
  // An HTML page or a Vue/Svelte component: its <script> blocks are read (typescript/embedded.ts).
  if (SCRIPT_EXTENSION.test(fileName) || EMBEDDING_EXTENSION.test(fileName)) return 'javascript';
  return undefined;
}

/**
 * The text the analysis reads a file's findings and fixes against: its own, or for an HTML page or a component
 * its script blocks with the markup blanked (same offsets and lines), so that a fix's quotes follow the script's
 * strings, not the markup's attributes.
 */
export function analysisText(text: string, fileName: string): string {
  return EMBEDDING_EXTENSION.test(fileName) ? scriptsOnly(text) : text;
}

/** Throws only `ExtractionCancelled` (when `limits` say the host cancelled). */
export function extractSource(text: string, fileName: string, limits?: WorkLimits): ExtractedFile {
  const language = languageOf(fileName);
  if (language === 'javascript') return extractTypeScriptText(text, fileName, limits);
  // Python is also the answer for a file named explicitly with another extension (`initlint check model.txt`).
  return extractPython(text, limits);
}
