import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Card, EmptyState, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { listOpenHelpRequests } from "@/lib/portal/help";
import { DateTime } from "../_components/billing-ui";
import { helpTopicLabels } from "../cases/_components/case-portal";

export const metadata: Metadata = { title: "Help requests" };

/** Customers who asked for help in the portal and wait for an answer; each case is paused meanwhile. */
export default async function HelpRequestsPage() {
  const { workspace } = await requireOperator("viewer");
  const { count, requests } = await listOpenHelpRequests(await getDb(), workspace.id);
  const tz = workspace.timezone;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Help requests"
        description="Questions, disputes and “I already cancelled” from the customer portal, newest first. Each case is paused until you resume it; open the case to answer, mark the request resolved and resume."
      />
      {requests.length === 0 ? (
        <Card>
          <EmptyState title="No open help requests" description="When a customer asks for help from a payment email's portal link, the request waits here and its case pauses." />
        </Card>
      ) : (
        <>
          <Table caption="Open help requests, newest first" hideCaption>
            <THead>
              <Tr>
                <Th>Customer</Th>
                <Th>Topic</Th>
                <Th>What they wrote</Th>
                <Th>Asked</Th>
              </Tr>
            </THead>
            <TBody>
              {requests.map((r) => (
                <Tr key={r.id}>
                  <Td className="max-w-64">
                    <Link href={`/admin/cases/${encodeURIComponent(r.caseId)}#portal`} className="block truncate text-primary underline-offset-4 hover:underline">
                      {r.customerEmail ?? r.customerName ?? "Customer without email"}
                    </Link>
                  </Td>
                  <Td className="whitespace-nowrap">{r.topic ? helpTopicLabels[r.topic] : "Help"}</Td>
                  <Td className="max-w-md">{r.message ? <span className="line-clamp-2">{r.message}</span> : <span className="text-muted">—</span>}</Td>
                  <Td>
                    <DateTime date={r.createdAt} timeZone={tz} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {count > requests.length ? <p className="text-sm text-muted">Showing the latest {requests.length} of {count} open requests.</p> : null}
        </>
      )}
    </div>
  );
}
