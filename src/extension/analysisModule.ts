/**
 * Loads dist/analysis.js on first use. Activation stays cheap: the TypeScript compiler and the Python
 * parser inside it are loaded only when a CodeLens, the report or fix-all first needs them.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type * as AnalysisModule from './analysisEntry';
import type { SourceDocument } from './analysisEntry';

export type { AnalysisModule };

let loaded: typeof AnalysisModule | undefined;

export function loadAnalysis(extensionPath: string): typeof AnalysisModule {
  // A plain require of a file that sits next to dist/extension.js; esbuild leaves it alone.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(extensionPath, 'dist', 'analysis.js')) as typeof AnalysisModule;
  return loaded;
}

const EXTENSION_BY_LANGUAGE: Record<string, string> = {
  python: '.py',
  javascript: '.js',
  javascriptreact: '.jsx',
  typescript: '.ts',
  typescriptreact: '.tsx',
};

export const ANALYSED_LANGUAGES = Object.keys(EXTENSION_BY_LANGUAGE);

/** Untitled and virtual documents get a file name whose extension matches their language. */
export function sourceDocument(document: vscode.TextDocument): SourceDocument {
  const onDisk = document.uri.scheme === 'file';
  const fileName = onDisk ? document.uri.fsPath : `untitled${EXTENSION_BY_LANGUAGE[document.languageId] ?? ''}`;
  return { text: document.getText(), fileName, diskPath: onDisk ? document.uri.fsPath : undefined };
}
