/**
 * The rule pages shipped with InitLint (docs/rules/<rule>.md): next to dist/ in the npm package, the .vsix and
 * a checkout, and two folders above the tsserver plugin's own (node_modules/initlint-tsserver-plugin/ in the
 * .vsix). Hosts link a rule to its page here, as a `file:` URI, and to the public page only when none is found.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsUrl, type RuleId } from '../core/findings';

/** docs/rules in `from`'s parent or grandparent folder (`from`: the running bundle's folder). */
export function bundledRuleDocs(from: string): string | undefined {
  for (const folder of [join(from, '..', 'docs', 'rules'), join(from, '..', '..', 'docs', 'rules')]) {
    if (existsSync(join(folder, 'symmetric-init.md'))) return folder;
  }
  return undefined;
}

/** A rule's page as a `file:` URI when the bundle has its docs beside it, else the public page. */
export function ruleDocsLink(from: string): (rule: RuleId) => string {
  const docs = bundledRuleDocs(from);
  return docs ? (rule) => pathToFileURL(join(docs, `${rule}.md`)).href : docsUrl;
}
