import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { customers, workspaces } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { messageTemplates } from "@/lib/dunning/types";
import { AppError } from "@/lib/errors";
import { messageLocales } from "@/lib/messaging/locale";
import { deleteOverride, getOverride, listOverrides, saveOverride } from "@/lib/messaging/overrides";
import { sendMessage } from "@/lib/messaging/send";
import { defaultCopy, renderTemplatePreview, sendTestMessage } from "@/lib/messaging/template-editor";
import { startFakeResend, type FakeResend } from "../../fakes/resend-api";
import { makeWorkspace } from "../../helpers/factories";
import { messagingCase, useEnv } from "../../helpers/messaging";

const operator = { kind: "user", userId: "usr_editor" } as const;
const NBSP = "\u00a0";

/** The error saveOverride threw, for its message; fails the test when it saved instead. */
async function refusal(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("invalid_input");
  return error as AppError;
}

describe("saveOverride validation", () => {
  it("names an unknown placeholder, where it is, and the placeholders that exist; nothing is stored or audited", async () => {
    const t = await messagingCase();
    const error = await refusal(
      saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "en", subject: "Still open: {amount}", blocks: { intro: "You owe {amout} since {dueDate}." } }, operator),
    );
    expect(error.message).toMatch(/^Unknown placeholder: \{amout\} in the intro block\. The placeholders you can use are \{customerName\}, \{companyName\}, /);
    expect(error.message).toContain("{amount}");
    expect(error.message).toContain("{supportEmail}");
    expect(await getOverride(t.db, t.sim.workspaceId, "reminder", "en")).toBeNull();
    expect(await t.auditOf("template_override.saved")).toHaveLength(0);
  });

  it("lists every unknown placeholder at once, subject included", async () => {
    const t = await messagingCase();
    const error = await refusal(saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "de", subject: "Hallo {name}", blocks: { closing: "Gruß, { senderName }" } }, operator));
    expect(error.message).toMatch(/^Unknown placeholders: \{name\} in the subject; \{ senderName \} in the closing block\./);
  });

  it("refuses a block that does not exist, listing the blocks", async () => {
    const t = await messagingCase();
    const error = await refusal(saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "en", blocks: { footer: "Acme Inc." } }, operator));
    expect(error.message).toBe('There is no block "footer". Blocks: preview, heading, greeting, intro, reason, body, action, urgency, button, closing, signoff.');
  });

  it("refuses a language without copy, and a template that does not exist", async () => {
    const t = await messagingCase();
    const language = await refusal(saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "pt", subject: "Olá" }, operator));
    expect(language.message).toBe('Messages are not written in "pt". Choose one of: en, de, fr, es.');
    const template = await refusal(saveOverride(t.db, t.sim.workspaceId, { template: "dunning_letter", locale: "en", subject: "Hi" }, operator));
    expect(template.message).toMatch(/^There is no template "dunning_letter"\. Templates: payment_failed, reminder, /);
    expect(await listOverrides(t.db, t.sim.workspaceId)).toEqual([]);
  });

  it("catches an optional part that is never closed", async () => {
    const t = await messagingCase();
    const error = await refusal(saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "en", blocks: { intro: "Pay {amount}[[ by {dueDate}." } }, operator));
    expect(error.message).toContain('The intro block opens an optional part with "[["');
  });
});

describe("sendMessage with an override", () => {
  it("stores the operator's subject and block, filled with the message's data, instead of the default", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    const saved = await saveOverride(
      t.db,
      t.sim.workspaceId,
      { template: "reminder", locale: "en", subject: "  Invoice {invoiceNumber}: {amount} still open  ", blocks: { intro: "We are still waiting for {amount}.", heading: "" } },
      operator,
    );
    expect(saved).toMatchObject({ subject: "Invoice {invoiceNumber}: {amount} still open", blocks: { intro: "We are still waiting for {amount}." } });
    await sendMessage(t.db, t.input({ template: "reminder" }));
    const [row] = await t.messagesOf();
    expect(row!.subject).toBe("Invoice INV-1: €49.00 still open");
    expect(row!.text).toContain("We are still waiting for €49.00.");
    // The default intro is gone; the blank heading kept the default one.
    expect(row!.text).not.toContain("is still outstanding");
    expect(row!.text).toContain("Your payment is still due");

    const [entry] = await t.auditOf("template_override.saved");
    expect(entry).toMatchObject({ actor: "user:usr_editor", targetType: "template", targetId: "reminder:en" });
    expect(entry!.data).toMatchObject({ template: "reminder", locale: "en", subject: "Invoice {invoiceNumber}: {amount} still open" });
  });

  it("applies a German override to German customers only, and a reset brings the default back", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    await saveOverride(t.db, t.sim.workspaceId, { template: "payment_recovered", locale: "de", subject: "Danke! {amount} sind angekommen", blocks: { closing: "Bis bald." } }, operator);

    await sendMessage(t.db, t.input({ template: "payment_recovered" }));
    await t.db.update(customers).set({ locale: "de-DE" }).where(eq(customers.id, t.kase.customerId));
    await sendMessage(t.db, t.input({ template: "payment_recovered" }));
    await deleteOverride(t.db, t.sim.workspaceId, "payment_recovered", "de", operator);
    await sendMessage(t.db, t.input({ template: "payment_recovered" }));

    const [english, german, afterReset] = await t.messagesOf();
    expect(english).toMatchObject({ locale: "en", status: "sent" });
    expect(english!.subject).not.toContain("Danke");
    expect(english!.text).not.toContain("Bis bald.");
    expect(german).toMatchObject({ locale: "de", subject: `Danke! 49,00${NBSP}€ sind angekommen` });
    expect(german!.text).toContain("Bis bald.");
    expect(afterReset).toMatchObject({ locale: "de", status: "sent" });
    expect(afterReset!.subject).not.toContain("Danke");
    expect(afterReset!.text).not.toContain("Bis bald.");

    expect(await t.auditOf("template_override.deleted")).toEqual([expect.objectContaining({ targetId: "payment_recovered:de", actor: "user:usr_editor" })]);
    // Deleting what is not there changes nothing and writes no second entry.
    expect(await deleteOverride(t.db, t.sim.workspaceId, "payment_recovered", "de", operator)).toBe(false);
    expect(await t.auditOf("template_override.deleted")).toHaveLength(1);
  });

  it("saving every field empty goes back to the default", async () => {
    const t = await messagingCase();
    await saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "fr", subject: "Rappel : {amount}" }, operator);
    expect(await saveOverride(t.db, t.sim.workspaceId, { template: "reminder", locale: "fr", subject: " ", blocks: { intro: "" } }, operator)).toBeNull();
    expect(await getOverride(t.db, t.sim.workspaceId, "reminder", "fr")).toBeNull();
  });
});

