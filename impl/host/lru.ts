// The host's one eviction: bounded memories of Alice's own traffic keep their newest items and
// forget the oldest (HOST.md rule 8 bounds every table; these are Alice's own choices, not a
// peer's, so the oldest is simply forgotten). Per-entry maps bounded by
// CONNECTIONS_PER_ENTRY_MAX are least recently set first out; the per-entry list of sent
// packets bounded by SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX is first in, first out.

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

/** Appends `item` as the newest, then forgets the oldest items past `max`. */
export function pushNewest<T>(list: T[], item: T, max: number): void {
  list.push(item);
  while (list.length > max) list.shift();
}
