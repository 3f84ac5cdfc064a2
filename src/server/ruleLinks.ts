/**
 * The documentation link of each rule in this server's diagnostics (`codeDescription`) and hovers, chosen
 * once per server process at `initialize`: VS Code's extension asks for `command:` links, which open the
 * bundled page in its Markdown preview; any other client gets the page shipped with the package (a `file:`
 * URI) when the server runs from it, else the public URL.
 */
import { docsUrl, type RuleId } from '../core/findings';
import { ruleDocsLink } from '../project/ruleDocs';
import { ruleDocumentationCommandUri, type RuleDocumentationLinks } from '../protocol/ruleDocumentation';

let link: (rule: RuleId) => string = docsUrl;

/** Reads `initializationOptions.ruleDocumentation` ('command' | 'file'; anything else: 'file'). */
export function configureRuleLinks(initializationOptions: unknown): void {
  const wanted = (initializationOptions as { ruleDocumentation?: RuleDocumentationLinks } | null | undefined)?.ruleDocumentation;
  link = wanted === 'command' ? ruleDocumentationCommandUri : ruleDocsLink(__dirname);
}

export function ruleLink(rule: RuleId): string {
  return link(rule);
}
