/**
 * A portal session cookie: HttpOnly, SameSite=Lax, and on https Secure with the __Host-
 * prefix, which pins it to this host and path / (browsers only accept it with Secure).
 */
export function sessionCookie(name: string, ttlMs: number, appUrl: string) {
  const secure = appUrl.startsWith("https:");
  return {
    name: secure ? `__Host-${name}` : name,
    options: { httpOnly: true, sameSite: "lax" as const, secure, path: "/", maxAge: ttlMs / 1000 },
  };
}
