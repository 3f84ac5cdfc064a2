/** SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. */
import { docsUrl, RULE_IDS, RULES, type Finding, type Severity } from '../../core/findings';
import type { Positions } from './json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export interface SarifFile {
  path: string;
  lines?: Positions;
  findings: Finding[];
  error?: string;
}

function region(span: { start: number; end: number }, lines: Positions) {
  const start = lines.positionAt(span.start);
  const end = lines.positionAt(span.end);
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** Notebook findings name their cell (regions count lines within it). */
function cellPrefix(finding: Finding, file: SarifFile): string {
  const cell = file.lines?.positionAt(finding.span.start).cell;
  return cell === undefined ? '' : `cell ${cell + 1}: `;
}

function cellProperty(finding: Finding, file: SarifFile) {
  const cell = file.lines?.positionAt(finding.span.start).cell;
  return cell === undefined ? {} : { properties: { cell } };
}

export function toSarif(files: SarifFile[], version: string): object {
  const uri = (path: string) => path.split('\\').join('/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'InitLint',
            version,
            informationUri: 'https://github.com/initlint/initlint',
            rules: RULE_IDS.map((id) => ({
              id,
              shortDescription: { text: RULES[id].summary },
              helpUri: docsUrl(id),
              defaultConfiguration: { level: LEVEL[RULES[id].defaultSeverity] },
            })),
          },
        },
        results: files.flatMap((file) =>
          file.findings.map((finding) => ({
            ruleId: finding.rule,
            ruleIndex: RULE_IDS.indexOf(finding.rule),
            level: LEVEL[finding.severity],
            message: { text: cellPrefix(finding, file) + finding.message },
            ...cellProperty(finding, file),
            locations: [{ physicalLocation: { artifactLocation: { uri: uri(file.path) }, region: region(finding.span, file.lines!) } }],
            fixes: finding.fixes.map((fix) => ({
              description: { text: fix.title },
              artifactChanges: [
                {
                  artifactLocation: { uri: uri(file.path) },
                  replacements: fix.edits.map((edit) => ({
                    deletedRegion: region(edit.span, file.lines!),
                    insertedContent: { text: edit.newText },
                  })),
                },
              ],
            })),
          })),
        ),
        invocations: [
          {
            executionSuccessful: files.every((file) => !file.error),
            toolExecutionNotifications: files
              .filter((file) => file.error)
              .map((file) => ({ level: 'error', message: { text: `${file.path}: ${file.error}` } })),
          },
        ],
      },
    ],
  };
}
