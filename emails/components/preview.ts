import type { MessageTemplate } from "@/lib/dunning/types";
import { composeMessage, type MessageBranding, type MessageData, type MessageInput } from "@/lib/messaging/copy/compose";
import type { EmailProps } from "./layout";

/** A realistic message for the react-email preview server; fixed dates, so previews never drift. */
type PreviewInput = Partial<Omit<MessageInput, "template" | "branding" | "data">> & { branding?: Partial<MessageBranding>; data?: Partial<MessageData> };

/** A three-month plan for the installment previews. */
export const planData: Partial<MessageData> = {
  installments: [
    { dueAt: "2026-03-14T09:00:00Z", amountMinor: 4900 },
    { dueAt: "2026-04-14T09:00:00Z", amountMinor: 4900 },
    { dueAt: "2026-05-14T09:00:00Z", amountMinor: 4900 },
  ],
};

export function previewProps(template: MessageTemplate, input: PreviewInput = {}): EmailProps {
  return {
    content: composeMessage({
      template,
      locale: "en",
      timezone: "Europe/Berlin",
      declineCategory: "insufficient_funds",
      ...input,
      branding: {
        name: "Acme Analytics",
        color: "#4f46e5",
        senderName: "The Acme billing team",
        supportEmail: "billing@acme.example",
        postalAddress: "Acme Analytics GmbH\nTorstraße 1, 10119 Berlin, Germany",
        ...input.branding,
      },
      data: {
        customerName: "Ana García",
        planName: "Pro",
        invoiceNumber: "INV-2026-0042",
        amountMinor: 4900,
        currency: "eur",
        dueDate: "2026-03-14T09:00:00Z",
        nextRetryAt: "2026-03-04T09:00:00Z",
        paidAt: "2026-03-05T10:12:00Z",
        cardBrand: "visa",
        cardLast4: "4242",
        portalUrl: "https://billing.acme.example/p/preview-token",
        unsubscribeUrl: "https://billing.acme.example/unsubscribe/preview-token",
        promiseDate: "2026-03-20T12:00:00Z",
        ...input.data,
      },
    }),
  };
}
