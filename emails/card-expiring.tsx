import { Details } from "./components/details";
import { Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** Before a renewal, when the card on file expires first (pre-dunning). */
export default function CardExpiringEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "body"]} />
      <PrimaryButton content={content} />
      <Details content={content} />
    </Layout>
  );
}

CardExpiringEmail.PreviewProps = previewProps("card_expiring", { data: { dueDate: "2026-04-01T08:00:00Z" } }) satisfies EmailProps;
