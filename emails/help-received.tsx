import { Block, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** Acknowledges a help request sent from the portal. */
export default function HelpReceivedEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Block content={content} name="intro" />
      <Block content={content} name="body" />
      <PrimaryButton content={content} />
    </Layout>
  );
}

HelpReceivedEmail.PreviewProps = previewProps("help_received") satisfies EmailProps;
