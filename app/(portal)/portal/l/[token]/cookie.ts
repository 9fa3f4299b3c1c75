/** Holds an expired (or revoked) but authentic link token for the "email me a new link" form, so it leaves the URL too. */
export const EXPIRED_LINK_COOKIE = "dunwell-portal-expired";
export const EXPIRED_LINK_COOKIE_MAX_AGE = 30 * 60;
