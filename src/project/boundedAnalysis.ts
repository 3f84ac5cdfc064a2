/**
 * The core's analysis of an extraction within a deadline, with the front end's cuts as `analysis-incomplete`
 * findings. Past CHUNK models (thousands made by one `Array.from`), models are analysed a chunk at a time and
 * the deadline is checked between chunks: the models not reached are a cut of their own.
 */
import { analyzeExtracted, type FileAnalysis } from '../core/analyze';
import type { InitLintConfig } from '../core/config';
import type { Finding } from '../core/findings';
import { withIncompleteFindings } from '../core/incomplete';
import type { ExtractedFile } from '../core/ir';
import type { ModelMemo } from '../core/modelMemo';

/** Models analysed between two looks at the clock. */
const CHUNK = 64;

/** `deadline`: a `performance.now()` value. A memo (the language server's) is only used unchunked. */
export function analyzeWithin(text: string, extracted: ExtractedFile, config: InitLintConfig, deadline?: number, memo?: ModelMemo): FileAnalysis {
  if (deadline === undefined || memo || extracted.models.length <= CHUNK) {
    return withIncompleteFindings(analyzeExtracted(text, extracted, config, memo), text, extracted, config);
  }
  const merged: FileAnalysis = { ...analyzeExtracted(text, { ...extracted, models: [] }, config), findings: [] };
  const seen = new Set<string>();
  let cuts = extracted.cuts ?? [];
  for (let start = 0; start < extracted.models.length; start += CHUNK) {
    // The first chunk always runs: a budget spent by the front end still leaves the file's first models checked.
    if (start > 0 && performance.now() > deadline) {
      const next = extracted.models[start];
      cuts = [...cuts, { span: next.span, reason: `the time budget ran out before the last ${extracted.models.length - start} of the file's ${extracted.models.length} models were checked` }];
      break;
    }
    const part = analyzeExtracted(text, { ...extracted, models: extracted.models.slice(start, start + CHUNK) }, config);
    merged.models.push(...part.models);
    merged.internalErrors.push(...part.internalErrors);
    merged.suppressedCount += part.suppressedCount;
    // Across chunks, as the core does across models: one location is reported once.
    for (const finding of part.findings) if (firstTime(seen, finding)) merged.findings.push(finding);
  }
  merged.findings.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return withIncompleteFindings(merged, text, { ...extracted, cuts }, config);
}

function firstTime(seen: Set<string>, finding: Finding): boolean {
  const key = `${finding.rule}:${finding.span.start}:${finding.span.end}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
