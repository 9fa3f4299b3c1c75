import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, lastFour, needsReencryption, type Keyring } from "@/lib/crypto/secrets";

const ring = (currentId: string, keys: Record<string, Buffer>): Keyring => ({ currentId, keys: new Map(Object.entries(keys)) });

describe("secrets at rest", () => {
  it("round-trips under AES-256-GCM with a fresh IV each time and the key id in the clear", () => {
    const keyring = ring("k1", { k1: randomBytes(32) });
    const a = encryptSecret("sk_test_123", keyring);
    const b = encryptSecret("sk_test_123", keyring);
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk_test_123");
    expect(a.split(".").slice(0, 2)).toEqual(["v1", "k1"]);
    expect(decryptSecret(a, keyring)).toBe("sk_test_123");
  });

  it("refuses altered ciphertext and unknown keys with a message saying what to do", () => {
    const keyring = ring("k1", { k1: randomBytes(32) });
    const stored = encryptSecret("whsec_abc", keyring);
    const parts = stored.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."), keyring)).toThrow(/altered/);
    expect(() => decryptSecret(stored, ring("k2", { k2: randomBytes(32) }))).toThrow(/APP_ENCRYPTION_PREVIOUS_KEYS/);
  });

  it("decrypts old values after a rotation and flags them for re-encryption", () => {
    const old = randomBytes(32);
    const stored = encryptSecret("rk_live_x", ring("k1", { k1: old }));
    const rotated = ring("k2", { k2: randomBytes(32), k1: old });
    expect(decryptSecret(stored, rotated)).toBe("rk_live_x");
    expect(needsReencryption(stored, rotated)).toBe(true);
    expect(needsReencryption(encryptSecret("x", rotated), rotated)).toBe(false);
    expect(lastFour("whsec_abcdef1234")).toBe("1234");
  });
});
