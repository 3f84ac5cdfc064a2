/** Source text of any supported file → extraction → core analysis. What every host calls for a whole file. */
import { analyzeExtracted, type FileAnalysis } from '../core/analyze';
import { DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import type { ExtractedFile } from '../core/ir';
import { extractSource } from '../frontends';

export interface SourceAnalysis extends FileAnalysis {
  extracted: ExtractedFile;
}

export function analyzeSource(text: string, fileName: string, config: InitLintConfig = DEFAULT_CONFIG): SourceAnalysis {
  const extracted = extractSource(text, fileName);
  return { ...analyzeExtracted(text, extracted, config), extracted };
}
