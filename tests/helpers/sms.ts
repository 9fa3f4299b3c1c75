import { eq } from "drizzle-orm";
import { customers } from "@/drizzle/schema";
import type { SendMessageInput } from "@/lib/messaging/send";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from "../fakes/twilio-api";
import { messagingCase } from "./messaging";

/** The customer's number as sendMessage normalizes it (the provider holds "+49 151 1234-5678"). */
export const PHONE = "+4915112345678";

export const twilioEnv = (url: string) => ({ TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM, TWILIO_BASE_URL: url });

/** A case whose customer has a phone on file, in a workspace with SMS turned on. */
export async function smsCase(options: { start?: string; phone?: string | null; smsEnabled?: boolean } = {}) {
  const t = await messagingCase({ start: options.start ?? "2026-03-02T09:00:00Z" });
  await t.db.update(customers).set({ phone: options.phone === undefined ? "+49 151 1234-5678" : options.phone }).where(eq(customers.id, t.kase.customerId));
  const settings = { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 2, branding: { name: "Acme" }, smsEnabled: options.smsEnabled ?? true };
  await saveMessagingSettings(t.db, t.sim.workspaceId, settings, { kind: "system" });
  const sms = (over: Partial<SendMessageInput> = {}) => t.input({ channel: "sms", template: "reminder", ...over });
  return { ...t, sms };
}
