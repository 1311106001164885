// The one eviction the host does: per-entry maps bounded by CONNECTIONS_PER_ENTRY_MAX keep
// their most recently set keys (HOST.md rule 8 bounds every table; these are Alice's own
// choices, not a peer's, so the oldest is simply forgotten).

/** Sets `key` as the newest, then forgets the oldest keys past `max`. */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) return;
    map.delete(oldest.value);
  }
}
