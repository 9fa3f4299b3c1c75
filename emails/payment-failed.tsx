import { Details } from "./components/details";
import { Block, Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** First notice after a failed charge: friendly, says what happened and the one thing to do. */
export default function PaymentFailedEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "reason", "action"]} />
      <PrimaryButton content={content} />
      <Details content={content} />
      <Block content={content} name="urgency" />
    </Layout>
  );
}

PaymentFailedEmail.PreviewProps = previewProps("payment_failed", { declineCategory: "insufficient_funds" }) satisfies EmailProps;
