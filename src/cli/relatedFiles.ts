/**
 * Findings a file's analysis placed in the modules it imports (`Finding.file`) are reported with those
 * modules: merged into the module's own entry when it was checked too (each finding once), else in an entry
 * of its own, named relative to the current folder as the files given are.
 */
import { relative, resolve } from 'node:path';
import type { Finding } from '../core/findings';
import { LineIndex } from '../core/text';
import { withPlacedFindings } from '../project/crossFile';
import type { CheckedFile } from './check';

export function placeInFiles(checked: CheckedFile[]): void {
  const byPath = new Map<string, CheckedFile>();
  for (const file of checked) byPath.set(resolve(file.path), file);
  const placed = new Map<CheckedFile, Finding[]>();
  for (const file of [...checked]) {
    const moved = file.findings.filter((finding) => finding.file);
    if (!moved.length) continue;
    file.findings = file.findings.filter((finding) => !finding.file);
    for (const finding of moved) {
      const path = resolve(finding.file!);
      let target = byPath.get(path);
      if (!target) {
        const text = file.related?.find((entry) => resolve(entry.path) === path)?.text;
        if (text === undefined) continue;
        target = { path: relative(process.cwd(), path) || path, lines: new LineIndex(text), findings: [], fixed: 0 };
        byPath.set(path, target);
        checked.push(target);
      }
      if (target.error || !target.lines) continue;
      placed.set(target, [...(placed.get(target) ?? []), finding]);
    }
  }
  for (const [target, findings] of placed) target.findings = withPlacedFindings(target.findings, findings);
}