describe("the template editor", () => {
  it("starts from the copy as written, placeholders and optional parts included", () => {
    const en = defaultCopy("reminder", "en");
    expect(en.subject).toBe("Your payment of {amount} is overdue");
    expect(en.blocks.greeting).toBe("Hello[[ {customerName}]],");
    expect(en.blocks.intro).toBe("We still haven't been able to collect {amount} for your[[ {planName}]] subscription[[ (invoice {invoiceNumber})]], and the payment is now overdue.");
    expect(defaultCopy("reminder", "de").blocks.greeting).toBe("Guten Tag[[ {customerName}]],");
    // Every template in every language: never the sample customer's filled-in text.
    const filled = messageTemplates.flatMap((tpl) => messageLocales.flatMap((l) => Object.values({ ...defaultCopy(tpl, l).blocks, subject: defaultCopy(tpl, l).subject })));
    expect(filled.filter((text) => /Ana García|4242|INV-2026|Acme|49[.,]00|billing@acme/.test(text!))).toEqual([]);
  });

  it("previews the unsaved override with the sample data and the workspace's branding", async () => {
    const preview = await renderTemplatePreview("reminder", "de", { name: "Globex", color: "#16a34a" }, { subject: "{customerName}: {amount} offen", blocks: { intro: "Bitte zahlen Sie {amount}." } });
    expect(preview.subject).toBe(`Ana García: 49,00${NBSP}€ offen`);
    expect(preview.text).toContain(`Bitte zahlen Sie 49,00${NBSP}€.`);
    expect(preview.html).toContain("#16a34a");
    expect(preview.html).toContain("Globex");
    expect(preview.html).not.toContain("Acme Analytics");
  });
});

describe("send me a test", () => {
  let restore: (() => void) | undefined;
  let resend: FakeResend | undefined;
  afterEach(async () => {
    restore?.();
    await resend?.close();
    restore = resend = undefined;
  });

  it("stores the rendered test in the Outbox as sent to the operator, keyed test:<template>:<locale>:<time>", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    const now = new Date("2026-03-02T09:00:00Z");
    const sent = await sendTestMessage(db, ws, { template: "reminder", locale: "de", subject: "Test {amount}" }, { userId: "usr_editor", email: "ops@acme.example" }, now);
    expect(sent).toMatchObject({ recipient: "ops@acme.example", delivered: "outbox" });
    const [row] = await db.query.messages.findMany({ where: (m, { eq }) => eq(m.workspaceId, ws.id) });
    expect(row).toMatchObject({ status: "sent", template: "reminder", locale: "de", recipient: "ops@acme.example", idempotencyKey: `test:reminder:de:${now.getTime()}`, subject: `Test 49,00${NBSP}€` });
    expect(row!.sentAt).toEqual(now);
  });

  it("goes through Resend when configured, and refuses an invalid draft before sending anything", async () => {
    resend = await startFakeResend();
    restore = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url, EMAIL_FROM: "Billing <billing@acme.example>" });
    const db = await getDb();
    const ws = await makeWorkspace();
    const now = new Date("2026-03-02T09:00:00Z");
    await refusal(sendTestMessage(db, ws, { template: "reminder", locale: "en", subject: "{oops}" }, { userId: "usr_editor", email: "ops@acme.example" }, now));
    expect(resend.requests).toHaveLength(0);

    const sent = await sendTestMessage(db, ws, { template: "final_notice", locale: "en" }, { userId: "usr_editor", email: "ops@acme.example" }, now);
    expect(sent.delivered).toBe("resend");
    expect(resend.requests.map((r) => r.idempotencyKey)).toEqual([`test:final_notice:en:${now.getTime()}`]);
    expect(resend.requests[0]!.body).toMatchObject({ to: "ops@acme.example" });
    const [row] = await db.query.messages.findMany({ where: (m, { eq }) => eq(m.workspaceId, ws.id) });
    expect(row).toMatchObject({ status: "sent", providerId: resend.sent.get(`test:final_notice:en:${now.getTime()}`)!.id });
    const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, ws.id));
    expect(resend.requests[0]!.body.html).toContain(workspace!.name);
  });
});
