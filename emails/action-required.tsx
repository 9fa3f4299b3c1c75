import { Details } from "./components/details";
import { Block, Blocks, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** The bank asks the customer to authenticate the payment (3-D Secure): the button comes early. */
export default function ActionRequiredEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Block content={content} name="intro" />
      <PrimaryButton content={content} />
      <Blocks content={content} names={["body", "action", "urgency"]} />
      <Details content={content} />
    </Layout>
  );
}

ActionRequiredEmail.PreviewProps = previewProps("action_required") satisfies EmailProps;
