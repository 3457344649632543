import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type pg from "pg";
import { getPool } from "../db";
import { RetryLaterError } from "../api/retry-later";
import { sha256Hex } from "./password";

// Failed password (and setup-code) attempts, counted in PostgreSQL so every app instance shares them (issue 12).
// Per account: 10 failures a minute; per address: 50 (an office behind one NAT shares it). The attempt that uses
// the last point blocks the key, for 1 minute the first time and twice as long at each further block within a
// day, up to 15 minutes.
export const LOGIN_LIMITS = {
  account: { points: 10, duration: 60 },
  address: { points: 50, duration: 60 },
  blockBaseSeconds: 60,
  blockMaxSeconds: 15 * 60,
  strikeMemorySeconds: 24 * 3600,
};

export type ThrottleScope = "account" | "address";
export type ThrottleKey = { scope: ThrottleScope; id: string };
export type Block = ThrottleKey & { seconds: number };

type Limiters = { pool: pg.Pool; counters: Record<ThrottleScope, RateLimiterPostgres>; strikes: RateLimiterPostgres };

const holder = globalThis as unknown as { __daxboardLoginLimiters?: Limiters };

function limiter(pool: pg.Pool, keyPrefix: string, points: number, duration: number) {
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: "rate_limit",
    tableCreated: true,
    keyPrefix,
    points,
    duration,
  });
}

// One set per connection pool (tests close and reopen the pool between files).
export function loginLimiters(): Limiters {
  const pool = getPool();
  if (holder.__daxboardLoginLimiters?.pool !== pool) {
    holder.__daxboardLoginLimiters = {
      pool,
      counters: {
        account: limiter(pool, "login-account", LOGIN_LIMITS.account.points, LOGIN_LIMITS.account.duration),
        address: limiter(pool, "login-address", LOGIN_LIMITS.address.points, LOGIN_LIMITS.address.duration),
      },
      strikes: limiter(pool, "login-strikes", 1_000_000, LOGIN_LIMITS.strikeMemorySeconds),
    };
  }
  return holder.__daxboardLoginLimiters;
}

// Stored keys are hashes: the table holds no email address, and a 254-character address still fits varchar(255).
export const storedKey = (key: ThrottleKey) => sha256Hex(`${key.scope}:${key.id.toLowerCase()}`);

export class LoginThrottledError extends RetryLaterError {
  constructor(
    readonly key: ThrottleKey,
    retryAfterSeconds: number,
  ) {
    const what = key.scope === "account" ? "this account" : "your address";
    super(
      "throttled",
      `Too many failed attempts for ${what}; try again in ${retryAfterSeconds} s.`,
      429,
      retryAfterSeconds,
    );
  }
}

export type Attempt = {
  // The password was right: give the points back and forget the account's failures.
  succeeded(): Promise<void>;
  // The password was wrong: the points stay; returns the blocks this failure imposed (for the audit log).
  failed(): Promise<Block[]>;
  // The password could not be checked (server busy): the attempt does not count.
  cancel(): Promise<void>;
};

const isLimitResult = (value: unknown): value is RateLimiterRes => value instanceof RateLimiterRes;

// Takes one point from every key before the password is checked, so concurrent guesses cannot all slip past a
// check-then-count; an exhausted key refuses the attempt whatever the password.
export async function beginAttempt(keys: ThrottleKey[]): Promise<Attempt> {
  const { counters, strikes } = loginLimiters();
  const taken: Array<{ key: ThrottleKey; res: RateLimiterRes }> = [];
  for (const key of keys) {
    try {
      taken.push({ key, res: await counters[key.scope].consume(storedKey(key)) });
    } catch (err) {
      if (!isLimitResult(err)) throw err;
      await Promise.all(taken.map((t) => counters[t.key.scope].reward(storedKey(t.key))));
      throw new LoginThrottledError(key, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
  }
  const giveBack = () =>
    Promise.all(taken.map((t) => counters[t.key.scope].reward(storedKey(t.key)))).then(() => undefined);
  return {
    cancel: giveBack,
    async succeeded() {
      await Promise.all(
        taken.map((t) =>
          t.key.scope === "account"
            ? counters.account.delete(storedKey(t.key))
            : counters[t.key.scope].reward(storedKey(t.key)),
        ),
      );
    },
    async failed() {
      const blocks: Block[] = [];
      for (const { key, res } of taken) {
        if (res.remainingPoints > 0) continue;
        const strike = await strikes.consume(storedKey(key));
        const seconds = Math.min(
          LOGIN_LIMITS.blockBaseSeconds * 2 ** Math.min(strike.consumedPoints - 1, 20),
          LOGIN_LIMITS.blockMaxSeconds,
        );
        await counters[key.scope].block(storedKey(key), seconds);
        blocks.push({ ...key, seconds });
      }
      return blocks;
    },
  };
}
