import { readState } from "./server";

export default async function globalTeardown(): Promise<void> {
  const { pid } = readState();
  try {
    process.kill(-pid, "SIGTERM"); // the launcher's process group: launcher and next server
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 1000));
}
