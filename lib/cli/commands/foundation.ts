import type { Command } from "commander";
import { createSignInLink } from "@/lib/auth/magic-link";
import { inviteOperator } from "@/lib/auth/operators";
import { getDb } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedDemo } from "@/lib/demo/seed";
import { getEmailTransport } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { createWorkspace, listWorkspaces } from "@/lib/workspaces";
import { cliDb } from "../context";
import { emit, table, type OutputOptions } from "../output";
import { action } from "../run";

const CLI = { kind: "cli" } as const;

export function registerFoundationCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply the database migrations (PGlite or DATABASE_URL)")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions) => {
        await getDb();
        await migrateDatabase();
        emit(options, { migrated: true }, () => "Database is up to date.");
      }),
    );

  const workspace = program.command("workspace").description("create and list workspaces");
  workspace
    .command("create")
    .description("create a workspace")
    .requiredOption("--name <name>", "workspace name")
    .option("--timezone <tz>", "IANA time zone", "UTC")
    .option("--locale <locale>", "default customer locale (en, de, fr, es)", "en")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { name: string; timezone: string; locale: string }) => {
        const db = await cliDb();
        const created = await createWorkspace(db, { name: options.name, timezone: options.timezone, defaultLocale: options.locale as "en" }, CLI);
        emit(options, created, () => `Created workspace ${created.name} (${created.id}).`);
      }),
    );
  workspace
    .command("list")
    .description("list workspaces")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions) => {
        const rows = await listWorkspaces(await cliDb());
        emit(options, rows, () =>
          table(
            rows.map((w) => ({ id: w.id, name: w.name, timezone: w.timezone, demo: w.isDemo ? "yes" : "" })),
            ["id", "name", "timezone", "demo"],
          ),
        );
      }),
    );

  program
    .command("operator")
    .description("manage operators")
    .command("invite")
    .description("give someone a role in a workspace and a sign-in link")
    .requiredOption("--workspace <id>", "workspace id")
    .requiredOption("--email <email>", "operator's email")
    .requiredOption("--role <role>", "owner, admin or viewer")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; email: string; role: string }) => {
        const db = await cliDb();
        const invited = await inviteOperator(db, { workspaceId: options.workspace, email: options.email, role: options.role as "viewer" }, CLI);
        const link = await createSignInLink(db, invited.email);
        let emailed = false;
        if (getEnv().emailTransport === "resend") {
          await getEmailTransport().send({
            to: invited.email,
            subject: "You have been invited to Dunwell",
            text: `You can now sign in to Dunwell as ${invited.role}:\n\n${link.url}\n\nThe link works once and expires in 24 hours.`,
            html: `<p>You can now sign in to Dunwell as ${invited.role}.</p><p><a href="${link.url}">Sign in</a></p><p>The link works once and expires in 24 hours.</p>`,
            idempotencyKey: `invite:${invited.workspaceId}:${invited.userId}:${link.expires.getTime()}`,
          });
          emailed = true;
        }
        const result = { ...invited, emailed, signInUrl: emailed ? undefined : link.url, expires: link.expires.toISOString() };
        emit(options, result, () =>
          emailed
            ? `Invited ${invited.email} as ${invited.role}; the sign-in link was emailed.`
            : `Invited ${invited.email} as ${invited.role}. Sign-in link (one use, 24 h):\n${link.url}`,
        );
      }),
    );

  program
    .command("seed")
    .description("seed data")
    .command("demo")
    .description("create the sandbox demo workspace and operator (idempotent)")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions) => {
        const seeded = await seedDemo(await cliDb(), CLI);
        emit(options, { workspace: seeded.workspace, operatorEmail: seeded.operatorEmail, created: seeded.created }, () =>
          seeded.created
            ? `Seeded ${seeded.workspace.name} (${seeded.workspace.id}); operator ${seeded.operatorEmail}.`
            : `The demo workspace already exists (${seeded.workspace.id}).`,
        );
      }),
    );
}
