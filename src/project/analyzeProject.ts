/**
 * A file analysed with the project modules it imports: what the CLI and the language server call for Python.
 * Findings written in an imported module come back with `file` set and spans of that module's own text.
 */
import { DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import ts from 'typescript';
import { languageOf } from '../frontends';
import { extractTypeScriptProject } from '../frontends/typescript/modules';
import { parseScript } from '../frontends/typescript/fromText';
import { scriptModuleResolver } from './scriptModules';
import { extractPythonProject } from '../frontends/python/modules';
import { analyzeSource, oversizedExtraction, type AnalysisLimits, type SourceAnalysis } from './analyzeSource';
import { analyzeWithin } from './boundedAnalysis';
import { placeFindings } from './crossFile';
import type { FileSegment } from '../frontends/segments';
import { pythonModuleResolver, type ProjectFileReader } from './pythonModules';

/** A file another file's findings were placed in, with the text their offsets count in. */
export interface RelatedFile {
  path: string;
  text: string;
}

export interface ProjectAnalysis extends SourceAnalysis {
  /** The imported modules that were read (findings with `file` name one of them). */
  related: RelatedFile[];
}

/** A file read with its project modules as one text: the analysis in that text's offsets, and where each file lies in it. */
export interface MountedProjectAnalysis {
  /** Models, findings and spans in the mounted text's offsets. */
  analysis: SourceAnalysis;
  /** The analysed file first (wherever it was mounted), then the modules read. */
  segments: FileSegment[];
}

/**
 * The project reading `analyzeProjectSource` places findings from, unplaced: every model the file's code builds,
 * its layers where they are written (`initlint report` locates each through `segments`). Throws only `ExtractionCancelled`.
 */
export function analyzeMountedProject(
  text: string, fileName: string, read: ProjectFileReader, config: InitLintConfig = DEFAULT_CONFIG, limits: AnalysisLimits = {},
): MountedProjectAnalysis {
  if (oversizedExtraction(text, fileName, limits)) return { analysis: analyzeSource(text, fileName, config, limits), segments: [{ path: fileName, start: 0, end: text.length, text }] };
  const project = languageOf(fileName) === 'javascript'
    ? extractTypeScriptProject(ts, fileName, text, scriptModuleResolver(read), (source) => parseScript(source, fileName), limits)
    : extractPythonProject(fileName, text, pythonModuleResolver(read), limits);
  return { analysis: { ...analyzeWithin(project.text, project.extracted, config, limits.deadline), extracted: project.extracted }, segments: project.segments };
}

/** Throws only `ExtractionCancelled`. */
export function analyzeProjectSource(
  text: string, fileName: string, read: ProjectFileReader, config: InitLintConfig = DEFAULT_CONFIG, limits: AnalysisLimits = {},
): ProjectAnalysis {
  return placedProject(analyzeMountedProject(text, fileName, read, config, limits));
}

/** A mounted reading with each finding moved to the file it is written in (`crossFile.ts`), and the modules read. */
export function placedProject({ analysis, segments }: MountedProjectAnalysis): ProjectAnalysis {
  // One segment: the file alone, as read (an HTML page's scripts, its markup blanked; an oversized file's cut).
  if (segments.length === 1) return { ...analysis, related: [] };
  const { start: mainStart, end: mainEnd } = segments[0];
  return {
    ...analysis,
    findings: placeFindings(analysis.findings, segments),
    // Models listed for this file are those it defines (lenses, reports); the others' findings are placed above.
    // (JS/TS files are mounted after their modules: their models' spans are not the file's own offsets then.)
    models: mainStart === 0 ? analysis.models.filter((entry) => entry.model.span.start <= mainEnd) : [],
    related: segments.slice(1).map(({ path, text: moduleText }) => ({ path, text: moduleText })),
  };
}
