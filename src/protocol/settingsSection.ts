/**
 * The `initlint.*` settings section exactly as package.json declares it (contributes.configuration) and as
 * the extension sends it to the language server (workspace/configuration) and to the tsserver plugin
 * (configurePlugin). Both read it with `readEditorSettings` (./settings.ts); `null` means "not set here,
 * let the project's pyproject.toml / package.json decide".
 */
import type { RuleSetting } from '../core/config';
import type { RuleId } from '../core/findings';
import type { BackendPreference } from './panel';

export type TraceSetting = 'off' | 'messages' | 'verbose';

export interface SettingsSection {
  enable: boolean;
  threshold: number | null;
  rules: Partial<Record<RuleId, RuleSetting>>;
  frameworkVersion: { keras?: string; tfjs?: string } | null;
  trace: { server: TraceSetting };
  /** The language server's size cap in characters (issue 16): a larger document gets analysis-incomplete. */
  maxFileChars: number | null;
  /** The variance-check panel's probe: read by the extension only (a host key, see ./settings.ts). */
  varianceCheck: { batch: number; seed: number; draws: number; memoryBudgetMiB: number; backend: BackendPreference; exportFolder: string | null };
}

/** The schema's keys under `initlint.` (a test checks package.json declares exactly these). */
export const SETTINGS_KEYS = [
  'enable', 'threshold', 'rules', 'frameworkVersion', 'trace.server', 'maxFileChars',
  'varianceCheck.batch', 'varianceCheck.seed', 'varianceCheck.draws', 'varianceCheck.memoryBudgetMiB', 'varianceCheck.backend', 'varianceCheck.exportFolder',
] as const;

export const DEFAULT_SETTINGS_SECTION: SettingsSection = {
  enable: true,
  threshold: null,
  rules: {},
  frameworkVersion: null,
  trace: { server: 'off' },
  maxFileChars: null,
  varianceCheck: { batch: 128, seed: 0, draws: 8, memoryBudgetMiB: 512, backend: 'auto', exportFolder: null },
};
