"use client";

import { useCallback, useMemo, useSyncExternalStore } from "react";

const EVENT = "daxboard-local-storage";

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

// A JSON value kept in localStorage (shared by every tab). The server render uses `fallback`, so hydration agrees.
export function useLocalStorage<T>(key: string, fallback: T): [T, (value: T | ((old: T) => T)) => void] {
  const raw = useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );
  const value = useMemo(() => {
    if (raw === null) return fallback;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return fallback; // corrupt storage: keep the fallback
    }
  }, [raw, fallback]);
  const update = useCallback(
    (next: T | ((old: T) => T)) => {
      const current = read(key);
      const old = current === null ? fallback : (JSON.parse(current) as T);
      const resolved = typeof next === "function" ? (next as (old: T) => T)(old) : next;
      try {
        localStorage.setItem(key, JSON.stringify(resolved));
      } catch {
        // storage full or disabled: nothing to persist to
      }
      window.dispatchEvent(new Event(EVENT));
    },
    [key, fallback],
  );
  return [value, update];
}
