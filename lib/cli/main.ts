import { Command } from "commander";
import { registerBillingCommands } from "./commands/billing";
import { registerDunningCommands } from "./commands/dunning";
import { registerFoundationCommands } from "./commands/foundation";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("dunwell")
    .description("Dunwell: failed-payment recovery for Stripe and Chargebee.\nEvery command takes --json for scripts.")
    .showHelpAfterError();
  registerFoundationCommands(program);
  registerBillingCommands(program);
  registerDunningCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
