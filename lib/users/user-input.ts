import { z } from "zod";

export const emailSchema = z.string().trim().toLowerCase().email("a valid email address is required").max(254);
export const newPasswordSchema = z
  .string()
  .min(12, "passwords need at least 12 characters")
  .max(1024, "passwords are at most 1024 characters");
export const roleSchema = z.enum(["viewer", "operator", "admin"], {
  message: 'role must be "viewer", "operator" or "admin"',
});

export const createUserSchema = z
  .object({
    email: emailSchema,
    displayName: z.string().trim().min(1, "display name is required").max(100),
    password: newPasswordSchema,
    role: roleSchema.default("viewer"),
  })
  .strict();

export const updateUserSchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean().optional(), password: newPasswordSchema.optional() })
  .strict();

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "password is required").max(1024),
});

export type CreateUserInput = z.infer<typeof createUserSchema>;

// First-run setup: the first admin plus the one-time code printed on the server console.
export const setupSchema = createUserSchema
  .omit({ role: true })
  // A missing code is checked (and refused with 403) like a wrong one.
  .extend({ setupCode: z.string().trim().max(100).default("") })
  .strict();

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "your current password is required").max(1024),
    newPassword: newPasswordSchema,
  })
  .strict();
