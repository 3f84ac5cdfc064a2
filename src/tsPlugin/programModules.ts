/**
 * A file read with the modules of its program it imports (`import { addBlock } from './layers'`): the module
 * texts are the program's own SourceFiles (what the editor shows, saved or not).
 */
import type * as ts from 'typescript';
import type { InitLintConfig } from '../core/config';
import type { Finding } from '../core/findings';
import type { WorkLimits } from '../frontends/budget';
import { extractTypeScriptProject } from '../frontends/typescript/modules';
import { analyzeWithin } from '../project/boundedAnalysis';
import { placeFindings } from '../project/crossFile';
import { scriptModuleResolver } from '../project/scriptModules';

/** A cheap test that a text may load a project file (`from './x'`, `require('./x')`) and so place findings there. */
export const RELATIVE_IMPORT = /(?:from\s*|require\(\s*)['"]\.\.?\//;

/** Undefined when the file imports no module of the program. Throws only `ExtractionCancelled`. */
export function programProject(
  typescript: typeof ts, info: ts.server.PluginCreateInfo, fileName: string, text: string, config: InitLintConfig, limits: WorkLimits,
): { findings: Finding[]; reads: string[] } | undefined {
  const program = info.languageService.getProgram();
  if (!program || !RELATIVE_IMPORT.test(text)) return undefined;
  const sourceOf = (path: string) => program.getSourceFile(path);
  const resolve = scriptModuleResolver((path) => sourceOf(path)?.text, (path) => !!sourceOf(path));
  // The program's own file names (its spelling of the path), so findings name the files tsserver asks about.
  const resolveInProgram = (importer: string, specifier: string) => {
    const found = resolve(importer, specifier);
    const sourceFile = found && sourceOf(found.path);
    return sourceFile ? { path: sourceFile.fileName, text: sourceFile.text } : undefined;
  };
  const parse = (source: string) => typescript.createSourceFile(fileName, source, typescript.ScriptTarget.Latest, false);
  const project = extractTypeScriptProject(typescript, fileName, text, resolveInProgram, parse, limits);
  if (project.segments.length === 1) return undefined;
  const analysis = analyzeWithin(project.text, project.extracted, config, limits.deadline);
  return { findings: placeFindings(analysis.findings, project.segments), reads: project.segments.slice(1).map((segment) => segment.path) };
}
