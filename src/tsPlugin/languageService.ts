/**
 * The decorated language service: a Proxy that replaces only the hooks InitLint serves. Every hook
 * computes TypeScript's own answer first and returns it untouched if anything of ours fails.
 */
import type * as ts from 'typescript';
import { fixAllEdits, preferredFixes } from '../project/fixAllEdits';
import { layerHoverAt } from '../project/hoverText';
import { ruleDocsLink } from '../project/ruleDocs';
import { combinedChanges, FIX_ALL_ID, INITLINT_CODES, ruleOfCode, toCodeFixes, toDiagnostic } from './convert';
import type { FileAnalyses } from './fileAnalyses';

/** Marks a decorated service, so a second `create` (plugin loaded twice) returns it as is. */
const DECORATED = Symbol.for('initlint.decoratedLanguageService');

type Hooks = Pick<ts.LanguageService, 'getSemanticDiagnostics' | 'getSuggestionDiagnostics' | 'getCodeFixesAtPosition' | 'getSupportedCodeFixes' | 'getCombinedCodeFix' | 'getQuickInfoAtPosition'>;

export function decorateLanguageService(
  typescript: typeof ts,
  inner: ts.LanguageService,
  analyses: FileAnalyses,
  log: (message: string) => void,
): ts.LanguageService {
  if ((inner as unknown as Record<symbol, unknown>)[DECORATED]) return inner;
  // Rule ids in the hover link to the pages shipped with the plugin (the .vsix, the npm package).
  const ruleLink = ruleDocsLink(__dirname);

  /** Runs our part; on failure logs it and returns TypeScript's result. */
  const guarded = <T>(hook: string, fileName: string, original: T, ours: () => T): T => {
    try {
      return ours();
    } catch (error) {
      log(`${hook} failed on ${fileName}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return original;
    }
  };

  const hooks: Hooks = {
    getSemanticDiagnostics(fileName) {
      const diagnostics = inner.getSemanticDiagnostics(fileName);
      return guarded('getSemanticDiagnostics', fileName, diagnostics, () => {
        const findings = analyses.shownFindings(fileName);
        const sourceFile = findings && inner.getProgram()?.getSourceFile(fileName);
        const shown = findings?.filter((finding) => finding.severity !== 'hint');
        if (!shown?.length || !sourceFile) return diagnostics;
        return [...diagnostics, ...shown.map((finding) => toDiagnostic(typescript, sourceFile, finding))];
      });
    },

    // Hints travel as tsserver suggestions (editors draw them as faint dots, never in the problem list).
    getSuggestionDiagnostics(fileName) {
      const diagnostics = inner.getSuggestionDiagnostics(fileName);
      return guarded('getSuggestionDiagnostics', fileName, diagnostics, () => {
        const findings = analyses.shownFindings(fileName);
        const sourceFile = findings && inner.getProgram()?.getSourceFile(fileName);
        const hints = findings?.filter((finding) => finding.severity === 'hint');
        if (!hints?.length || !sourceFile) return diagnostics;
        return [...diagnostics, ...hints.map((finding) => toDiagnostic(typescript, sourceFile, finding) as ts.DiagnosticWithLocation)];
      });
    },

    getCodeFixesAtPosition(fileName, start, end, errorCodes, formatOptions, preferences) {
      const fixes = inner.getCodeFixesAtPosition(fileName, start, end, errorCodes, formatOptions, preferences);
      const rules = new Set(errorCodes.map(ruleOfCode).filter((rule) => rule !== undefined));
      if (rules.size === 0) return fixes;
      return guarded('getCodeFixesAtPosition', fileName, fixes, () => {
        const file = analyses.forFile(fileName);
        if (!file) return fixes;
        const inRange = file.findings.filter((finding) => rules.has(finding.rule) && finding.span.start <= end && start <= finding.span.end);
        return [...fixes, ...inRange.flatMap((finding) => toCodeFixes(fileName, finding, file.lines))];
      });
    },

    // The hover: TypeScript's own quick info, then InitLint's numbers (src/project/hoverText.ts, as in Python).
    getQuickInfoAtPosition(fileName, position, ...rest) {
      const info = inner.getQuickInfoAtPosition(fileName, position, ...rest);
      return guarded('getQuickInfoAtPosition', fileName, info, () => {
        const file = analyses.forFile(fileName);
        const hover = file && layerHoverAt(file.analysis, file.config, position, ruleLink);
        if (!hover) return info;
        const ours: ts.SymbolDisplayPart = { kind: 'text', text: hover.markdown };
        if (!info) {
          const textSpan = { start: hover.span.start, length: hover.span.end - hover.span.start };
          return { kind: typescript.ScriptElementKind.unknown, kindModifiers: '', textSpan, displayParts: [], documentation: [ours] };
        }
        const separator: ts.SymbolDisplayPart[] = info.documentation?.length ? [{ kind: 'lineBreak', text: '\n\n' }] : [];
        return { ...info, documentation: [...(info.documentation ?? []), ...separator, ours] };
      });
    },

    getSupportedCodeFixes(fileName) {
      const codes = inner.getSupportedCodeFixes(fileName);
      return guarded('getSupportedCodeFixes', fileName ?? '', codes, () => [...codes, ...INITLINT_CODES.map(String)]);
    },

    getCombinedCodeFix(scope, fixId, formatOptions, preferences) {
      if (fixId !== FIX_ALL_ID) return inner.getCombinedCodeFix(scope, fixId, formatOptions, preferences);
      const empty: ts.CombinedCodeActions = { changes: [] };
      return guarded('getCombinedCodeFix', scope.fileName, empty, () => {
        const file = analyses.forFile(scope.fileName);
        if (!file) return empty;
        return combinedChanges(scope.fileName, fixAllEdits(preferredFixes(file.findings)));
      });
    },
  };

  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === DECORATED) return true;
      if (typeof property === 'string' && Object.hasOwn(hooks, property)) return hooks[property as keyof Hooks];
      return Reflect.get(target, property, receiver);
    },
  });
}
