import type { ReactNode } from "react";
import { Field, Input } from "@/components/ui";
import type { DunningCase } from "@/drizzle/schema";
import { InlineActionForm } from "../../_components/inline-action-form";
import {
  extendCaseAction,
  paidOutOfBandAction,
  pauseCaseAction,
  replanCaseAction,
  resumeCaseAction,
  retryNowAction,
  writeOffAction,
} from "../../dunning-actions";
import { WriteOffDialog } from "./write-off-dialog";

/** One labelled group of the actions panel. */
function Group({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-1.5 py-3 first:pt-0 last:pb-0">
      <h3 className="text-sm font-medium text-text">{title}</h3>
      {hint ? <p className="text-xs text-muted">{hint}</p> : null}
      {children}
    </div>
  );
}

const Id = ({ id }: { id: string }) => <input type="hidden" name="id" value={id} />;
const row = "flex flex-wrap items-end gap-x-2 gap-y-1";

type Props = {
  c: DunningCase;
  /** The policy's latest version number, and the one the case follows. */
  currentVersion: number | null;
  caseVersion: number;
  /** Who retries failed payments on the case's connection. */
  retryOwner: "dunwell" | "provider";
  /** "€49.00 from ada@example.com", for the write-off confirmation. */
  what: string;
  /** The first date a pause may run until (yyyy-mm-dd in the workspace's zone). */
  tomorrow: string;
};

/** The operator's hands on a live (open or paused) case. Every form works without JavaScript. */
export function CaseActions({ c, currentVersion, caseVersion, retryOwner, what, tomorrow }: Props) {
  const caseHref = `/admin/cases/${encodeURIComponent(c.id)}`;
  return (
    <div className="divide-y divide-border">
      {c.status === "paused" ? (
        <Group title="Resume" hint="Planned steps that fell due during the pause run on the engine's next pass.">
          <InlineActionForm action={resumeCaseAction} submitLabel="Resume case">
            <Id id={c.id} />
          </InlineActionForm>
        </Group>
      ) : (
        <Group title="Pause" hint="No retries or messages while paused. Without a date it stays paused until resumed.">
          <InlineActionForm action={pauseCaseAction} submitLabel="Pause" className={row}>
            <Id id={c.id} />
            <Field label="Until (optional)" htmlFor="pause-until" className="w-40">
              <Input id="pause-until" name="until" type="date" min={tomorrow} />
            </Field>
            <Field label="Reason" htmlFor="pause-reason" required className="min-w-48 flex-1">
              <Input id="pause-reason" name="reason" maxLength={200} required placeholder="Customer promised to pay Friday" />
            </Field>
          </InlineActionForm>
        </Group>
      )}
      <Group
        title="Retry now"
        hint={retryOwner === "dunwell" ? "Charges the card on the engine's next pass, within the card-network limits." : "The provider owns retries on this connection, so Dunwell does not retry."}
      >
        {retryOwner === "dunwell" ? (
          <InlineActionForm action={retryNowAction} submitLabel="Retry now">
            <Id id={c.id} />
          </InlineActionForm>
        ) : null}
      </Group>
      <Group title="Extend" hint={c.extraDays ? `Already extended by ${c.extraDays} days.` : "Adds days to the policy's window and re-plans."}>
        <InlineActionForm action={extendCaseAction} submitLabel="Extend" className={row}>
          <Id id={c.id} />
          <Field label="Days" htmlFor="extend-days" className="w-24">
            <Input id="extend-days" name="days" type="number" min={1} max={60} step={1} defaultValue={7} required className="text-right tabular-nums" />
          </Field>
        </InlineActionForm>
      </Group>
      <Group
        title="Re-plan"
        hint={
          currentVersion !== null && currentVersion !== caseVersion
            ? `The case follows version ${caseVersion}; the policy is at version ${currentVersion}. Re-planning moves it to ${currentVersion}.`
            : `The case follows the policy's current version (${caseVersion}). Re-planning redraws the plan from its history.`
        }
      >
        <InlineActionForm action={replanCaseAction} submitLabel="Re-plan on current policy">
          <Id id={c.id} />
        </InlineActionForm>
      </Group>
      <Group title="Recovered outside the provider" hint="Records a payment made another way (bank transfer, cheque) and closes the case as recovered.">
        <InlineActionForm action={paidOutOfBandAction} submitLabel="Mark recovered" className={row}>
          <Id id={c.id} />
          <Field label="Note" htmlFor="oob-note" required className="min-w-48 flex-1">
            <Input id="oob-note" name="note" maxLength={300} required placeholder="Bank transfer, ref 4471" />
          </Field>
        </InlineActionForm>
      </Group>
      <Group title="Write off" hint="Stop recovering: the invoice becomes uncollectible.">
        <WriteOffDialog caseId={c.id} what={what} action={writeOffAction} fallbackHref={`${caseHref}?confirm=write-off#write-off`} />
      </Group>
    </div>
  );
}
