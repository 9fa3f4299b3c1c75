import type { ReactNode } from "react";
import type { Policy } from "@/lib/dunning/policy";
import { finalActionLabel, humanize, offsetLabel } from "../../_components/dunning-ui";

/**
 * What a policy does over its window, drawn on a day axis: messages, retries (fixed offsets
 * or the smart band), and the final action. Pure, so the server renders the saved version
 * and the editor renders the draft as it is typed. The drawing is decorative; the ordered
 * list under it says the same in words.
 */

type Marker = { hours: number; until?: number; lane: "message" | "retry" | "final"; short: string; text: string };

function markersOf(policy: Policy): Marker[] {
  const windowHours = policy.windowDays * 24;
  const finalAt = policy.finalAction.offsetHours ?? windowHours;
  const hours = policy.timing.preferredHours ? `, starting between ${policy.timing.preferredHours[0]}:00 and ${policy.timing.preferredHours[1]}:00 in the customer's time zone` : "";
  const messages = policy.messages.map(
    (m): Marker => ({ hours: m.offsetHours, lane: "message", short: `${humanize(m.template)} · ${m.tone}`, text: `${m.channel === "sms" ? "SMS" : "Email"} “${humanize(m.template)}”, ${m.tone} tone` }),
  );
  const retries: Marker[] =
    policy.timing.mode === "fixed"
      ? (policy.timing.fixedOffsetsHours ?? []).map((h, i) => ({ hours: h, lane: "retry", short: `R${i + 1}`, text: `Retry ${i + 1}${hours}` }))
      : [{ hours: 0, until: finalAt, lane: "retry", short: `Smart: up to ${policy.maxAttempts} retries, day 0–${Math.floor(finalAt / 24)}`, text: `Smart retries: up to ${policy.maxAttempts}, at the times most likely to succeed until ${offsetLabel(finalAt)}${hours}` }];
  const final: Marker = { hours: finalAt, lane: "final", short: finalActionLabel(policy.finalAction.action), text: `Final action: ${finalActionLabel(policy.finalAction.action)}` };
  return [...messages, ...retries, final].sort((a, b) => a.hours - b.hours || a.lane.localeCompare(b.lane));
}

function tickStep(days: number): number {
  return [1, 2, 3, 5, 7, 10].find((step) => days / step <= 12) ?? 14;
}

const lanes = [
  { lane: "message", label: "Messages", dot: "bg-primary" },
  { lane: "retry", label: "Retries", dot: "bg-warning" },
  { lane: "final", label: "Final", dot: "bg-danger" },
] as const;

/** A label centred on its marker, except near the axis ends where it would overflow. */
function anchor(pct: number): string {
  if (pct < 8) return "translateX(-2px)";
  if (pct > 92) return "translateX(-100%)";
  return "translateX(-50%)";
}

export function PolicyTimeline({ policy, caption }: { policy: Policy; caption?: ReactNode }) {
  const windowHours = policy.windowDays * 24;
  const pct = (h: number) => Math.min(100, Math.max(0, (h / windowHours) * 100));
  const markers = markersOf(policy);
  const step = tickStep(policy.windowDays);
  const ticks = Array.from({ length: Math.floor(policy.windowDays / step) + 1 }, (_, i) => i * step);
  if (ticks.at(-1) !== policy.windowDays) ticks.push(policy.windowDays);

  return (
    <figure className="space-y-3">
      {caption ? <figcaption className="text-sm text-muted">{caption}</figcaption> : null}
      <div aria-hidden="true" className="overflow-x-auto">
        <div className="min-w-[32rem] space-y-1 text-xs">
          {lanes.map(({ lane, label, dot }) => {
            const inLane = markers.filter((m) => m.lane === lane);
            return (
              <div key={lane} className="flex items-stretch">
                <div className="w-20 shrink-0 py-2 text-muted">{label}</div>
                <div className="relative mr-3 h-12 flex-1 border-l border-border bg-surface-muted/60">
                  <span className="absolute inset-x-0 top-1/2 h-px bg-border" />
                  {inLane.map((m, i) => {
                    if (m.until !== undefined) {
                      return (
                        <div key={`${lane}-${i}`} className="absolute inset-y-2 flex items-center overflow-hidden rounded-sm border border-warning/40 bg-warning-subtle px-2 text-warning" style={{ left: `${pct(m.hours)}%`, width: `${pct(m.until) - pct(m.hours)}%` }} title={m.text}>
                          <span className="truncate">{m.short}</span>
                        </div>
                      );
                    }
                    const at = pct(m.hours);
                    // Neighbours alternate above and below the line so their labels do not collide.
                    const low = i % 2 === 1;
                    return (
                      <div key={`${lane}-${i}`} className="absolute inset-y-0" style={{ left: `${at}%` }} title={`${offsetLabel(m.hours)}: ${m.text}`}>
                        <span className={`absolute top-1/2 size-2.5 -translate-x-1/2 -translate-y-1/2 rounded-full ring-2 ring-surface ${dot}`} />
                        <span className={`absolute max-w-40 truncate rounded-sm px-1 leading-4 whitespace-nowrap text-text ${low ? "top-[calc(50%+7px)]" : "bottom-[calc(50%+7px)]"}`} style={{ transform: anchor(at) }}>
                          {m.short}
                        </span>
                      </div>
                    );
                  })}
                </div>
              </div>
            );
          })}
          <div className="flex">
            <div className="w-20 shrink-0 text-muted">Day</div>
            <div className="relative mr-3 h-5 flex-1 border-t border-border-strong">
              {ticks.map((day) => {
                const at = pct(day * 24);
                return (
                  <span key={day} className="absolute top-0.5 text-muted tabular-nums" style={{ left: `${at}%`, transform: anchor(at) }}>
                    {day}
                  </span>
                );
              })}
            </div>
          </div>
        </div>
      </div>
      <ol aria-label="Policy steps in time order" className="gap-x-6 space-y-0.5 text-xs text-text sm:columns-2">
        {markers.map((m, i) => (
          <li key={i} className="flex break-inside-avoid gap-2">
            <span className="w-24 shrink-0 text-muted tabular-nums">{m.until !== undefined ? `day 0–${Math.floor(m.until / 24)}` : offsetLabel(m.hours)}</span>
            <span>{m.text}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
