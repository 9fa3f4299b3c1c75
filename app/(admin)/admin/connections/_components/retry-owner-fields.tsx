import type { ProviderKind, RetryOwner } from "@/drizzle/schema";

const turnOff: Record<ProviderKind, string> = {
  stripe: "Turn off Stripe's automatic retries: Billing → Revenue recovery → Retries → off.",
  chargebee: "Turn off Chargebee's retries: Settings → Configure Chargebee → Retry Settings → disable.",
  sandbox: "The sandbox never retries on its own; nothing to turn off.",
};

type Props = { idPrefix: string; provider: ProviderKind; defaultValue?: RetryOwner; disabled?: boolean };

/**
 * The per-connection choice of who retries failed payments. Two retry schedules on one card
 * would break the card networks' retry limits, so exactly one side retries.
 */
export function RetryOwnerFields({ idPrefix, provider, defaultValue = "dunwell", disabled }: Props) {
  const options: { value: RetryOwner; label: string; description: string }[] = [
    {
      value: "dunwell",
      label: "Dunwell retries",
      description: `Dunwell plans smart retries and sends the messages. ${turnOff[provider]}`,
    },
    {
      value: "provider",
      label: "The provider retries, Dunwell communicates",
      description:
        "Dunwell reads the provider's next retry (Stripe next_payment_attempt, Chargebee dunning_status), sends reminders and hosts the portal, and never retries on top.",
    },
  ];
  return (
    <fieldset disabled={disabled} className="space-y-2">
      <legend className="mb-2 text-sm font-medium text-text">Who retries failed payments</legend>
      {options.map((option) => {
        const id = `${idPrefix}-retry-${option.value}`;
        return (
          <div key={option.value} className="flex gap-2.5">
            <input
              type="radio"
              id={id}
              name="retryOwner"
              value={option.value}
              defaultChecked={option.value === defaultValue}
              aria-describedby={`${id}-description`}
              className="mt-0.5 size-4 shrink-0 accent-primary"
            />
            <div className="min-w-0">
              <label htmlFor={id} className="text-sm font-medium text-text">
                {option.label}
              </label>
              <p id={`${id}-description`} className="text-sm text-muted">
                {option.description}
              </p>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
