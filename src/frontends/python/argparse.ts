/**
 * Command-line options (`argparse`): scripts size their models from them (`--hidden 256`, `args.latent_dim`).
 * A value given on the command line is unknown here, but the default each option declares is what the script
 * runs with when none is given, so it is read, and a number read from it is marked assumed (`ArgValue.assumed`):
 * a width taken from `default=256` is never presented as written. Options without a default stay unknown.
 */
import type { CallSite } from '../../core/ir';
import { lastSegment } from './operations';
import { NONE, UNKNOWN, type CallArgs, type PyValue } from './values';

/** The options each `ArgumentParser()` has declared so far, by the call that made it (groups share it). */
const optionsByParser = new WeakMap<CallSite, Map<string, PyValue>>();

/** `parser.add_argument(…)`, `set_defaults`, `parse_args()`: undefined when `object` is no argument parser. */
export function argumentParserMethod(object: PyValue, name: string, args: CallArgs): PyValue | undefined {
  if (object.t !== 'call' || lastSegment(object.site.callee) !== 'ArgumentParser') return undefined;
  let options = optionsByParser.get(object.site);
  if (!options) optionsByParser.set(object.site, (options = new Map()));
  switch (name) {
    case 'add_argument': {
      const dest = destinationOf(args);
      if (dest) options.set(dest, defaultOf(args));
      return NONE;
    }
    // A group or a mutually exclusive group adds its options to the parser's namespace.
    case 'add_argument_group':
    case 'add_mutually_exclusive_group':
      return object;
    case 'set_defaults':
      for (const [key, arg] of args.keyword) options.set(key, assumed(arg.value));
      return NONE;
    case 'parse_args':
      return namespaceOf(options);
    case 'parse_known_args':
      return { t: 'list', items: [namespaceOf(options), { t: 'list', items: [], open: true }] };
    default:
      return undefined;
  }
}

function namespaceOf(options: Map<string, PyValue>): PyValue {
  return { t: 'dict', entries: new Map(options), namespace: true };
}

/** `dest=`, else the first long option (`--hidden-size` → `hidden_size`), else the first short one or the positional name. */
function destinationOf(args: CallArgs): string | undefined {
  const dest = args.keyword.get('dest')?.value;
  if (dest?.t === 'str') return dest.v;
  const names = args.positional.map((arg) => arg.value).filter((value): value is Extract<PyValue, { t: 'str' }> => value.t === 'str').map((value) => value.v);
  const chosen = names.find((option) => option.startsWith('--')) ?? names[0];
  return chosen?.replace(/^-+/, '').replace(/-/g, '_') || undefined;
}

/** What the option holds when the command line does not give it. */
function defaultOf(args: CallArgs): PyValue {
  const written = args.keyword.get('default')?.value;
  if (written) return assumed(written);
  const action = args.keyword.get('action')?.value;
  if (action?.t === 'str' && action.v === 'store_true') return { t: 'bool', v: false };
  if (action?.t === 'str' && action.v === 'store_false') return { t: 'bool', v: true };
  return UNKNOWN;
}

function assumed(value: PyValue): PyValue {
  return value.t === 'num' ? { ...value, assumed: true } : value;
}
