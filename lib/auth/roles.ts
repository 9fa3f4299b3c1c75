import type { Role } from "@/drizzle/schema";

export type { Role };
export const roles: readonly Role[] = ["viewer", "admin", "owner"];

const rank: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

/** Whether `role` includes the rights of `minimum` (owner ⊃ admin ⊃ viewer). */
export function hasRole(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}
