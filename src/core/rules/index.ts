/** Every rule, in the order findings are reported. */
import type { DraftFinding, RuleContext } from './context';
import { checkChains } from './chainRules';
import { deadReluBias, recurrentInit, saturatingHe, seluLecun, symmetricInit } from './layerRules';
import { ignoredArgument } from './ignoredArgument';
import { ineffectiveInitializer } from './ineffectiveInitializer';
import { residualGrowth } from './residualGrowth';
import { unknownIdentifier } from './unknownIdentifier';

/**
 * Each check returns draft findings for one or more rules: the chain rules (`relu-glorot-deep`,
 * `activation-gain`, `truncated-variance`, `fixed-scale-init`, `orthogonal-gain`) share one pass because a
 * location belongs to at most one of them.
 */
export const RULE_CHECKS: ((context: RuleContext) => DraftFinding[])[] = [
  unknownIdentifier,
  ignoredArgument,
  symmetricInit,
  checkChains,
  residualGrowth,
  saturatingHe,
  seluLecun,
  deadReluBias,
  recurrentInit,
  ineffectiveInitializer,
];
