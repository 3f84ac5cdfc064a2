/**
 * Dotted paths the front ends build while resolving names (`layers.Dense` → `keras.layers.Dense`).
 * `receiver.member`, one string per pair: a file builds the same few paths (`@tensorflow/tfjs.layers.dense`)
 * thousands of times, and a shared string is hashed once, where a new one is hashed at every lookup.
 */
export function memberPath(receiver: string, member: string): string {
  let members = memberPaths.get(receiver);
  if (!members) {
    if (memberPaths.size > 10_000) memberPaths.clear();
    memberPaths.set(receiver, (members = new Map()));
  }
  let path = members.get(member);
  if (path === undefined) {
    path = `${receiver}.${member}`;
    if (members.size < 10_000) members.set(member, path);
  }
  return path;
}

const memberPaths = new Map<string, Map<string, string>>();
