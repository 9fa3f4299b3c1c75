import { Details } from "./components/details";
import { Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** A later reminder while the balance is still open: firmer, with the deadline. */
export default function ReminderEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "reason", "urgency", "action"]} />
      <PrimaryButton content={content} />
      <Details content={content} />
    </Layout>
  );
}

ReminderEmail.PreviewProps = previewProps("reminder", { declineCategory: "card_update_needed", tone: "firm" }) satisfies EmailProps;
