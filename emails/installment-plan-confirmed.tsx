import { Details, Schedule } from "./components/details";
import { Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { planData, previewProps } from "./components/preview";

/** Confirms a payment plan with its schedule of dates and amounts. */
export default function InstallmentPlanConfirmedEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "body"]} />
      <Schedule content={content} />
      <Details content={content} />
      <PrimaryButton content={content} />
    </Layout>
  );
}

InstallmentPlanConfirmedEmail.PreviewProps = previewProps("installment_confirmed", { data: { ...planData, amountMinor: 14700 } }) satisfies EmailProps;
