import { describe, expect, it } from "vitest";
import { messageTemplates, type MessageTemplate } from "@/lib/dunning/types";
import { AppError } from "@/lib/errors";
import { emailTemplates, renderMessage, type MessageInput } from "@/lib/messaging/render";

const NBSP = "\u00a0";
const NNBSP = "\u202f";

const reminders: MessageTemplate[] = ["payment_failed", "reminder", "final_notice", "action_required", "card_expiring"];
const receipts: MessageTemplate[] = ["payment_recovered", "installment_confirmed", "installment_upcoming", "installment_failed", "promise_confirmed", "help_received"];

type Patch = Partial<Omit<MessageInput, "data" | "branding">> & { data?: Partial<MessageInput["data"]>; branding?: Partial<MessageInput["branding"]> };
function input(patch: Patch = {}): MessageInput {
  return {
    template: "payment_failed",
    locale: "en",
    timezone: "Europe/Berlin",
    tone: "friendly",
    declineCategory: "generic",
    ...patch,
    branding: { name: "Acme", senderName: "Acme Billing", supportEmail: "billing@acme.test", postalAddress: "Acme GmbH, Torstraße 1, 10119 Berlin", ...patch.branding },
    data: {
      customerName: "Ana García",
      planName: "Pro",
      invoiceNumber: "INV-42",
      amountMinor: 4900,
      currency: "eur",
      portalUrl: "https://portal.acme.test/p/tok_123?lang=en&ref=mail",
      ...patch.data,
    },
  };
}
const text = async (patch: Patch) => (await renderMessage(input(patch))).text;

describe("amounts, currencies and dates", () => {
  it("formats integer minor units with the locale's conventions", async () => {
    expect(await text({ locale: "de" })).toContain(`49,00${NBSP}€`);
    expect(await text({ locale: "fr" })).toContain(`49,00${NBSP}€`);
    expect(await text({ locale: "fr", data: { amountMinor: 123456 } })).toContain(`1${NNBSP}234,56${NBSP}€`);
    expect(await text({ locale: "en", data: { currency: "usd" } })).toContain("$49.00");
    expect((await renderMessage(input({ locale: "de" }))).html).toContain(`49,00${NBSP}€`);
  });

  it("respects currencies without minor units and with three decimals", async () => {
    expect(await text({ data: { amountMinor: 4900, currency: "jpy" } })).toContain("¥4,900");
    expect(await text({ locale: "de", data: { amountMinor: 4900, currency: "JPY" } })).toContain(`4.900${NBSP}¥`);
    expect(await text({ data: { amountMinor: 1250, currency: "kwd" } })).toContain(`KWD${NBSP}1.250`);
  });

  it("shows the customer's local calendar date, not the UTC one", async () => {
    const due = { template: "reminder" as const, tone: "neutral" as const, locale: "de", data: { dueDate: "2026-03-01T00:30:00Z" } };
    expect(await text({ ...due, timezone: "Europe/Berlin" })).toContain("bis zum 1. März 2026");
    expect(await text({ ...due, timezone: "America/Los_Angeles" })).toContain("bis zum 28. Februar 2026");
    // 23:30 UTC is already the next day in Berlin.
    expect(await text({ ...due, timezone: "Europe/Berlin", data: { dueDate: "2026-03-01T23:30:00Z" } })).toContain("bis zum 2. März 2026");
    expect(await text({ ...due, locale: "en", timezone: "America/Los_Angeles" })).toContain("by February 28, 2026");
  });

  it("falls back to UTC for a time zone Intl does not know instead of failing", async () => {
    expect(await text({ template: "reminder", tone: "neutral", timezone: "Mars/Olympus", data: { dueDate: "2026-03-01T23:30:00Z" } })).toContain("by March 1, 2026");
  });

  it("lists an installment plan's dates and amounts", async () => {
    const installments = [
      { dueAt: "2026-03-14T23:30:00Z", amountMinor: 5000 },
      { dueAt: "2026-04-14T23:30:00Z", amountMinor: 5000 },
    ];
    const body = await text({ template: "installment_confirmed", locale: "es", timezone: "Europe/Madrid", data: { amountMinor: 10000, currency: "jpy", installments } });
    expect(body).toContain("en 2 cuotas");
    // Local dates (23:30 UTC is the next day in Madrid); Spanish writes the yen as "JPY".
    expect(body).toMatch(new RegExp(`15 de marzo de 2026 +5000${NBSP}JPY`));
    expect(body).toMatch(new RegExp(`15 de abril de 2026 +5000${NBSP}JPY`));
  });
});

