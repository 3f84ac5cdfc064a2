/** Picks the front end for a file by its extension. Never throws: an unknown extension yields an empty extraction. */
import type { ExtractedFile } from '../core/ir';
import { extractPython } from './python';
import { extractTypeScriptText } from './typescript/fromText';

const SCRIPT_EXTENSION = /\.(?:[cm]?[jt]sx?)$/i;

export function languageOf(fileName: string): 'python' | 'javascript' | undefined {
  if (/\.pyi?$/i.test(fileName)) return 'python';
  if (SCRIPT_EXTENSION.test(fileName)) return 'javascript';
  return undefined;
}

export function extractSource(text: string, fileName: string): ExtractedFile {
  const language = languageOf(fileName);
  if (language === 'javascript') return extractTypeScriptText(text, fileName);
  // Python is also the answer for a file named explicitly with another extension (`initlint check model.txt`).
  return extractPython(text);
}
