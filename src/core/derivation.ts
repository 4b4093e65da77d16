/**
 * How an array of the store's state was derived from the one it replaced, as the update that
 * made it found while validating it (src/store/memory.ts): the range it changed. Lets an index
 * over the old array be checked for the new one in that range only (src/domain/lookup.ts),
 * instead of element by element over a national registry (30,000 assignments) per command.
 */

/**
 * `list[0, start)` are the same elements as `from[0, start)`, and `list[end…]` the same as
 * `from[fromEnd…]` (by identity); what lies between changed.
 */
export type Derivation = { from: readonly unknown[]; start: number; end: number; fromEnd: number };

const derivations = new WeakMap<readonly unknown[], Derivation>();

/** Records how the frozen array `list` was derived (kept while `list` lives). */
export function recordDerivation(list: readonly unknown[], derivation: Derivation): void {
  derivations.set(list, derivation);
}

/**
 * The derivation of `list`, or undefined: an array not made by an update of this process
 * (loaded at open, caught up from another process, built by a test).
 */
export function derivationOf(list: readonly unknown[]): Derivation | undefined {
  return derivations.get(list);
}
