import { Details } from "./components/details";
import { Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** The last message before the final action: the consequence comes first, then how to avoid it. */
export default function FinalNoticeEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Blocks content={content} names={["intro", "urgency", "reason", "action"]} />
      <PrimaryButton content={content} />
      <Details content={content} />
    </Layout>
  );
}

FinalNoticeEmail.PreviewProps = previewProps("final_notice", { declineCategory: "generic" }) satisfies EmailProps;