describe("the portal link", () => {
  it("is the button in the HTML and spelled out in the text", async () => {
    const { html, text: body } = await renderMessage(input());
    expect(html).toContain('href="https://portal.acme.test/p/tok_123?lang=en&amp;ref=mail"');
    expect(body).toContain("https://portal.acme.test/p/tok_123?lang=en&ref=mail");
  });

  it("must be an http(s) URL", async () => {
    await expect(renderMessage(input({ data: { portalUrl: "javascript:alert(1)" } }))).rejects.toBeInstanceOf(AppError);
  });
});

describe("copy follows the decline category and tone", () => {
  it("asks to update the card, or to confirm with the bank", async () => {
    const card = await text({ declineCategory: "card_update_needed", data: { cardBrand: "visa", cardLast4: "4242" } });
    const auth = await text({ declineCategory: "authentication_required" });
    expect(card).toContain("Your bank declined your Visa card ending in 4242");
    expect(card).toContain("Please update your card details");
    expect(card).toContain("Update card https://portal.acme.test");
    expect(card).not.toMatch(/confirm the payment/i);
    expect(auth).toContain("Please confirm the payment with your bank");
    expect(auth).toContain("Confirm payment https://portal.acme.test");
    expect(auth).not.toMatch(/update your card/i);
  });

  it("treats a hard decline like a card that must be replaced, in every language", async () => {
    expect(await text({ declineCategory: "hard" })).toContain("Please update your card details");
    expect(await text({ locale: "de", declineCategory: "card_update_needed" })).toContain("Bitte aktualisieren Sie Ihre Kartendaten");
    expect(await text({ locale: "fr", declineCategory: "authentication_required" })).toContain("Merci de confirmer le paiement auprès de votre banque");
    expect(await text({ locale: "es", declineCategory: "authentication_required" })).toContain("Por favor, confirme el pago con su banco");
  });

  it("mentions the automatic retry only while the tone is gentle", async () => {
    const data = { nextRetryAt: "2026-03-04T09:00:00Z" };
    expect(await text({ declineCategory: "insufficient_funds", data })).toContain("we'll try again automatically on March 4, 2026");
    expect(await text({ template: "reminder", tone: "firm", declineCategory: "insufficient_funds", data })).not.toContain("try again automatically");
  });

  it("gets firmer with the tone", async () => {
    const friendly = await renderMessage(input({ template: "reminder", tone: "friendly" }));
    const final = await renderMessage(input({ template: "reminder", tone: "final", data: { dueDate: "2026-03-20T12:00:00Z" } }));
    expect(friendly.subject).toBe("Reminder: your payment for Pro is still open");
    expect(final.subject).toBe("Last reminder: your payment of €49.00 is overdue");
    expect(final.text).toContain("If we don't receive the payment by March 20, 2026, your subscription will end.");
    expect(friendly.text).not.toContain("your subscription will end");
  });
});

