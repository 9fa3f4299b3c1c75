import { Details } from "./components/details";
import { Block, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** Receipt and thanks once the invoice is paid; never carries an unsubscribe link. */
export default function PaymentRecoveredEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Block content={content} name="intro" />
      <Details content={content} />
      <Block content={content} name="body" />
      <PrimaryButton content={content} />
    </Layout>
  );
}

PaymentRecoveredEmail.PreviewProps = previewProps("payment_recovered") satisfies EmailProps;
