/** Nothing shared to prepare: every test file creates and migrates its own database (tests/helpers/setup.ts). */
export default async function setup(): Promise<void> {}
