// A bounded memory of a pure function of text, for the judges' hot lookups (an address's
// scope, an address's canonical form): a run names few distinct texts and asks about them
// thousands of times. Past `max` texts it forgets them all and starts again (no order to keep:
// anything forgotten is computed again, to the same value).

/** `f`, remembered for up to `max` distinct texts. */
export function memoized<V>(f: (text: string) => V, max: number): (text: string) => V {
  const memory = new Map<string, V>();
  return (text) => {
    let value = memory.get(text);
    if (value === undefined && !memory.has(text)) {
      value = f(text);
      if (memory.size >= max) memory.clear();
      memory.set(text, value);
    }
    return value as V;
  };
}
