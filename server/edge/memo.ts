/**
 * Remembers `make(key)` for at most `max` distinct keys, then starts over: a flood of new keys costs only misses,
 * never memory. For pure functions of a string the edge asks about again and again (a client's address, a caller's
 * secret).
 */
export function boundedMemo<V>(max: number, make: (key: string) => V): (key: string) => V {
  const entries = new Map<string, V>();
  return (key) => {
    let value = entries.get(key);
    if (value === undefined) {
      value = make(key);
      if (entries.size >= max) entries.clear();
      entries.set(key, value);
    }
    return value;
  };
}
