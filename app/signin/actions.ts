"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth/next-auth";

const input = z.object({
  email: z.email("Enter the email address you were invited with."),
  callbackUrl: z.string().startsWith("/").optional(),
  provider: z.enum(["email", "github", "google"]).default("email"),
});

export type SignInState = { error?: string } | null;

export async function requestSignIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const provider = String(formData.get("provider") ?? "email");
  const callbackUrl = String(formData.get("callbackUrl") || "/admin");
  if (provider !== "email") {
    await signIn(provider, { redirectTo: callbackUrl.startsWith("/") ? callbackUrl : "/admin" });
    return null;
  }
  const parsed = input.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { error: parsed.error.issues[0]!.message };
  try {
    await signIn("email", { email: parsed.data.email, redirectTo: parsed.data.callbackUrl ?? "/admin" });
  } catch (error) {
    // signIn redirects by throwing; only Auth.js's own errors are failures here.
    if (error instanceof AuthError) return { error: "We could not send a sign-in link just now. Try again in a moment." };
    throw error;
  }
  return null;
}
