import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/auth/client-address";
import { installPeerAddressHook, PEER_HEADER } from "@/lib/auth/peer-address";

const saved = process.env.DAXBOARD_TRUSTED_PROXIES;
afterEach(() => {
  if (saved === undefined) delete process.env.DAXBOARD_TRUSTED_PROXIES;
  else process.env.DAXBOARD_TRUSTED_PROXIES = saved;
});

const req = (headers: Record<string, string>) => new Request("http://daxboard.test/api/auth/login", { headers });

// Serves one request through a real http.Server and returns what clientAddress saw for it.
async function addressSeenByServer(headers: Record<string, string>): Promise<string | null> {
  let seen: string | null = "unset";
  const server = http.createServer((inReq, res) => {
    const h = new Headers();
    for (const [k, v] of Object.entries(inReq.headers)) if (typeof v === "string") h.set(k, v);
    seen = clientAddress(new Request("http://daxboard.test/", { headers: h }));
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await fetch(`http://127.0.0.1:${port}/`, { headers });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return seen;
}

describe("client address", () => {
  it("ignores x-forwarded-for unless a proxy is trusted", () => {
    delete process.env.DAXBOARD_TRUSTED_PROXIES;
    expect(clientAddress(req({ "x-forwarded-for": "203.0.113.9" }))).toBeNull();
  });

  it("with trusted proxies, takes the entry the nearest trusted proxy appended, not the client's own", () => {
    process.env.DAXBOARD_TRUSTED_PROXIES = "1";
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" }))).toBe("198.51.100.7");
    process.env.DAXBOARD_TRUSTED_PROXIES = "2";
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" }))).toBe("198.51.100.7");
    process.env.DAXBOARD_TRUSTED_PROXIES = "yes";
    expect(() => clientAddress(req({}))).toThrow(/DAXBOARD_TRUSTED_PROXIES/);
  });

  it("a forged peer header is worthless before and after the hook is installed", async () => {
    delete process.env.DAXBOARD_TRUSTED_PROXIES;
    expect(clientAddress(req({ [PEER_HEADER]: "00 6.6.6.6" }))).toBeNull();
    installPeerAddressHook();
    expect(clientAddress(req({ [PEER_HEADER]: "0123456789abcdef0123456789abcdef 6.6.6.6" }))).toBeNull();
  });

  it("with the hook, a request through a real server carries its socket address, whatever the client claims", async () => {
    delete process.env.DAXBOARD_TRUSTED_PROXIES;
    installPeerAddressHook();
    const seen = await addressSeenByServer({ [PEER_HEADER]: "forged 6.6.6.6", "x-forwarded-for": "6.6.6.6" });
    expect(seen).toBe("127.0.0.1");
  });
});
