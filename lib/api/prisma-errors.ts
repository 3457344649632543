import { AppError } from "./errors";

// Maps Prisma's known request errors to typed errors; unknown errors return null and become a logged 500.
export function mapPrismaError(err: unknown): AppError | null {
  const e = err as { code?: string; meta?: { target?: string[] | string; modelName?: string; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } };
  if (!e || typeof e !== "object" || typeof e.code !== "string") return null;
  if (e.code === "P2002") {
    const fields = e.meta?.driverAdapterError?.cause?.constraint?.fields ?? [e.meta?.target ?? []].flat();
    const list = fields.map((f) => f.replace(/"/g, ""));
    if (list.includes("name")) return new AppError("duplicate", "A host with this name already exists.", 409, "name");
    if (list.includes("address") || list.includes("port"))
      return new AppError("duplicate", "A host with this address and port already exists.", 409, "address");
    if (list.includes("email")) return new AppError("duplicate", "A user with this email already exists.", 409, "email");
    return new AppError("duplicate", "That record already exists.", 409);
  }
  if (e.code === "P2025") return new AppError("not_found", "Not found (it may have been deleted).", 404);
  return null;
}
