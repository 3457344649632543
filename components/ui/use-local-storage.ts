"use client";

import { useCallback, useEffect, useState } from "react";

// State mirrored to localStorage. It starts from `fallback` and reads storage after mount, so the server render
// and the first client render agree (no hydration mismatch).
export function useLocalStorage<T>(key: string, fallback: T): [T, (value: T | ((old: T) => T)) => void] {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    try {
      const raw = localStorage.getItem(key);
      if (raw !== null) setValue(JSON.parse(raw) as T);
    } catch {
      // unreadable or corrupt storage: keep the fallback
    }
  }, [key]);
  const update = useCallback(
    (next: T | ((old: T) => T)) => {
      setValue((old) => {
        const resolved = typeof next === "function" ? (next as (old: T) => T)(old) : next;
        try {
          localStorage.setItem(key, JSON.stringify(resolved));
        } catch {
          // storage full or disabled: the choice lasts for this page only
        }
        return resolved;
      });
    },
    [key],
  );
  return [value, update];
}
