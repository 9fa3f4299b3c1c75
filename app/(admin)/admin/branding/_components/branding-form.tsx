"use client";

import { useActionState } from "react";
import { Alert, Button, Field, Input, Textarea } from "@/components/ui";
import type { WorkspaceBranding } from "@/drizzle/schema";
import { saveBrandingAction, type BrandingFormState } from "../actions";

const HEX = "#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})";

/** The workspace's branding; a refused save shows the error and keeps what was typed. */
export function BrandingForm({ saved, workspaceName }: { saved: WorkspaceBranding; workspaceName: string }) {
  const [state, formAction, pending] = useActionState<BrandingFormState | null, FormData>(saveBrandingAction, null);
  // After a refused save the fields show what was typed, not what is stored.
  const value = (field: keyof WorkspaceBranding) => (state && !state.ok ? state.values[field] : saved[field]) ?? "";

  return (
    <form action={formAction} className="space-y-4">
      <Field label="Company name" htmlFor="branding-name" description={`In the header, footer and sign-off. Empty: the workspace name (${workspaceName}).`}>
        <Input name="name" defaultValue={value("name")} maxLength={80} placeholder={workspaceName} />
      </Field>
      <Field label="Logo URL" htmlFor="branding-logo" description="An https image, about 200 × 50 px, shown at the top of each email. Empty: the company name in text.">
        <Input type="url" name="logoUrl" defaultValue={value("logoUrl")} placeholder="https://acme.example/logo.png" />
      </Field>
      <Field label="Brand colour" htmlFor="branding-color" description="Buttons and accents, as a hex colour. The button text turns dark or light to stay readable.">
        <Input name="color" defaultValue={value("color")} pattern={HEX} title="A hex colour such as #4f46e5" placeholder="#2563eb" className="font-mono" />
      </Field>
      <Field label="Sender name" htmlFor="branding-sender" description="Shown as who the email is from and in the sign-off, e.g. “Acme Billing”. Empty: the company name.">
        <Input name="senderName" defaultValue={value("senderName")} maxLength={80} />
      </Field>
      <Field label="Support email" htmlFor="branding-support" description="Where customers can write with questions; the messages mention it.">
        <Input type="email" name="supportEmail" defaultValue={value("supportEmail")} placeholder="billing@acme.example" />
      </Field>
      <Field label="Postal address" htmlFor="branding-address" description="In the footer of every email; anti-spam laws (CAN-SPAM and others) ask for one.">
        <Textarea name="postalAddress" defaultValue={value("postalAddress")} maxLength={300} rows={3} />
      </Field>
      {state && !pending ? <Alert variant={state.ok ? "success" : "error"}>{state.ok ? state.message : state.error}</Alert> : null}
      <Button type="submit" pending={pending}>
        Save branding
      </Button>
    </form>
  );
}
