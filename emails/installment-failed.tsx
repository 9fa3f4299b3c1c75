import { Details } from "./components/details";
import { Block, Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { planData, previewProps } from "./components/preview";

/** An installment could not be collected: follows the decline like a failed payment. */
export default function InstallmentFailedEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "reason", "action"]} />
      <PrimaryButton content={content} />
      <Details content={content} />
      <Block content={content} name="urgency" />
    </Layout>
  );
}

InstallmentFailedEmail.PreviewProps = previewProps("installment_failed", { declineCategory: "card_update_needed", data: { ...planData, amountMinor: 4900, dueDate: "2026-04-14T09:00:00Z" } }) satisfies EmailProps;
