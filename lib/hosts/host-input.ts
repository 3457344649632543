import net from "node:net";
import { z } from "zod";
import ssh2 from "ssh2";
import { checkKeyKdfRounds, keyKdfRounds } from "../ssh/key-kdf";

// Validation for host registration and edits. Addresses are data, never shell text, but we still refuse
// anything that is not a DNS name or IP literal so nothing odd reaches ssh2, logs or CSV exports.
const SHELL_META = /[\s;&|`$<>()\\'"*?!{}[\]#~^]/;
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export const addressSchema = z
  .string()
  .trim()
  .min(1, "address is required")
  .superRefine((value, ctx) => {
    const bare = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
    if (SHELL_META.test(bare)) {
      ctx.addIssue({
        code: "custom",
        message: "must be a DNS name, IPv4 or IPv6 address (shell metacharacters are not allowed)",
      });
    } else if (!net.isIP(bare) && !DNS_NAME.test(bare)) {
      ctx.addIssue({ code: "custom", message: "must be a DNS name, IPv4 or IPv6 address" });
    }
  })
  .transform((value) => (value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value));

export const portSchema = z.coerce
  .number({ message: "port must be a number" })
  .int("port must be a whole number")
  .min(1, "port must be between 1 and 65535")
  .max(65535, "port must be between 1 and 65535");

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "username is required")
  .max(32, "username is at most 32 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/, "username may contain letters, digits, _ . - (POSIX user name)");

export const fingerprintSchema = z
  .string()
  .trim()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'host key fingerprint must look like "SHA256:…" (43 base64 characters, as ssh-keygen -lf prints)',
  );

export const tagSchema = z
  .string()
  .trim()
  .min(1, "tags cannot be empty")
  .max(64, "tags are at most 64 characters")
  .regex(/^[^\s,\p{Cc}]+$/u, "tags cannot contain spaces, commas or control characters");

const nameSchema = z
  .string()
  .trim()
  .min(1, "name is required")
  .max(100, "name is at most 100 characters")
  .regex(/^[^\p{Cc}]+$/u, "name cannot contain control characters");

// Default import: Node's ESM loader (tsx scripts, the bench) does not see ssh2's CommonJS named exports.
const { utils } = ssh2;
const MAX_KEY = 16 * 1024;

const keyAuth = z
  .object({
    type: z.literal("key"),
    privateKey: z.string().min(1, "paste or upload a private key").max(MAX_KEY, "private key is too large"),
    passphrase: z.string().max(1024).optional(),
  })
  .superRefine((auth, ctx) => {
    // ssh2 runs an encrypted key's bcrypt KDF synchronously with the round count the key itself carries: refuse
    // absurd counts before parsing, or one pasted key would stall the web process (issue 12).
    const rounds = checkKeyKdfRounds(auth.privateKey);
    if (rounds) {
      ctx.addIssue({ code: "custom", path: ["privateKey"], message: rounds });
      return;
    }
    // An encrypted OpenSSH key is decrypted off the request thread by verifyKeyAuth (its KDF takes seconds).
    if (keyKdfRounds(auth.privateKey) !== null) {
      if (!auth.passphrase)
        ctx.addIssue({
          code: "custom",
          path: ["passphrase"],
          message: "this private key is encrypted: give its passphrase",
        });
      return;
    }
    const parsed = utils.parseKey(auth.privateKey, auth.passphrase);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key instanceof Error || !key) {
      const encrypted = /encrypted|passphrase/i.test(key instanceof Error ? key.message : "");
      ctx.addIssue({
        code: "custom",
        path: [encrypted ? "passphrase" : "privateKey"],
        message: encrypted
          ? "this private key is encrypted: give its passphrase (or the one given is wrong)"
          : "not a private key DAXboard can read (OpenSSH, PEM or PuTTY format: ed25519, ECDSA or RSA)",
      });
    } else if (!key.isPrivateKey()) {
      ctx.addIssue({ code: "custom", path: ["privateKey"], message: "this is a public key; paste the private key" });
    }
  });

export const authSchema = z.discriminatedUnion(
  "type",
  [
    keyAuth,
    z.object({ type: z.literal("password"), password: z.string().min(1, "password is required").max(1024) }),
    z.object({ type: z.literal("agent") }),
  ],
  { message: 'auth.type must be "key", "password" or "agent"' },
);

// A registered jump host brings its own credential; an inline one must be given its own (`auth`): a target's
// secret is only ever sent to the target it was entered for (issue 12).
export const jumpHostSchema = z.union([
  z.object({ hostId: z.string().min(1) }).strict(),
  z
    .object({
      address: addressSchema,
      port: portSchema.default(22),
      username: usernameSchema,
      auth: authSchema,
      hostKeyFingerprint: fingerprintSchema.optional(),
    })
    .strict(),
]);

export const registerHostSchema = z
  .object({
    name: nameSchema,
    address: addressSchema,
    port: portSchema.default(22),
    username: usernameSchema,
    auth: authSchema,
    hostKeyFingerprint: fingerprintSchema.optional(),
    tags: z.array(tagSchema).max(50, "at most 50 tags").default([]),
    jumpHost: jumpHostSchema.optional().nullable(),
    notes: z.string().max(4000).optional().nullable(),
  })
  .strict();

export const updateHostSchema = z
  .object({
    name: nameSchema.optional(),
    address: addressSchema.optional(),
    port: portSchema.optional(),
    username: usernameSchema.optional(),
    auth: authSchema.optional(),
    hostKeyFingerprint: fingerprintSchema.nullable().optional(),
    tags: z.array(tagSchema).max(50).optional(),
    jumpHost: jumpHostSchema.nullable().optional(),
    notes: z.string().max(4000).nullable().optional(),
    // An admin confirms that the stored credential may go to the host's new address or jump host.
    confirmCredential: z.literal(true).optional(),
  })
  .strict();

// Fields that decide where a stored secret is sent: changing them is an admin action (issue 12).
export const DESTINATION_FIELDS = ["address", "port", "jumpHost", "hostKeyFingerprint", "confirmCredential"] as const;

export type RegisterHostInput = z.infer<typeof registerHostSchema>;
export type UpdateHostInput = z.infer<typeof updateHostSchema>;
export type AuthInput = z.infer<typeof authSchema>;
