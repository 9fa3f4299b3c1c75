"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { WorkspaceBranding } from "@/drizzle/schema";
import { operatorAction, type ActionResult } from "@/lib/actions";
import { getDb } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { saveBranding } from "@/lib/messaging/settings";

/** The form's fields, with the labels the page shows (errors name the field as the operator reads it). */
const labels: Record<keyof WorkspaceBranding, string> = {
  name: "Company name",
  logoUrl: "Logo URL",
  color: "Brand colour",
  senderName: "Sender name",
  supportEmail: "Support email",
  postalAddress: "Postal address",
};
const fields = Object.keys(labels) as (keyof WorkspaceBranding)[];
const brandingForm = z.object(Object.fromEntries(fields.map((f) => [f, z.string().optional()])) as Record<keyof WorkspaceBranding, z.ZodOptional<z.ZodString>>);

const save = operatorAction<typeof brandingForm, never>("admin", brandingForm, async (input, context) => {
  try {
    await saveBranding(await getDb(), context.workspace.id, input, { kind: "user", userId: context.user.id });
  } catch (error) {
    // "logoUrl: must be an http(s) URL" → "Logo URL must be an http(s) URL".
    if (isAppError(error) && error.code === "invalid_input") {
      throw new AppError("invalid_input", error.message.replace(/^(\w+): /, (match, field: string) => (field in labels ? `${labels[field as keyof WorkspaceBranding]} ` : match)));
    }
    throw error;
  }
  revalidatePath("/admin/branding");
  revalidatePath("/admin/templates", "layout");
  return { message: "Branding saved. Messages from now on, and the template previews, use it." };
});

export type BrandingFormState = ActionResult & { values: Partial<Record<keyof WorkspaceBranding, string>> };

/** Saves the branding; what was typed comes back, so a refused save keeps it in the form. */
export async function saveBrandingAction(_previous: BrandingFormState | null, formData: FormData): Promise<BrandingFormState> {
  const result = await save(null, formData);
  const values = Object.fromEntries(fields.map((f) => [f, String(formData.get(f) ?? "")]));
  return { ...result, values };
}
