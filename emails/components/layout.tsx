import { Body, Button, Container, Head, Heading, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import type { MessageContent } from "@/lib/messaging/copy/compose";
import type { MessageBlock } from "@/lib/messaging/copy/types";

/** Every template takes the composed message: words, numbers and branding already resolved. */
export type EmailProps = { content: MessageContent };

// Inline styles rather than Tailwind: the brand colour is chosen per workspace at send time.
const styles = {
  body: { backgroundColor: "#f4f5f7", fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" },
  container: { maxWidth: "560px", margin: "0 auto", padding: "0 12px" },
  header: { padding: "8px 0 16px" },
  brandName: { fontSize: "20px", fontWeight: 700, margin: 0 },
  card: { backgroundColor: "#ffffff", borderRadius: "8px", padding: "32px 28px", border: "1px solid #e5e7eb" },
  heading: { fontSize: "22px", lineHeight: "30px", fontWeight: 700, color: "#111827", margin: "0 0 20px" },
  paragraph: { fontSize: "15px", lineHeight: "24px", color: "#1f2937", margin: "0 0 16px" },
  button: { display: "inline-block", borderRadius: "6px", padding: "12px 24px", fontSize: "15px", fontWeight: 600, textDecoration: "none" },
  fallback: { fontSize: "12px", lineHeight: "18px", color: "#6b7280", margin: "0 0 24px" },
  footer: { fontSize: "12px", lineHeight: "18px", color: "#6b7280", margin: "0 0 6px", textAlign: "center" },
} satisfies Record<string, CSSProperties>;

/** A named block of copy as a paragraph; line breaks in the text are kept. Absent blocks render nothing. */
export function Block({ content, name }: EmailProps & { name: MessageBlock }) {
  const text = content.blocks[name];
  if (!text) return null;
  const lines = text.split("\n");
  return (
    <Text style={styles.paragraph}>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </Text>
  );
}

/** Several blocks in the given order. */
export function Blocks({ content, names }: EmailProps & { names: MessageBlock[] }) {
  return (
    <>
      {names.map((name) => (
        <Block key={name} content={content} name={name} />
      ))}
    </>
  );
}

/** The one thing to do: a button to the portal, with the link spelled out for clients that block buttons. */
export function PrimaryButton({ content }: EmailProps) {
  const { brand, portalUrl, footer } = content;
  return (
    <>
      <Section style={{ textAlign: "center", margin: "8px 0 20px" }}>
        <Button href={portalUrl} style={{ ...styles.button, backgroundColor: brand.color, color: brand.buttonTextColor }}>
          {content.blocks.button}
        </Button>
      </Section>
      {/* The plain-text part already has the link next to the button label. */}
      <Text style={styles.fallback} data-skip-in-text="true">
        {footer.buttonFallback}{" "}
        {/* Only the long URL may break anywhere; the sentence before it wraps at spaces. */}
        <Link href={portalUrl} style={{ color: brand.color, wordBreak: "break-all" }}>
          {portalUrl}
        </Link>
      </Text>
    </>
  );
}

function Footer({ content }: EmailProps) {
  const { footer } = content;
  return (
    <Section style={{ padding: "20px 0 0" }}>
      <Text style={styles.footer}>{footer.about}</Text>
      {footer.postalAddress ? <Text style={styles.footer}>{footer.postalAddress.split("\n").join(" · ")}</Text> : null}
      {footer.unsubscribe ? (
        <Text style={styles.footer}>
          <Link href={footer.unsubscribe.url} style={{ color: "#6b7280", textDecoration: "underline" }}>
            {footer.unsubscribe.label}
          </Link>
        </Text>
      ) : null}
    </Section>
  );
}

/** The workspace's frame around every message: logo or name, heading, greeting, sign-off, footer. */
export function Layout({ content, children }: EmailProps & { children: ReactNode }) {
  const { brand, blocks } = content;
  return (
    <Html lang={content.locale} dir="ltr">
      <Head />
      {blocks.preview ? <Preview>{blocks.preview}</Preview> : null}
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={styles.header}>
            {brand.logoUrl ? (
              <Img src={brand.logoUrl} alt={brand.name} height="36" style={{ height: "36px", width: "auto" }} />
            ) : (
              <Text style={{ ...styles.brandName, color: brand.color }}>{brand.name}</Text>
            )}
          </Section>
          <Section style={styles.card}>
            {blocks.heading ? (
              <Heading as="h1" style={styles.heading}>
                {blocks.heading}
              </Heading>
            ) : null}
            <Block content={content} name="greeting" />
            {children}
            <Blocks content={content} names={["closing", "signoff"]} />
          </Section>
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 0" }} />
          <Footer content={content} />
        </Container>
      </Body>
    </Html>
  );
}
