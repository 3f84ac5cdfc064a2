/**
 * The tsserver commands the VS Code extension sends (src/protocol/tsPluginRequests.ts) through the TypeScript
 * extension's `typescript.tsserverRequest`: fix-all for `source.fixAll.initlint` (codeActionsOnSave, the
 * Source Action menu, the quick-fix menu's "Fix all InitLint problems") and the status item's numbers. They
 * read the plugin's cached analysis, the one its diagnostics come from, so fixes match the squiggles.
 */
import type * as ts from 'typescript';
import { changedRegion } from '../project/fixLoop';
import { FIX_ALL_REQUEST, STATUS_REQUEST, type FileRequestArgs, type FixAllResponse, type StatusResponse } from '../protocol/tsPluginRequests';
import type { FileAnalyses } from './fileAnalyses';

/** A session is shared by every project of one tsserver; a handler registered twice throws. */
const registered = new WeakSet<object>();

export function registerEditorRequests(
  typescript: typeof ts,
  session: ts.server.Session<unknown> | undefined,
  projects: () => Iterable<FileAnalyses>,
  log: (message: string) => void,
): void {
  if (!session || registered.has(session)) return;
  registered.add(session);
  const answer = (command: string, body: (file: string) => object) => (request: ts.server.protocol.Request): ts.server.HandlerResponse => {
    try {
      const file = (request.arguments as Partial<FileRequestArgs> | undefined)?.file;
      if (typeof file !== 'string') return { response: undefined, responseRequired: true };
      return { response: body(typescript.server.toNormalizedPath(file)), responseRequired: true };
    } catch (error) {
      log(`${command} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { response: undefined, responseRequired: true };
    }
  };
  const analysesOf = (file: string) => [...projects()].find((analyses) => analyses.holds(file));
  session.addProtocolHandler(FIX_ALL_REQUEST, answer(FIX_ALL_REQUEST, (file): FixAllResponse => {
    const result = analysesOf(file)?.fixInPasses(file);
    if (!result || !result.fixed) return { analysed: !!result, fixed: 0, start: 0, end: 0, oldText: '', newText: '' };
    const { span, newText } = changedRegion(result.before, result.after);
    return { analysed: true, fixed: result.fixed, start: span.start, end: span.end, oldText: result.before.slice(span.start, span.end), newText };
  }));
  session.addProtocolHandler(STATUS_REQUEST, answer(STATUS_REQUEST, (file): StatusResponse => {
    const analyses = analysesOf(file);
    if (!analyses) return { analysed: false, reason: 'not part of any TypeScript project tsserver holds', models: [], findings: 0 };
    const analysed = analyses.forFile(file);
    if (!analysed) return { analysed: false, reason: analyses.skipReason(file), models: [], findings: 0 };
    return {
      analysed: true,
      models: analysed.analysis.models.map(({ model }) => ({ name: model.name, layers: model.layers.length })),
      findings: analysed.findings.length,
    };
  }));
}
