import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Secrets at rest: AES-256-GCM under APP_ENCRYPTION_KEY, stored as
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). The key id lets a rotation decrypt
 * old values with APP_ENCRYPTION_PREVIOUS_KEYS while new ones use the current key.
 */

export type Keyring = { currentId: string; keys: Map<string, Buffer> };

export function envKeyring(): Keyring {
  const env = getEnv();
  const keys = new Map<string, Buffer>([[env.encryptionKeyId, env.encryptionKey]]);
  for (const [id, key] of env.previousEncryptionKeys) keys.set(id, key);
  return { currentId: env.encryptionKeyId, keys };
}

export function encryptSecret(plaintext: string, keyring: Keyring = envKeyring()): string {
  const key = keyring.keys.get(keyring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`dunwell:${keyring.currentId}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", keyring.currentId, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(stored: string, keyring: Keyring = envKeyring()): string {
  const [version, keyId, iv, tag, ciphertext] = stored.split(".");
  if (version !== "v1" || !keyId || !iv || !tag || ciphertext === undefined) throw new AppError("internal", "A stored secret is not in a format Dunwell knows.");
  const key = keyring.keys.get(keyId);
  if (!key) throw new AppError("internal", `A stored secret was encrypted with key "${keyId}", which is not configured. Add it to APP_ENCRYPTION_PREVIOUS_KEYS.`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`dunwell:${keyId}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError("internal", `A stored secret could not be decrypted with key "${keyId}": the key is wrong or the value was altered.`);
  }
}

/** Whether a value is encrypted under an older key and should be re-encrypted. */
export const needsReencryption = (stored: string, keyring: Keyring = envKeyring()) => stored.split(".")[1] !== keyring.currentId;

/** What an operator may see of a secret again: its last four characters. */
export const lastFour = (secret: string) => secret.slice(-4);
