import { logger } from "@/lib/log";

/** A periodic job of the embedded scheduler; later issues register the engine's passes here. */
export type TickJob = { name: string; run: (now: Date) => Promise<void>; /** run at most this often (default: every tick) */ everyMs?: number };

const jobs: TickJob[] = [];
const lastRun = new Map<string, number>();

export function registerTickJob(job: TickJob): void {
  if (!jobs.some((j) => j.name === job.name)) jobs.push(job);
}

export function registeredTickJobs(): readonly TickJob[] {
  return jobs;
}

/** Run every job once, one after the other; a failing job is logged and the rest still run. */
export async function tickOnce(now: Date = new Date()): Promise<{ name: string; ok: boolean; error?: string }[]> {
  const results = [];
  for (const job of jobs) {
    const last = lastRun.get(job.name);
    if (job.everyMs && last !== undefined && now.getTime() - last < job.everyMs) continue;
    lastRun.set(job.name, now.getTime());
    try {
      await job.run(now);
      results.push({ name: job.name, ok: true });
    } catch (error) {
      logger.error(`tick job ${job.name} failed`, { error: String(error) });
      results.push({ name: job.name, ok: false, error: String(error) });
    }
  }
  return results;
}

/** The in-process ticker used in the embedded mode (Inngest's cron replaces it in production). */
export function startTicker(intervalMs = 5_000): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // never overlap passes
    busy = true;
    running = tickOnce().finally(() => {
      busy = false;
    });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
