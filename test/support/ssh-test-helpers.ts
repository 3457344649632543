import { afterEach, expect } from "vitest";
import { ScanError } from "../../lib/ssh";
import { settleTcpSockets, startSimHost, type SimHost, type SimHostOptions } from "./sim-fleet";

// For SSH test files whose both ends live in this process: the returned function starts simulated hosts, which
// are closed after each test, and each test must then leave no TCP socket open.
export function simHostsClosedAfterEach(): (options?: SimHostOptions) => Promise<SimHost> {
  const hosts: SimHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.close()));
    expect(await settleTcpSockets(0)).toBe(0);
  });
  return async (options = {}) => {
    const host = await startSimHost(options);
    hosts.push(host);
    return host;
  };
}

// The ScanError a scan that must fail ended with.
export async function scanFailure(scan: Promise<unknown>): Promise<ScanError> {
  const error = await scan.then(
    () => {
      throw new Error("expected the scan to fail");
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ScanError);
  return error as ScanError;
}
