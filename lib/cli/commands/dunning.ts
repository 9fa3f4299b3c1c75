import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { getDb } from "@/lib/db/client";
import { advanceClock } from "@/lib/dunning/clock";
import { runDueSteps } from "@/lib/dunning/engine";
import { listPolicies, policyHistory, savePolicy } from "@/lib/dunning/policies";
import { listCases } from "@/lib/dunning/queries";
import { AppError } from "@/lib/errors";
import { cliDb } from "../context";
import { emit, table, type OutputOptions } from "../output";
import { action } from "../run";

const CLI = { kind: "cli" } as const;

export function registerDunningCommands(program: Command): void {
  program
    .command("cases")
    .description("dunning cases")
    .command("list")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--status <status>", "open | paused | recovered | exhausted | canceled | written_off")
    .option("--category <category>", "decline category")
    .option("--search <text>", "customer email or invoice number")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; status?: string; category?: string; search?: string }) => {
        const rows = await listCases(await cliDb(), options.workspace, { status: options.status as "open", category: options.category, search: options.search });
        emit(options, rows, () =>
          table(
            rows.map((c) => ({ id: c.id, customer: c.customerEmail ?? "", invoice: c.invoiceNumber ?? c.invoiceExternalId, status: c.status, category: c.declineCategory ?? "", amount: `${c.amountMinor} ${c.currency}`, next: c.nextStepAt?.toISOString() ?? "" })),
            ["id", "customer", "invoice", "status", "category", "amount", "next"],
          ),
        );
      }),
    );

  const policy = program.command("policy").description("retry policies (JSON, see docs/policy-format.md)");
  policy
    .command("list")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string }) => {
        const rows = await listPolicies(await cliDb(), options.workspace);
        emit(options, rows, () => table(rows.map((p) => ({ key: p.key, name: p.name, version: p.currentVersion, default: p.isDefault ? "yes" : "" })), ["key", "name", "version", "default"]));
      }),
    );
  policy
    .command("show")
    .requiredOption("--workspace <id>", "workspace id")
    .requiredOption("--key <key>", "policy key")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; key: string }) => {
        const versions = await policyHistory(await cliDb(), options.workspace, options.key);
        if (versions.length === 0) throw new AppError("not_found", `No policy "${options.key}" in this workspace.`);
        emit(options, { key: options.key, version: versions[0]!.version, definition: versions[0]!.definition, history: versions.map(({ definition: _d, ...v }) => v) }, () => JSON.stringify(versions[0]!.definition, null, 2));
      }),
    );
  policy
    .command("apply")
    .description("validate a policy JSON file and save it as the policy's next version")
    .requiredOption("--workspace <id>", "workspace id")
    .requiredOption("--file <path>", "policy JSON file")
    .option("--key <key>", "policy key", "default")
    .option("--default", "make it the workspace's default policy")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; file: string; key: string; default?: boolean }) => {
        let definition: unknown;
        try {
          definition = JSON.parse(readFileSync(options.file, "utf8"));
        } catch (error) {
          throw new AppError("invalid_input", `${options.file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
        }
        const saved = await savePolicy(await cliDb(), options.workspace, options.key, definition, CLI, { makeDefault: options.default });
        emit(options, saved, () => `Saved policy "${saved.key}" version ${saved.version}.`);
      }),
    );

  program
    .command("engine")
    .description("the dunning engine")
    .command("tick")
    .description("claim and run every due step once")
    .option("--now <iso>", "run as if it were this time (UTC ISO)")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { now?: string }) => {
        const now = options.now ? new Date(options.now) : undefined;
        if (now && Number.isNaN(now.getTime())) throw new AppError("invalid_input", "--now must be an ISO date such as 2026-12-01T09:00:00Z.");
        await cliDb();
        const counts = await runDueSteps(await getDb(), { now });
        emit(options, counts, () => (Object.keys(counts).length ? Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(", ") : "Nothing was due."));
      }),
    );

  program
    .command("clock")
    .description("sandbox test clocks")
    .command("advance")
    .requiredOption("--workspace <id>", "workspace id (sandbox connections only)")
    .requiredOption("--days <n>", "days to move forward")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; days: string }) => {
        const result = await advanceClock(await cliDb(), options.workspace, Number(options.days), CLI);
        emit(options, { ...result, now: result.now.toISOString() }, () => `The workspace's clock now reads ${result.now.toISOString()}.`);
      }),
    );
}
