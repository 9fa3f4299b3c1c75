import { declineCodeTable, normalizeCode, type CodeField, type CodeStrength, type DeclineCodeGroup, type DeclineCodeRow } from "./decline-codes";
import type { AttemptFacts, CardNetwork, Classification, DeclineCategory } from "./types";

/**
 * What a failed attempt means for retrying, from the table in decline-codes.ts.
 *
 * Precedence, strongest first:
 * 1. Never-retry signals: a Visa category-1 response, Mastercard MAC 03/21, or the
 *    do_not_try_again advice. They beat any decline code (MAC 03 beats insufficient_funds).
 * 2. A requires_action status: the customer must authenticate; never retried off-session.
 * 3. The decline code, then the failure code. A catch-all failure code ("card_declined")
 *    does not hide an unknown decline code.
 * 4. Restricting signals (MAC 01, confirm_card_data, Visa category 3) turn a retryable
 *    outcome into card_update_needed; they never loosen a stricter one.
 * 5. With no specific code, hints (Visa category 2/4 codes, MAC 02/24–30, try_again_later).
 * 6. Otherwise unknown: soft, at most UNKNOWN_CODE_MAX_RETRIES, rule "unknown:<code>".
 *
 * Visa response codes are read only on Visa cards or cards of unknown brand (the same
 * digits mean other things on other networks); merchant advice codes on any card, since
 * "do not try again" means the same whoever says it. A wrong guess only makes us stricter.
 */

export const UNKNOWN_CODE_MAX_RETRIES = 2;

const notRetryable: ReadonlySet<DeclineCategory> = new Set(["hard", "card_update_needed", "authentication_required"]);

type Match = { group: DeclineCodeGroup; row: DeclineCodeRow; code: string };

const index = buildIndex();

/** Stripe "visa", Chargebee "american_express", legacy "MasterCard": one network each; null when unknown. */
export function cardNetworkOf(brand: string | null | undefined): CardNetwork | null {
  const b = brand?.toLowerCase().replace(/[^a-z]/g, "");
  if (!b) return null;
  if (b.startsWith("visa")) return "visa";
  if (b === "mastercard" || b === "mc" || b === "maestro") return "mastercard";
  if (b === "amex" || b === "americanexpress") return "amex";
  if (b === "discover") return "discover";
  return "other";
}

/** For failed and requires_action attempts; an approval has no failure to classify. */
export function classifyAttempt(facts: AttemptFacts): Classification {
  const network = cardNetworkOf(facts.cardBrand);

  const stop = find(facts, network, "override");
  if (stop) return result(stop.row.category, stop.row.maxRetries, ruleOf(stop));
  if (facts.status === "requires_action") return result("authentication_required", null, "status:requires_action");

  const decline = normalizeCode(facts.declineCode);
  const failure = normalizeCode(facts.failureCode);
  const fromDecline = decline ? lookup("code", "declineCode", decline) : null;
  const fromFailure = failure ? lookup("code", "failureCode", failure) : null;
  // A specific row wins; a catch-all one only when no unknown code sits beside it.
  const specific = [fromDecline, fromFailure].find((m) => m && !m.row.generic) ?? null;
  const unknownCode = (decline && !fromDecline ? decline : null) ?? (failure && !fromFailure ? failure : null);
  const generic = unknownCode ? null : (fromDecline ?? fromFailure);
  let chosen: Match | null = specific;

  const restrict = find(facts, network, "restrict");
  if (restrict && (!chosen || !notRetryable.has(chosen.row.category))) chosen = restrict;
  if (!chosen) chosen = find(facts, network, "hint") ?? generic;
  if (chosen) return result(chosen.row.category, chosen.row.maxRetries, ruleOf(chosen));
  return result("soft", UNKNOWN_CODE_MAX_RETRIES, `unknown:${unknownCode ?? "none"}`);
}

/**
 * The never-retry network response an attempt carries (Visa category 1, MAC 03/21), or null.
 * The card-network guard uses it over a card's whole history.
 */
export function networkStopRule(facts: AttemptFacts): string | null {
  const network = cardNetworkOf(facts.cardBrand);
  const stop = find(facts, network, "override", ["networkDeclineCode", "networkAdviceCode"]);
  return stop ? ruleOf(stop) : null;
}

/** Hours Mastercard asks the merchant to wait (MAC 24–30), or null. */
export function networkRetryAfterHours(facts: AttemptFacts): number | null {
  const network = cardNetworkOf(facts.cardBrand);
  return find(facts, network, "hint", ["networkAdviceCode"])?.row.retryAfterHours ?? null;
}

function result(category: DeclineCategory, maxRetries: number | null, rule: string): Classification {
  const retryable = !notRetryable.has(category);
  return { category, retryable, maxRetries: retryable ? maxRetries : 0, rule };
}

function ruleOf(m: Match): string {
  switch (m.group.source) {
    case "visa":
      return `visa:${m.group.strength === "override" ? "cat1" : m.group.strength === "restrict" ? "cat3" : "code"}:${m.code.toUpperCase()}`;
    case "mastercard":
      return `mastercard:mac:${m.code}`;
    default:
      return `${m.group.source}:${m.code}`;
  }
}

function appliesTo(group: DeclineCodeGroup, network: CardNetwork | null): boolean {
  // Response codes mean different things per network; a "do not try again" advice does not.
  return group.source !== "visa" || network === null || network === "other" || network === "visa";
}

const signalFields: readonly CodeField[] = ["networkDeclineCode", "networkAdviceCode", "adviceCode"];

function find(facts: AttemptFacts, network: CardNetwork | null, strength: CodeStrength, fields = signalFields): Match | null {
  for (const field of fields) {
    const code = normalizeCode(facts[field]);
    if (!code) continue;
    const match = lookup(strength, field, code);
    if (match && appliesTo(match.group, network)) return match;
  }
  return null;
}

/** Decline and failure codes share one namespace (Stripe's failure_code reuses decline codes). */
function lookup(strength: CodeStrength, field: CodeField, code: string): Match | null {
  const key = strength === "code" ? `code|${code}` : `${strength}|${field}|${code}`;
  return index.get(key) ?? null;
}

function buildIndex(): Map<string, Match> {
  const map = new Map<string, Match>();
  for (const group of declineCodeTable) {
    for (const row of group.rows) {
      const code = normalizeCode(row.code) ?? row.code;
      const key = group.strength === "code" ? `code|${code}` : `${group.strength}|${group.field}|${code}`;
      if (!map.has(key)) map.set(key, { group, row, code });
    }
  }
  return map;
}
