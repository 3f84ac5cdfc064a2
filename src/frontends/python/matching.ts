/**
 * `match` statements (PEP 634) over the values the interpreter knows. Literal, value (`Color.RED`),
 * capture, wildcard, `|`, `as` and parenthesised patterns are decided where the subject is known; sequence,
 * mapping and class patterns never are. As for `if`, the first case not known to fail runs (the code as
 * written), so `def pick_init(kind): match kind: …` returns what its matching case returns.
 */
import type { SyntaxNode } from '@lezer/common';
import { attribute, equal, unaryOperation } from './operations';
import type { Runtime } from './runtime';
import { childrenOf, isPunctuation } from './syntax';
import { truthiness, type PyValue, type Scope } from './values';

/** The body of the case that runs, or undefined when every case is known to fail. */
export function chosenCase(rt: Runtime, statement: SyntaxNode, scope: Scope): SyntaxNode | undefined {
  const parts = childrenOf(statement);
  const subjectParts = parts.slice(1, -1).filter((part) => !isPunctuation(part));
  const subject: PyValue = subjectParts.length === 1
    ? rt.evaluate(subjectParts[0], scope)
    : { t: 'list', items: subjectParts.map((part) => rt.evaluate(part, scope)) };
  const body = statement.getChild('MatchBody');
  for (const clause of body ? body.getChildren('MatchClause') : []) {
    const pattern = childrenOf(clause).find((part) => part.name.endsWith('Pattern'));
    let applies = pattern ? matches(rt, pattern, subject, scope) : undefined;
    const guard = clause.getChild('Guard')?.lastChild;
    if (applies !== false && guard) applies = combine(applies, truthiness(rt.evaluate(guard, scope)));
    if (applies !== false) return clause.getChild('Body') ?? undefined;
  }
  return undefined;
}

/** Whether `pattern` matches `subject`: true, false, or undefined when it cannot be known. Binds captures. */
function matches(rt: Runtime, pattern: SyntaxNode, subject: PyValue, scope: Scope): boolean | undefined {
  const inner = childrenOf(pattern).filter((part) => !isPunctuation(part) && part.name !== 'LogicOp' && part.name !== 'as');
  switch (pattern.name) {
    case 'CapturePattern': {
      const name = rt.source.slice(pattern);
      if (name !== '_') scope.set(name, subject);
      return true;
    }
    case 'LiteralPattern':
      return equal(subject, literal(rt, pattern, scope));
    case 'AttributePattern':
      return equal(subject, dotted(rt, pattern, scope));
    case 'OrPattern': {
      let outcome: boolean | undefined = false;
      for (const alternative of inner) {
        const matched = matches(rt, alternative, subject, scope);
        if (matched) return true;
        if (matched === undefined) outcome = undefined;
      }
      return outcome;
    }
    case 'AsPattern': {
      const [alternative, name] = inner;
      const matched = alternative ? matches(rt, alternative, subject, scope) : undefined;
      if (matched !== false && name?.name === 'VariableName') scope.set(rt.source.slice(name), subject);
      return matched;
    }
    case 'SequencePattern': {
      // `(1 | 2)` is a group, not a sequence.
      const grouped = pattern.firstChild?.name === '(' && inner.length === 1 && !pattern.getChild(',');
      return grouped ? matches(rt, inner[0], subject, scope) : undefined;
    }
    default:
      return undefined;
  }
}

/** `"relu"`, `3`, `None`, `-1`. */
function literal(rt: Runtime, pattern: SyntaxNode, scope: Scope): PyValue {
  const [first, second] = childrenOf(pattern);
  if (first?.name === 'ArithOp' && second) return unaryOperation(rt.source.slice(first), rt.evaluate(second, scope));
  return first && !second ? rt.evaluate(first, scope) : { t: 'unknown' };
}

/** `Color.RED`: a name and its attributes. */
function dotted(rt: Runtime, pattern: SyntaxNode, scope: Scope): PyValue {
  let value: PyValue = { t: 'unknown' };
  for (const part of childrenOf(pattern)) {
    if (part.name === 'VariableName') value = rt.evaluate(part, scope);
    else if (part.name === 'PropertyName') value = attribute(value, rt.source.slice(part));
  }
  return value;
}

function combine(pattern: boolean | undefined, guard: boolean | undefined): boolean | undefined {
  if (pattern === false || guard === false) return false;
  return pattern && guard ? true : undefined;
}
