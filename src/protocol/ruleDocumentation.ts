/**
 * Links to a rule's documentation that open the page bundled with InitLint, not a web page: in VS Code a
 * `command:` link to "InitLint: Show Rule Documentation" (the Markdown preview of docs/rules/<rule>.md), which
 * the Problems panel, the F8 widget and hovers open, and a `file:` link for other editors.
 */
import type { RuleId } from '../core/findings';

export const SHOW_RULE_DOCUMENTATION_COMMAND = 'initlint.showRuleDocumentation';

/** `initializationOptions.ruleDocumentation` of the language server: which kind of link its diagnostics and hovers carry. */
export type RuleDocumentationLinks = 'command' | 'file';

/** `command:initlint.showRuleDocumentation?["<rule>"]`: the command's arguments as URI-encoded JSON. */
export function ruleDocumentationCommandUri(rule: RuleId): string {
  return `command:${SHOW_RULE_DOCUMENTATION_COMMAND}?${encodeURIComponent(JSON.stringify([rule]))}`;
}
