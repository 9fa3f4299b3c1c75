// @vitest-environment jsdom
import { act, useEffect } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StripeAuthenticateForm, StripePaymentForm, type StripeAuthenticateFormProps, type StripePaymentFormProps } from "@/app/(portal)/portal/_components/stripe-payment-form";

/**
 * The Payment Element form in the browser, with Stripe.js replaced by a stand-in: what it
 * asks Stripe.js to confirm, and that the server's finish step runs only after a success.
 */

const stripe = { confirmSetup: vi.fn(), confirmPayment: vi.fn(), handleNextAction: vi.fn(), retrievePaymentIntent: vi.fn() };
const elements = { submit: vi.fn() };

vi.mock("@stripe/stripe-js", () => ({ loadStripe: vi.fn(async () => stripe) }));
vi.mock("@stripe/react-stripe-js", () => ({
  Elements: ({ children }: { children: React.ReactNode }) => children,
  PaymentElement: ({ onReady }: { onReady?: () => void }) => {
    useEffect(() => onReady?.(), [onReady]);
    return <div data-testid="payment-element" />;
  },
  useStripe: () => stripe,
  useElements: () => elements,
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const labels = { submit: "Save card", loading: "Loading…", confirming: "Confirming…", done: "Card saved.", notConfirmed: "Not confirmed.", failed: "Problem." };
let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  for (const fn of Object.values(stripe)) fn.mockReset();
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

async function submitForm(props: Partial<StripePaymentFormProps> & Pick<StripePaymentFormProps, "finish">) {
  await act(async () => {
    root.render(
      <StripePaymentForm publishableKey="pk_test_x" clientSecret="seti_1_secret_2" intent="setup" returnUrl="https://app.example/portal/return" locale="de" labels={labels} {...props} />,
    );
  });
  const button = container.querySelector("button[type=submit]") as HTMLButtonElement;
  expect(button.disabled).toBe(false);
  await act(async () => {
    container.querySelector("form")!.requestSubmit();
  });
}

describe("StripePaymentForm", () => {
  it("confirms the SetupIntent without a redirect unless one is needed, then finishes on the server with its id", async () => {
    stripe.confirmSetup.mockResolvedValue({ setupIntent: { id: "seti_1", status: "succeeded" } });
    const finish = vi.fn(async (_data: FormData) => {});
    await submitForm({ finish });
    expect(stripe.confirmSetup).toHaveBeenCalledWith({ elements, confirmParams: { return_url: "https://app.example/portal/return" }, redirect: "if_required" });
    expect(stripe.confirmPayment).not.toHaveBeenCalled();
    expect(finish).toHaveBeenCalledTimes(1);
    expect(Object.fromEntries(finish.mock.calls[0]![0])).toEqual({ reference: "seti_1" });
    expect(container.textContent).toContain("Card saved.");
  });

  it("shows Stripe's card error and does not finish", async () => {
    stripe.confirmSetup.mockResolvedValue({ error: { type: "card_error", message: "Ihre Karte wurde abgelehnt." } });
    const finish = vi.fn(async (_data: FormData) => {});
    await submitForm({ finish });
    expect(finish).not.toHaveBeenCalled();
    expect(container.querySelector("[role=alert]")?.textContent).toBe("Ihre Karte wurde abgelehnt.");
    expect((container.querySelector("button[type=submit]") as HTMLButtonElement).disabled).toBe(false);
  });

  it("uses its own words for errors that are not the card's, and for a 3-D Secure challenge that was not passed", async () => {
    const finish = vi.fn(async (_data: FormData) => {});
    stripe.confirmSetup.mockResolvedValueOnce({ error: { type: "api_connection_error", message: "Failed to fetch" } });
    await submitForm({ finish });
    expect(container.querySelector("[role=alert]")?.textContent).toBe("Problem.");
    stripe.confirmSetup.mockResolvedValueOnce({ setupIntent: { id: "seti_1", status: "requires_payment_method" } });
    await act(async () => {
      container.querySelector("form")!.requestSubmit();
    });
    expect(container.querySelector("[role=alert]")?.textContent).toBe("Not confirmed.");
    expect(finish).not.toHaveBeenCalled();
  });

  it("pays with confirmPayment and sends which invoice along", async () => {
    stripe.confirmPayment.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "succeeded" } });
    const finish = vi.fn(async (_data: FormData) => {});
    await submitForm({ finish, intent: "payment", clientSecret: "pi_1_secret_2", fields: { invoice: "inv_42" } });
    expect(stripe.confirmPayment).toHaveBeenCalledWith(expect.objectContaining({ elements, redirect: "if_required" }));
    expect(stripe.confirmSetup).not.toHaveBeenCalled();
    expect(Object.fromEntries(finish.mock.calls[0]![0])).toEqual({ invoice: "inv_42", reference: "pi_1" });
  });
});

describe("StripeAuthenticateForm (an installment's first part the bank wants confirmed)", () => {
  const secret = "pi_1_secret_2";
  async function confirmWithBank(props: Partial<StripeAuthenticateFormProps> & Pick<StripeAuthenticateFormProps, "finish">) {
    await act(async () => {
      root.render(
        <StripeAuthenticateForm
          publishableKey="pk_test_x"
          clientSecret={secret}
          paymentMethod="pm_3ds"
          returnUrl="https://app.example/portal/return"
          fields={{ plan: "plan_1" }}
          labels={{ ...labels, submit: "Confirm with your bank", done: "Confirmed." }}
          {...props}
        />,
      );
    });
    expect(container.querySelector("[data-testid=payment-element]")).toBeNull();
    await act(async () => {
      container.querySelector("form")!.requestSubmit();
    });
  }

  it("finishes an intent in requires_action with handleNextAction, then sends the plan to the server", async () => {
    stripe.retrievePaymentIntent.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "requires_action" } });
    stripe.handleNextAction.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "succeeded" } });
    const finish = vi.fn(async (_data: FormData) => {});
    await confirmWithBank({ finish });
    expect(stripe.handleNextAction).toHaveBeenCalledWith({ clientSecret: secret });
    expect(stripe.confirmPayment).not.toHaveBeenCalled();
    expect(Object.fromEntries(finish.mock.calls[0]![0])).toEqual({ plan: "plan_1" });
    expect(container.textContent).toContain("Confirmed.");
  });

  it("confirms an intent Stripe refused off-session again with the saved card; a failed challenge says so and does not finish", async () => {
    stripe.retrievePaymentIntent.mockResolvedValue({ paymentIntent: { id: "pi_1", status: "requires_payment_method" } });
    stripe.confirmPayment.mockResolvedValue({ error: { type: "invalid_request_error", code: "payment_intent_authentication_failure", message: "failed authentication" } });
    const finish = vi.fn(async (_data: FormData) => {});
    await confirmWithBank({ finish });
    expect(stripe.confirmPayment).toHaveBeenCalledWith({
      clientSecret: secret,
      confirmParams: { payment_method: "pm_3ds", return_url: "https://app.example/portal/return" },
      redirect: "if_required",
    });
    expect(stripe.handleNextAction).not.toHaveBeenCalled();
    expect(finish).not.toHaveBeenCalled();
    expect(container.querySelector("[role=alert]")?.textContent).toBe("Not confirmed.");
    expect((container.querySelector("button[type=submit]") as HTMLButtonElement).disabled).toBe(false);
  });
});
