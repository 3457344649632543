import crypto from "node:crypto";
import http from "node:http";

// Next.js route handlers cannot see the TCP peer (NextRequest has no ip; `next start` only fills x-forwarded-for
// when the client did not send one, so that header is the client's to forge). This hook, installed from
// instrumentation.ts in the server process, stamps every incoming request with the socket's address in a header of
// our own, tagged with a per-process nonce: a client that sends the header itself cannot know the nonce, and a
// request the hook never saw carries no valid stamp (its address is then unknown, never guessed).
export const PEER_HEADER = "x-daxboard-peer";

type Holder = { __daxboardPeerNonce?: string };
const holder = globalThis as unknown as Holder;

export function installPeerAddressHook(): void {
  if (holder.__daxboardPeerNonce) return;
  const nonce = crypto.randomBytes(16).toString("hex");
  holder.__daxboardPeerNonce = nonce;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = `${nonce} ${req.socket?.remoteAddress ?? ""}`;
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

// The stamped socket address, or null when the hook is not installed in this process or the stamp is not ours.
export function peerAddress(headers: Headers): string | null {
  const nonce = holder.__daxboardPeerNonce;
  const stamp = headers.get(PEER_HEADER);
  if (!nonce || !stamp) return null;
  const [given, address] = stamp.split(" ");
  if (!given || given.length !== nonce.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(nonce)))
    return null;
  return address || null;
}
