import { Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";
import type { EmailProps } from "./layout";

const box: CSSProperties = { backgroundColor: "#f9fafb", border: "1px solid #e5e7eb", borderRadius: "6px", padding: "12px 16px", margin: "0 0 20px" };
const cell: CSSProperties = { fontSize: "14px", lineHeight: "22px", padding: "2px 0", color: "#111827" };
const label: CSSProperties = { ...cell, color: "#6b7280" };
const value: CSSProperties = { ...cell, fontWeight: 600, textAlign: "right" };

// One plain table per summary (className "facts"), so the plain-text part lays each row out
// on one line (see lib/messaging/render.ts) instead of a cell per paragraph.
function Facts({ rows, head }: { rows: [string, string][]; head?: [string, string] }) {
  return (
    <table className="facts" width="100%" cellPadding={0} cellSpacing={0} role="presentation">
      <tbody>
        {head ? (
          <tr>
            <th style={{ ...label, fontWeight: 400, textAlign: "left" }}>{head[0]}</th>
            <th style={{ ...label, fontWeight: 400, textAlign: "right" }}>{head[1]}</th>
          </tr>
        ) : null}
        {rows.map(([left, right], i) => (
          <tr key={i}>
            <td style={head ? cell : label}>{left}</td>
            <td style={value}>{right}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The facts of the message (amount, invoice, card, dates) as a label–value summary. */
export function Details({ content }: EmailProps) {
  if (content.details.length === 0) return null;
  return (
    <Section style={box}>
      <Facts rows={content.details.map((row) => [row.label, row.value])} />
    </Section>
  );
}

/** An installment plan's dates and amounts. */
export function Schedule({ content }: EmailProps) {
  const schedule = content.schedule;
  if (!schedule) return null;
  return (
    <Section style={box}>
      <Text style={{ ...cell, fontWeight: 700, margin: "0 0 8px" }}>{schedule.title}</Text>
      <Facts head={[schedule.dateLabel, schedule.amountLabel]} rows={schedule.rows.map((row) => [row.date, row.amount])} />
    </Section>
  );
}
