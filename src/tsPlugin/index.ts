/**
 * InitLint's TypeScript language-service plugin (tsserver loads it by package name, from tsconfig.json
 * `compilerOptions.plugins` or an editor's `typescriptServerPlugins`). It uses the TypeScript instance
 * tsserver injects, never its own, and never imports vscode.
 */
import type * as ts from 'typescript';
import { INITLINT_CODES } from './convert';
import { FileAnalyses } from './fileAnalyses';
import { registerEditorRequests } from './editorRequests';
import { decorateLanguageService } from './languageService';
import { PluginSettings } from './settings';

/** Internal TypeScript API, present in every 5.x runtime but absent from the public typings. */
interface CodeFixRegistry {
  codefix?: { registerCodeFix?(registration: { errorCodes: readonly number[]; getCodeActions(): undefined }): void };
}

/**
 * VS Code asks tsserver for the supported fix codes without a file, which reaches TypeScript's global
 * registry rather than any language service: register our codes there too (the tslint plugin does the
 * same), or VS Code never requests our fixes.
 */
function registerCodesGlobally(typescript: typeof ts): void {
  const registry = typescript as unknown as CodeFixRegistry;
  if (INITLINT_CODES.every((code) => typescript.getSupportedCodeFixes().includes(String(code)))) return;
  registry.codefix?.registerCodeFix?.({ errorCodes: INITLINT_CODES, getCodeActions: () => undefined });
}

function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const typescript = modules.typescript;
  const settings = new PluginSettings();
  const projects = new Set<FileAnalyses>();
  let registrationError: unknown;
  try {
    registerCodesGlobally(typescript);
  } catch (error) {
    registrationError = error;
  }

  return {
    create(info) {
      const logger = info.project.projectService.logger;
      const log = (message: string) => logger.info(`[initlint] ${message}`);
      try {
        if (registrationError) log(`could not register fix codes globally: ${String(registrationError)}`);
        const analyses = new FileAnalyses(typescript, info, settings, log);
        projects.add(analyses);
        registerEditorRequests(typescript, info.session, () => projects, log);
        log(`loaded for ${info.project.getProjectName()}`);
        return decorateLanguageService(typescript, info.languageService, analyses, log);
      } catch (error) {
        log(`not loaded: ${error instanceof Error ? error.stack : String(error)}`);
        return info.languageService;
      }
    },
    onConfigurationChanged(config: unknown) {
      settings.update(config);
      for (const analyses of projects) analyses.clear();
    },
  };
}

export = init;