describe("unsubscribe", () => {
  const unsubscribeUrl = "https://portal.acme.test/unsubscribe/tok_123";

  it.each(reminders)("%s carries one-click List-Unsubscribe headers and a footer link", async (template) => {
    const message = await renderMessage(input({ template, data: { unsubscribeUrl } }));
    expect(message.headers).toEqual({ "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(message.html).toContain(`href="${unsubscribeUrl}"`);
    expect(message.text).toContain(`Unsubscribe from payment reminders ${unsubscribeUrl}`);
  });

  it.each(receipts)("%s never does, even when given a link", async (template) => {
    const message = await renderMessage(input({ template, data: { unsubscribeUrl } }));
    expect(message.headers).toEqual({});
    expect(message.html).not.toContain(unsubscribeUrl);
  });

  it("omits the one-click POST header for a non-HTTPS link, as RFC 8058 requires HTTPS", async () => {
    const message = await renderMessage(input({ data: { unsubscribeUrl: "http://localhost:3000/unsubscribe/t" } }));
    expect(message.headers).toEqual({ "List-Unsubscribe": "<http://localhost:3000/unsubscribe/t>" });
    expect((await renderMessage(input())).headers).toEqual({});
  });
});

describe("operator overrides", () => {
  it("replace the subject and named blocks, with placeholders filled and unknown ones left visible", async () => {
    const message = await renderMessage(
      input({
        locale: "de",
        overrides: {
          subject: "{customerName}, Ihre Rechnung {invoiceNumber} über {amount} ist offen {typo}",
          blocks: { intro: "Kurz gesagt: {amount} fehlen noch[[ für {planName}]][[ bis {dueDate}]].", closing: "   ", nonsense: "ignored" },
        },
      }),
    );
    expect(message.subject).toBe(`Ana García, Ihre Rechnung INV-42 über 49,00${NBSP}€ ist offen {typo}`);
    expect(message.text).toContain(`Kurz gesagt: 49,00${NBSP}€ fehlen noch für Pro.`);
    expect(message.text).not.toContain("wir wollten");
    // A blank override keeps the default block.
    expect(message.text).toContain("Bei Fragen schreiben Sie uns gerne an billing@acme.test.");
    expect(message.text).not.toContain("ignored");
  });

  it("keep the subject on one line whatever the data holds", async () => {
    const message = await renderMessage(input({ data: { planName: "Pro\r\nBcc: evil@example.com" } }));
    expect(message.subject).toBe("There was a problem with your payment for Pro Bcc: evil@example.com");
  });
});

describe("locale", () => {
  it("uses the language of a regional locale, with the region's number format", async () => {
    const message = await renderMessage(input({ locale: "de-AT" }));
    expect(message.subject).toBe("Es gab ein Problem mit Ihrer Zahlung für Pro");
    expect(message.text).toContain("Guten Tag Ana García,");
    expect(message.text).toContain(`€${NBSP}49,00`);
    expect(message.html).toContain('lang="de"');
  });

  it("falls back to the workspace default, then to English", async () => {
    expect((await renderMessage(input({ locale: "pt-BR", defaultLocale: "fr" }))).subject).toBe("Un problème est survenu avec votre paiement pour Pro");
    expect((await renderMessage(input({ locale: null, defaultLocale: "es-MX" }))).subject).toBe("Ha habido un problema con su pago de Pro");
    expect((await renderMessage(input({ locale: "pt-BR", defaultLocale: "ja" }))).subject).toBe("There was a problem with your payment for Pro");
    expect((await renderMessage(input({ locale: "not a locale!" }))).subject).toBe("There was a problem with your payment for Pro");
  });
});

describe("branding", () => {
  it("uses the workspace's colour, sender name, logo and postal address", async () => {
    const { html, text: body } = await renderMessage(input({ branding: { color: "#0f766e", logoUrl: "https://cdn.acme.test/logo.png" } }));
    expect(html).toContain("background-color:#0f766e");
    expect(html).toContain('src="https://cdn.acme.test/logo.png"');
    expect(body).toContain("Kind regards,\nAcme Billing");
    expect(body).toContain("Acme GmbH, Torstraße 1, 10119 Berlin");
  });

  it("keeps the button readable on a light brand colour and ignores unsafe values", async () => {
    expect((await renderMessage(input({ branding: { color: "#fde047" } }))).html).toMatch(/background-color:#fde047;color:#111827/);
    const { html } = await renderMessage(input({ branding: { color: "red;background:url(https://x.test)", logoUrl: "javascript:alert(1)" } }));
    expect(html).not.toContain("x.test");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("background-color:#2563eb");
  });
});

describe("customer input in HTML", () => {
  it("is escaped, never markup", async () => {
    const { html, text: body } = await renderMessage(
      input({ data: { customerName: "<script>alert(1)</script>", planName: '"><img src=x onerror=alert(1)>', invoiceNumber: "{amount}" } }),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Values are not scanned for placeholders again.
    expect(body).toContain("(invoice {amount})");
  });
});

describe("every template in every language", () => {
  const full = { cardBrand: "mastercard", cardLast4: "5454", dueDate: "2026-03-14T09:00:00Z", nextRetryAt: "2026-03-04T09:00:00Z", paidAt: "2026-03-05T09:00:00Z", promiseDate: "2026-03-20T09:00:00Z", installments: [{ dueAt: "2026-03-14T09:00:00Z", amountMinor: 2450 }] };
  const bare = { customerName: null, planName: null, invoiceNumber: null };
  const leftovers = /\{\w+\}|\[\[|\]\]|\s{2,}[.,]|\(\s*\)/;

  it.each(messageTemplates.flatMap((t) => ["en", "de", "fr", "es"].map((l) => [t, l] as const)))("%s in %s renders with no placeholder left over", async (template, locale) => {
    for (const data of [full, bare]) {
      const message = await renderMessage(input({ template, locale, tone: null, declineCategory: "insufficient_funds", data }));
      expect(message.subject.trim()).not.toBe("");
      expect(message.subject).not.toMatch(leftovers);
      expect(message.text).not.toMatch(leftovers);
      expect(message.text).toContain("https://portal.acme.test/p/tok_123");
    }
  });

  it.each(messageTemplates)("%s has a template with preview props", (template) => {
    const Email = emailTemplates[template] as { PreviewProps?: { content: { template: string } } };
    expect(Email.PreviewProps?.content.template).toBe(template);
  });
});
