/**
 * Hover on a layer's initializer or activation argument (or on a flagged layer's callee): the numbers of
 * src/project/hoverText.ts (shared with the tsserver plugin's quick info), placed on the hovered document.
 */
import type { Hover, Position } from 'vscode-languageserver/node';
import { layerHoverAt } from '../project/hoverText';
import type { DocumentAnalysis } from './documentAnalyses';
import { ruleLink } from './ruleLinks';

/** `uri`: the document hovered (for a notebook, one of its cells). */
export function hoverAt(document: DocumentAnalysis, uri: string, position: Position): Hover | null {
  const analysis = document.analysis;
  if (!analysis) return null;
  const offset = document.map.offsetAt(uri, position);
  if (offset === undefined) return null;
  const hover = layerHoverAt(analysis, document.config, offset, ruleLink);
  if (!hover) return null;
  const located = document.map.locateExactly(hover.span);
  return { contents: { kind: 'markdown', value: hover.markdown }, range: located?.uri === uri ? located.range : undefined };
}
