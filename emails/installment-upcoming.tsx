import { Details, Schedule } from "./components/details";
import { Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { planData, previewProps } from "./components/preview";

/** A heads-up before an installment is charged. */
export default function InstallmentUpcomingEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "body"]} />
      <Details content={content} />
      <PrimaryButton content={content} />
      <Schedule content={content} />
    </Layout>
  );
}

InstallmentUpcomingEmail.PreviewProps = previewProps("installment_upcoming", { data: { ...planData, amountMinor: 4900, dueDate: "2026-04-14T09:00:00Z" } }) satisfies EmailProps;
