import { eq } from "drizzle-orm";
import { z } from "zod";
import { messagingSettings, type WorkspaceBranding } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { DbOrTx } from "@/lib/db/client";
import { parseInput } from "@/lib/validation";

export type MessagingSettings = {
  sendWindowStartHour: number;
  sendWindowEndHour: number;
  maxRemindersPer7Days: number;
  branding: WorkspaceBranding;
  smsEnabled: boolean;
};

export const defaultMessagingSettings: MessagingSettings = { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 2, branding: {}, smsEnabled: false };

/** The workspace's settings, or the defaults when it never saved any. */
export async function getMessagingSettings(db: DbOrTx, workspaceId: string): Promise<MessagingSettings> {
  const [row] = await db.select().from(messagingSettings).where(eq(messagingSettings.workspaceId, workspaceId));
  if (!row) return defaultMessagingSettings;
  const { sendWindowStartHour, sendWindowEndHour, maxRemindersPer7Days, branding, smsEnabled } = row;
  return { sendWindowStartHour, sendWindowEndHour, maxRemindersPer7Days, branding, smsEnabled };
}

const text = (max: number) => z.string().trim().max(max).optional();

export const brandingInput = z.object({
  name: text(80),
  logoUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
  color: z.string().regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i, "must be a hex colour such as #4f46e5").optional(),
  senderName: text(80),
  supportEmail: z.email("must be an email address").optional(),
  postalAddress: text(300),
});

export const messagingSettingsInput = z
  .object({
    sendWindowStartHour: z.number().int().min(0, "must be between 0 and 23").max(23, "must be between 0 and 23"),
    sendWindowEndHour: z.number().int().min(1, "must be between 1 and 24").max(24, "must be between 1 and 24"),
    maxRemindersPer7Days: z.number().int().min(1, "must be at least 1").max(14, "must be at most 14"),
    branding: brandingInput,
    smsEnabled: z.boolean(),
  })
  .refine((s) => s.sendWindowStartHour < s.sendWindowEndHour, { path: ["sendWindowEndHour"], message: "must be after the start hour (08:00 to 21:00 is 8 and 21)" });

export async function saveMessagingSettings(db: DbOrTx, workspaceId: string, input: unknown, actor: Actor): Promise<MessagingSettings> {
  const settings = parseInput(messagingSettingsInput, input);
  await db
    .insert(messagingSettings)
    .values({ workspaceId, ...settings })
    .onConflictDoUpdate({ target: messagingSettings.workspaceId, set: { ...settings, updatedAt: new Date() } });
  await recordAudit(db, { workspaceId, actor, action: "messaging_settings.saved", targetType: "workspace", targetId: workspaceId, data: settings });
  return settings;
}

/** Replace the workspace's branding, keeping its sending rules; fields left out fall back to the defaults. */
export async function saveBranding(db: DbOrTx, workspaceId: string, input: unknown, actor: Actor): Promise<WorkspaceBranding> {
  // A field left empty in a form means "not set": absent from the stored branding, not "".
  const given = typeof input === "object" && input !== null ? Object.fromEntries(Object.entries(input).filter(([, v]) => !(typeof v === "string" && v.trim() === ""))) : input;
  const branding: WorkspaceBranding = parseInput(brandingInput, given);
  const current = await getMessagingSettings(db, workspaceId);
  await db
    .insert(messagingSettings)
    .values({ workspaceId, ...current, branding })
    .onConflictDoUpdate({ target: messagingSettings.workspaceId, set: { branding, updatedAt: new Date() } });
  await recordAudit(db, { workspaceId, actor, action: "messaging_branding.saved", targetType: "workspace", targetId: workspaceId, data: { branding } });
  return branding;
}
