"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { loadStripe, type Stripe, type StripeElementLocale, type StripeError } from "@stripe/stripe-js";
import { useEffect, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The words the form shows, already in the customer's language (functions cannot cross to the client). */
export type StripePaymentFormLabels = { submit: string; loading: string; confirming: string; done: string; notConfirmed: string; failed: string };

export type StripePaymentFormProps = {
  publishableKey: string;
  clientSecret: string;
  intent: "setup" | "payment";
  /** Where Stripe.js sends the customer back if a payment method needs a redirect (cards don't). */
  returnUrl: string;
  locale: StripeElementLocale;
  brandColor?: string;
  /** Sent to `finish` with the confirmed intent's id as `reference` (pay now: which invoice). */
  fields?: Record<string, string>;
  labels: StripePaymentFormLabels;
  /** The server action that reads the result back from Stripe and moves on to the result page. */
  finish: (data: FormData) => Promise<void>;
};

/** Stripe.js comes from js.stripe.com the first time this form renders, once per key: on this page only. */
const loaded = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let stripe = loaded.get(publishableKey);
  if (!stripe) loaded.set(publishableKey, (stripe = loadStripe(publishableKey)));
  return stripe;
}

/** The Payment Element, confirmed in the browser; 3-D Secure opens inside Stripe.js. */
export function StripePaymentForm({ publishableKey, clientSecret, locale, brandColor, ...form }: StripePaymentFormProps) {
  const options = { clientSecret, locale, appearance: { theme: "stripe" as const, variables: brandColor ? { colorPrimary: brandColor } : {} } };
  return (
    <Elements stripe={stripeFor(publishableKey)} options={options}>
      <ConfirmForm {...form} />
    </Elements>
  );
}

type Step = "idle" | "confirming" | "finishing";

/** Card errors and validation messages come localized from Stripe.js; anything else gets our own words. */
const messageOf = (error: StripeError, labels: Pick<StripePaymentFormLabels, "failed">) =>
  (error.type === "card_error" || error.type === "validation_error") && error.message ? error.message : labels.failed;

function ConfirmForm({ intent, returnUrl, fields, labels, finish }: Pick<StripePaymentFormProps, "intent" | "returnUrl" | "fields" | "labels" | "finish">) {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe || !elements || step !== "idle") return;
    setStep("confirming");
    setError(null);
    const confirmParams = { return_url: returnUrl };
    const result =
      intent === "setup"
        ? await stripe.confirmSetup({ elements, confirmParams, redirect: "if_required" })
        : await stripe.confirmPayment({ elements, confirmParams, redirect: "if_required" });
    const confirmed = result.error ? null : "setupIntent" in result ? result.setupIntent : result.paymentIntent;
    if (!confirmed || (confirmed.status !== "succeeded" && confirmed.status !== "processing")) {
      setStep("idle");
      setError(result.error ? messageOf(result.error, labels) : labels.notConfirmed);
      return;
    }
    setStep("finishing");
    const data = new FormData();
    for (const [name, value] of Object.entries(fields ?? {})) data.set(name, value);
    data.set("reference", confirmed.id);
    try {
      // Redirects to the result page; the server re-reads the intent or invoice from Stripe.
      await finish(data);
    } catch {
      setStep("idle");
      setError(labels.failed);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-busy={step !== "idle"}>
      {error ? <Alert variant="error">{error}</Alert> : null}
      {ready ? null : <p className="text-sm text-muted">{labels.loading}</p>}
      <PaymentElement onReady={() => setReady(true)} />
      {step !== "idle" ? (
        <p role="status" className="text-sm text-muted">
          {step === "confirming" ? labels.confirming : labels.done}
        </p>
      ) : null}
      <Button type="submit" size="lg" pending={step !== "idle"} disabled={!stripe || !elements || !ready}>
        {labels.submit}
      </Button>
    </form>
  );
}

export type StripeAuthenticateFormProps = {
  publishableKey: string;
  clientSecret: string;
  /** The saved card Stripe refused off-session for want of authentication; confirmed again on-session with it. */
  paymentMethod: string | null;
  returnUrl: string;
  /** Sent to `finish` (the plan's id); the server re-reads the PaymentIntent. */
  fields: Record<string, string>;
  labels: Pick<StripePaymentFormLabels, "submit" | "confirming" | "done" | "notConfirmed" | "failed">;
  finish: (data: FormData) => Promise<void>;
};

/**
 * A payment Dunwell charged off-session that the bank wants confirmed (3-D Secure): no card to
 * enter, one button. An intent in requires_action is finished with `handleNextAction`; one Stripe
 * refused off-session (authentication_required) or whose challenge failed is confirmed again
 * with the same saved card, which opens the challenge.
 */
export function StripeAuthenticateForm({ publishableKey, clientSecret, paymentMethod, returnUrl, fields, labels, finish }: StripeAuthenticateFormProps) {
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);
  // Stripe.js starts loading with the page, so the challenge opens without a wait.
  useEffect(() => void stripeFor(publishableKey), [publishableKey]);

  async function authenticate(stripe: Stripe) {
    const { paymentIntent } = await stripe.retrievePaymentIntent(clientSecret);
    if (paymentIntent?.status === "requires_action" || !paymentMethod) return stripe.handleNextAction({ clientSecret });
    return stripe.confirmPayment({ clientSecret, confirmParams: { payment_method: paymentMethod, return_url: returnUrl }, redirect: "if_required" });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step !== "idle") return;
    setStep("confirming");
    setError(null);
    const stripe = await stripeFor(publishableKey).catch(() => null);
    const result = stripe ? await authenticate(stripe) : null;
    const confirmed = result?.paymentIntent;
    if (!confirmed || (confirmed.status !== "succeeded" && confirmed.status !== "processing")) {
      setStep("idle");
      // A challenge the customer did not pass is not a problem of the form: they may try again.
      const failure = result?.error;
      setError(!result ? labels.failed : !failure || failure.code === "payment_intent_authentication_failure" ? labels.notConfirmed : messageOf(failure, labels));
      return;
    }
    setStep("finishing");
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    try {
      await finish(data);
    } catch {
      setStep("idle");
      setError(labels.failed);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-busy={step !== "idle"}>
      {error ? <Alert variant="error">{error}</Alert> : null}
      {step !== "idle" ? (
        <p role="status" className="text-sm text-muted">
          {step === "confirming" ? labels.confirming : labels.done}
        </p>
      ) : null}
      <Button type="submit" size="lg" pending={step !== "idle"}>
        {labels.submit}
      </Button>
    </form>
  );
}
