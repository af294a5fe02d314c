// The panel's results as generations (lists of item ids, newest first). Pure: unit-tested.

/** A new generation goes in front; the panel keeps at most `max` images. */
export function addGroup(groups: readonly string[][], fresh: readonly string[], max: number): string[][] {
  const seen = new Set(fresh);
  const out: string[][] = [[...fresh]];
  let count = fresh.length;
  for (const group of groups) {
    const rest = group.filter((id) => !seen.has(id)).slice(0, Math.max(0, max - count));
    if (rest.length) out.push(rest);
    count += rest.length;
  }
  return out;
}

/** The restored page's results, split into generations by its saved group sizes (one group when absent). */
export function restoredGroups(
  state: { resultIds: readonly string[]; resultGroups?: readonly number[] } | undefined,
  max: number,
): string[][] {
  const ids = state?.resultIds.slice(0, max) ?? [];
  const sizes = state?.resultGroups ?? [ids.length];
  const out: string[][] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= ids.length) break;
    out.push(ids.slice(at, at + size));
    at += size;
  }
  if (at < ids.length) out.push(ids.slice(at));
  return out.filter((g) => g.length > 0);
}
