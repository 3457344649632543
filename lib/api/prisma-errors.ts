import { AppError } from "./errors";

// Maps Prisma's known request errors to typed errors; unknown errors return null and become a logged 500.
export function mapPrismaError(err: unknown): AppError | null {
  const e = err as {
    code?: string;
    meta?: {
      target?: string[] | string;
      driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string } } };
    };
  };
  if (!e || typeof e !== "object" || typeof e.code !== "string") return null;
  if (e.code === "P2002") {
    // The pg adapter names the violated index (e.g. "Host_address_port_key"); older engines list fields.
    const constraint = e.meta?.driverAdapterError?.cause?.constraint;
    const index = constraint?.index ?? "";
    const list = [
      ...(constraint?.fields ?? []),
      ...[e.meta?.target ?? []].flat(),
      ...index.split("_").slice(1, -1),
    ].map((f) => f.replace(/"/g, ""));
    if (list.includes("name")) return new AppError("duplicate", "A host with this name already exists.", 409, "name");
    if (list.includes("address") || list.includes("port"))
      return new AppError("duplicate", "A host with this address and port already exists.", 409, "address");
    if (list.includes("email"))
      return new AppError("duplicate", "A user with this email already exists.", 409, "email");
    return new AppError("duplicate", "That record already exists.", 409);
  }
  if (e.code === "P2025") return new AppError("not_found", "Not found (it may have been deleted).", 404);
  return null;
}
