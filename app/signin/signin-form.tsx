"use client";

import { useActionState } from "react";
import { Button, Field, Input } from "@/components/ui";
import { requestSignIn } from "./actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(requestSignIn, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <input type="hidden" name="provider" value="email" />
      <Field label="Work email" htmlFor="email" error={state?.error}>
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <Button type="submit" pending={pending} className="w-full">
        Email me a sign-in link
      </Button>
    </form>
  );
}
