import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "@/lib/security/headers";

describe("security headers", () => {
  it("forbids framing, admits Stripe.js, and sets HSTS only in production", () => {
    const csp = contentSecurityPolicy(true);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src [^;]*https:\/\/js\.stripe\.com/);
    expect(csp).toMatch(/frame-src [^;]*https:\/\/js\.stripe\.com/);
    expect(csp).not.toContain("unsafe-eval");
    const names = (production: boolean) => securityHeaders(production).map((h) => h.key);
    expect(names(true)).toContain("Strict-Transport-Security");
    expect(names(false)).not.toContain("Strict-Transport-Security");
    expect(securityHeaders(true).find((h) => h.key === "Referrer-Policy")?.value).toBe("strict-origin-when-cross-origin");
  });
});
