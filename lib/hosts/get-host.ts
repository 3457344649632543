import { getDb } from "../db";
import { notFound } from "../api/errors";
import { hostSelect, toHostDto } from "./host-dto";

export async function getHost(id: string) {
  const host = await getDb().host.findUnique({ where: { id }, select: hostSelect });
  if (!host) throw notFound("Host");
  return toHostDto(host);
}
