import { Field, Input, type InputProps } from "@/components/ui";

/** Secret inputs: masked, never autofilled or spell-checked, never given a value back. */
export function SecretInput(props: Omit<InputProps, "type" | "value" | "defaultValue">) {
  return <Input {...props} type="password" autoComplete="off" spellCheck={false} autoCapitalize="off" className="font-mono" />;
}

function NameField({ placeholder }: { placeholder: string }) {
  return (
    <Field label="Name" htmlFor="name" description="How this connection is called in Dunwell. Optional.">
      <Input id="name" name="name" maxLength={80} placeholder={placeholder} />
    </Field>
  );
}

function ApiBaseField({ example }: { example: string }) {
  return (
    <Field label="API base URL" htmlFor="apiBase" description={`Leave empty. Only for a local test server, e.g. ${example}.`}>
      <Input id="apiBase" name="apiBase" type="url" inputMode="url" autoComplete="off" placeholder={example} className="font-mono" />
    </Field>
  );
}

export function StripeFields() {
  return (
    <>
      <NameField placeholder="Stripe" />
      <Field
        label="Secret key"
        htmlFor="secretKey"
        required
        description="Developers → API keys. A restricted key (rk_…) is safer than the full secret key (sk_…); give it the permissions listed on this page."
      >
        <SecretInput id="secretKey" name="secretKey" required placeholder="rk_live_…" />
      </Field>
      <Field
        label="Webhook signing secret"
        htmlFor="webhookSecret"
        description="Developers → Webhooks → your endpoint → Signing secret. You may leave it empty now: save, create the Stripe endpoint with the URL Dunwell then shows, and add its secret with Rotate secrets. Until then Dunwell refuses the webhooks."
      >
        <SecretInput id="webhookSecret" name="webhookSecret" placeholder="whsec_…" />
      </Field>
      <Field
        label="Second signing secret"
        htmlFor="webhookSecretSecond"
        description="Optional. Only while you roll the signing secret: Dunwell accepts events signed with either of the two."
      >
        <SecretInput id="webhookSecretSecond" name="webhookSecretSecond" placeholder="whsec_…" />
      </Field>
      <Field label="Publishable key" htmlFor="publishableKey" description="Optional. The portal's card form (Stripe Payment Element) needs it. It is not secret.">
        <Input id="publishableKey" name="publishableKey" autoComplete="off" spellCheck={false} placeholder="pk_live_…" className="font-mono" />
      </Field>
      <ApiBaseField example="http://127.0.0.1:12111" />
    </>
  );
}

export function ChargebeeFields() {
  return (
    <>
      <NameField placeholder="Chargebee (acme)" />
      <Field label="Site" htmlFor="site" required description="The part before .chargebee.com, e.g. acme-test for acme-test.chargebee.com.">
        <Input id="site" name="site" required autoComplete="off" spellCheck={false} pattern="[a-z0-9-]+" placeholder="acme-test" className="font-mono" />
      </Field>
      <Field
        label="API key"
        htmlFor="apiKey"
        required
        description="Settings → Configure Chargebee → API Keys → a full-access key: Dunwell collects payments and updates subscriptions."
      >
        <SecretInput id="apiKey" name="apiKey" required />
      </Field>
      <Field label="Webhook username" htmlFor="webhookUsername" required description="You choose it; enter the same in the webhook's basic authentication in Chargebee.">
        <Input id="webhookUsername" name="webhookUsername" required autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Webhook password" htmlFor="webhookPassword" required description="You choose it too: 12 characters or more, random. Chargebee sends it with every webhook.">
        <SecretInput id="webhookPassword" name="webhookPassword" required />
      </Field>
      <ApiBaseField example="http://localhost:8080" />
    </>
  );
}

export function SandboxFields() {
  return <NameField placeholder="Sandbox" />;
}
