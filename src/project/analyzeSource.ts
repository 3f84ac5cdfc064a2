/** Source text of any supported file → extraction → core analysis. What every host calls for a whole file. */
import type { FileAnalysis } from '../core/analyze';
import { DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import type { ExtractedFile } from '../core/ir';
import { analysisText, extractSource, languageOf } from '../frontends';
import { DEFAULT_MAX_FILE_CHARS, sizeCapCut, type WorkLimits } from '../frontends/budget';
import { analyzeWithin } from './boundedAnalysis';

export interface SourceAnalysis extends FileAnalysis {
  extracted: ExtractedFile;
}

export interface AnalysisLimits extends WorkLimits {
  /** Files longer than this many characters are not parsed (default DEFAULT_MAX_FILE_CHARS). */
  maxFileChars?: number;
  /** How the user raises the cap, named in the message (`--max-file-size`). */
  maxFileSetting?: string;
}

/** Throws only `ExtractionCancelled` (when `limits` say the host cancelled). */
export function analyzeSource(text: string, fileName: string, config: InitLintConfig = DEFAULT_CONFIG, limits: AnalysisLimits = {}): SourceAnalysis {
  const extracted = oversizedExtraction(text, fileName, limits) ?? extractSource(text, fileName, limits);
  return { ...analyzeWithin(analysisText(text, fileName), extracted, config, limits.deadline), extracted };
}

/** The empty extraction of a file over the size cap, with the cut that says so; undefined when it is not over. */
export function oversizedExtraction(text: string, fileName: string, limits: AnalysisLimits = {}): ExtractedFile | undefined {
  const cut = sizeCapCut(text.length, limits.maxFileChars ?? DEFAULT_MAX_FILE_CHARS, limits.maxFileSetting ?? 'the max-file-size setting');
  if (!cut) return undefined;
  return {
    language: languageOf(fileName) ?? 'python',
    models: [],
    imports: { bindings: {}, newImportAt: { offset: 0, prefix: '', suffix: '\n' }, extendableImports: {} },
    comments: [],
    syntaxProblems: [],
    cuts: [cut],
  };
}
