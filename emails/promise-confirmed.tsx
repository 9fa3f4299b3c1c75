import { Details } from "./components/details";
import { Block, Layout, PrimaryButton, type EmailProps } from "./components/layout";
import { previewProps } from "./components/preview";

/** Confirms the date the customer promised to pay by. */
export default function PromiseConfirmedEmail({ content }: EmailProps) {
  return (
    <Layout content={content}>
      <Block content={content} name="intro" />
      <Details content={content} />
      <Block content={content} name="body" />
      <PrimaryButton content={content} />
    </Layout>
  );
}

PromiseConfirmedEmail.PreviewProps = previewProps("promise_confirmed") satisfies EmailProps;
