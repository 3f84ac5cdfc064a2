/**
 * The documentation link of each rule in this server's diagnostics (`codeDescription`) and hovers, chosen
 * once per server process at `initialize`: VS Code's extension asks for `command:` links, which open the
 * bundled page in its Markdown preview; any other client gets the page shipped with the package (a `file:`
 * URI) when the server runs from it, else the public URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsUrl, type RuleId } from '../core/findings';
import { ruleDocumentationCommandUri, type RuleDocumentationLinks } from '../protocol/ruleDocumentation';

/** docs/rules next to dist/ (the bundled server, the npm package, the .vsix) or next to src/ (running from source). */
function bundledDocs(): string | undefined {
  for (const folder of [join(__dirname, '..', 'docs', 'rules'), join(__dirname, '..', '..', 'docs', 'rules')]) {
    if (existsSync(join(folder, 'symmetric-init.md'))) return folder;
  }
  return undefined;
}

let link: (rule: RuleId) => string = docsUrl;

/** Reads `initializationOptions.ruleDocumentation` ('command' | 'file'; anything else: 'file'). */
export function configureRuleLinks(initializationOptions: unknown): void {
  const wanted = (initializationOptions as { ruleDocumentation?: RuleDocumentationLinks } | null | undefined)?.ruleDocumentation;
  if (wanted === 'command') {
    link = ruleDocumentationCommandUri;
    return;
  }
  const docs = bundledDocs();
  link = docs ? (rule) => pathToFileURL(join(docs, `${rule}.md`)).href : docsUrl;
}

export function ruleLink(rule: RuleId): string {
  return link(rule);
}
