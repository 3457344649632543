import { expect } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { call } from "./api";
import type { SimHost } from "./sim-fleet";

// Registers a simulated host through the API with key authentication, as an operator would; returns its id.
export async function registerSimHost(
  token: string,
  name: string,
  sim: SimHost,
  privateKey: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await call(createHost, {
    body: {
      name,
      address: sim.host,
      port: sim.port,
      username: sim.username,
      auth: { type: "key", privateKey },
      ...extra,
    },
    token,
  });
  expect(res.status).toBe(201);
  return res.json.host.id as string;
}
