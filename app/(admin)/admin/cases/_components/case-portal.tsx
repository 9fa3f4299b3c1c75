import type { HelpTopic } from "@/drizzle/schema";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "../../_components/billing-ui";
import { InlineActionForm } from "../../_components/inline-action-form";
import { portalLinkAction, resolveHelpRequestAction, revokePortalLinksAction } from "../../portal-actions";
import { PortalLinkForm } from "./portal-link-form";

export const helpTopicLabels: Record<HelpTopic, string> = { question: "Question", dispute: "Disputes the charge", already_canceled: "Says they already cancelled" };

type HelpRequest = { id: string; topic: HelpTopic | null; message: string | null; createdAt: Date };

type Props = {
  caseId: string;
  requests: HelpRequest[];
  /** The case's portal token version: a revocation clears a link shown before it. */
  linkVersion: number;
  timeZone: string;
  /** Owners and admins act; viewers read. */
  canAct: boolean;
  /** Open or paused: only then a new link makes sense. */
  live: boolean;
};

/** The customer portal on a case: what the customer asked, and the operator's link controls. */
export function CasePortal({ caseId, requests, linkVersion, timeZone, canAct, live }: Props) {
  if (!canAct && requests.length === 0) return null;
  return (
    <Card id="portal" title="Customer portal" description={canAct ? "Each action is audited and written to the timeline." : undefined}>
      <div className="divide-y divide-border">
        {requests.length ? (
          <section aria-labelledby="help-requests" className="space-y-3 pb-3">
            <h3 id="help-requests" className="flex items-center gap-2 text-sm font-medium text-text">
              Help requested <Badge variant="warning">{requests.length} open</Badge>
            </h3>
            <ul className="space-y-3">
              {requests.map((r) => (
                <li key={r.id} className="space-y-1.5 text-sm">
                  <p className="font-medium text-text">{r.topic ? helpTopicLabels[r.topic] : "Help"}</p>
                  {r.message ? <blockquote className="border-l-2 border-border pl-3 whitespace-pre-line text-text">{r.message}</blockquote> : null}
                  <p className="text-xs text-muted">
                    Asked <DateTime date={r.createdAt} timeZone={timeZone} />
                  </p>
                  {canAct ? (
                    <InlineActionForm action={resolveHelpRequestAction} submitLabel="Mark resolved">
                      <input type="hidden" name="id" value={caseId} />
                      <input type="hidden" name="requestId" value={r.id} />
                    </InlineActionForm>
                  ) : null}
                </li>
              ))}
            </ul>
            <p className="text-xs text-muted">The case stays paused while the customer waits for an answer; resume it from Actions when you are done.</p>
          </section>
        ) : null}
        {canAct && live ? (
          <div className="space-y-1.5 py-3 first:pt-0 last:pb-0">
            <h3 className="text-sm font-medium text-text">Send a link by hand</h3>
            <p className="text-xs text-muted">A fresh link to this case&apos;s portal, valid 30 days.</p>
            <PortalLinkForm key={linkVersion} caseId={caseId} action={portalLinkAction} />
          </div>
        ) : null}
        {canAct ? (
          <div className="space-y-1.5 py-3 first:pt-0 last:pb-0">
            <h3 className="text-sm font-medium text-text">Revoke portal links</h3>
            <p className="text-xs text-muted">Every link sent so far and any open portal session stop working at once. Emails sent later carry new links.</p>
            <InlineActionForm action={revokePortalLinksAction} submitLabel="Revoke portal links" variant="danger">
              <input type="hidden" name="id" value={caseId} />
              <label className="flex items-center gap-2 text-sm text-text">
                <input type="checkbox" name="confirm" required className="size-4 accent-danger" />
                The customer&apos;s links stop working at once
              </label>
            </InlineActionForm>
          </div>
        ) : null}
      </div>
    </Card>
  );
}
