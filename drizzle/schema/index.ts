export * from "./workspaces";
export * from "./users";
export * from "./accounts";
export * from "./sessions";
export * from "./verification-tokens";
export * from "./memberships";
export * from "./audit-log";
