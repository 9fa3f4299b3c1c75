import { isProductionBuild } from "../env";

/**
 * Response headers for every route. The CSP already admits Stripe.js (script, frames and
 * API calls) for the portal's Payment Element; 'unsafe-inline' for scripts stays because
 * Next's App Router inlines its bootstrap without nonces on statically rendered pages
 * (see docs/decisions.md). frame-ancestors 'none' forbids framing everywhere.
 */
export function contentSecurityPolicy(production = isProductionBuild()): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // Stripe.js and the frames it starts on its subdomains (docs.stripe.com/security/guide, "Content Security Policy").
    "script-src": ["'self'", "'unsafe-inline'", "https://js.stripe.com", "https://*.js.stripe.com", ...(production ? [] : ["'unsafe-eval'"])],
    "style-src": ["'self'", "'unsafe-inline'"],
    // Workspace logos live on the operators' own hosts (https only).
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https://api.stripe.com", "https://*.stripe.com", ...(production ? [] : ["ws:"])],
    "frame-src": ["'self'", "https://js.stripe.com", "https://hooks.stripe.com", "https://*.stripe.com", "https://*.chargebee.com"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'", "https://*.chargebee.com"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

export function securityHeaders(production = isProductionBuild()): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(production) },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(self \"https://js.stripe.com\")" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin-allow-popups" },
    ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
  ];
}
