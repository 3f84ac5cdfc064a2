/**
 * A Python document read with the workspace modules it imports (`from blocks import conv_block`): the
 * modules' texts come from open documents first, else from disk. Only documents whose imports name a module
 * of the workspace are read so (the others keep the incremental single-file path).
 */
import type { FileAnalysis } from '../core/analyze';
import type { InitLintConfig } from '../core/config';
import type { Finding } from '../core/findings';
import type { ExtractedFile } from '../core/ir';
import { DEFAULT_MAX_FILE_CHARS, type WorkLimits } from '../frontends/budget';
import { extractPythonProject, type FileSegment } from '../frontends/python/modules';
import { analyzeWithin } from '../project/boundedAnalysis';
import type { RelatedFile } from '../project/analyzeProject';
import { placeFindings } from '../project/crossFile';
import { readRegularFile } from '../project/fileAccess';
import { pythonModuleResolver } from '../project/pythonModules';

export interface ProjectRead {
  extracted: ExtractedFile;
  /** Paths of the modules read. */
  reads: string[];
  /** Their texts as read (what the offsets of findings placed in them count in). */
  related: RelatedFile[];
  analyze(config: InitLintConfig): FileAnalysis;
  /** The analysis's findings placed in imported modules (each with `file`). */
  placedElsewhere(analysis: FileAnalysis): Finding[];
  /** The analysis restricted to the document: its own findings and models. */
  ownPart(analysis: FileAnalysis): FileAnalysis;
}

/** `from x import`, `import x`: a first look, so documents without such lines cost nothing more. */
const IMPORT_LINE = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import|import[ \t]+([\w.]+))/gm;

/** Undefined when no import of the document names a workspace module. Throws only `ExtractionCancelled`. */
export function projectExtraction(path: string, text: string, openText: (path: string) => string | undefined, limits: WorkLimits): ProjectRead | undefined {
  const read = (modulePath: string) => openText(modulePath) ?? readFromDisk(modulePath);
  const resolve = pythonModuleResolver(read);
  if (!namesWorkspaceModule(path, text, resolve)) return undefined;
  const project = extractPythonProject(path, text, resolve, limits);
  const mainEnd = project.segments[0].end;
  const segments: readonly FileSegment[] = project.segments;
  return {
    extracted: project.extracted,
    reads: segments.slice(1).map((segment) => segment.path),
    related: segments.slice(1).map(({ path: modulePath, text: moduleText }) => ({ path: modulePath, text: moduleText })),
    analyze: (config) => {
      const analysis = analyzeWithin(project.text, project.extracted, config);
      return { ...analysis, findings: placeFindings(analysis.findings, segments) };
    },
    placedElsewhere: (analysis) => analysis.findings.filter((finding) => finding.file),
    ownPart: (analysis) => ({
      ...analysis,
      findings: analysis.findings.filter((finding) => !finding.file),
      models: analysis.models.filter((entry) => entry.model.span.start <= mainEnd),
    }),
  };
}

function namesWorkspaceModule(path: string, text: string, resolve: ReturnType<typeof pythonModuleResolver>): boolean {
  for (const match of text.matchAll(IMPORT_LINE)) {
    const written = match[1] ?? match[2] ?? '';
    const level = written.length - written.replace(/^\.+/, '').length;
    const module = written.slice(level);
    if (resolve(path, module, level)) return true;
  }
  return false;
}

function readFromDisk(path: string): string | undefined {
  try {
    const text = readRegularFile(path).toString('utf8');
    return text.length <= DEFAULT_MAX_FILE_CHARS ? text : undefined;
  } catch {
    return undefined;
  }
}
