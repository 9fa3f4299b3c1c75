import { hasRole, type Role } from "@/lib/auth/roles";

type NavItem = { href: string; label: string; icon?: string; minimum: Role };

/** Numbers the navigation shows next to an item (things waiting for an operator). */
export type NavCounts = { openHelpRequests?: number };

const items: NavItem[] = [
  { href: "/admin", label: "Overview", icon: "layout-dashboard", minimum: "viewer" },
  { href: "/admin/cases", label: "Cases", icon: "life-buoy", minimum: "viewer" },
  { href: "/admin/help", label: "Help requests", icon: "message-circle-question", minimum: "viewer" },
  { href: "/admin/invoices", label: "Invoices", icon: "receipt", minimum: "viewer" },
  { href: "/admin/customers", label: "Customers", icon: "users", minimum: "viewer" },
  { href: "/admin/outbox", label: "Outbox", icon: "send", minimum: "viewer" },
  { href: "/admin/policies", label: "Policies", icon: "repeat", minimum: "viewer" },
  { href: "/admin/templates", label: "Templates", icon: "file-text", minimum: "admin" },
  { href: "/admin/segments", label: "Segments", icon: "shapes", minimum: "viewer" },
  { href: "/admin/clock", label: "Test clock", icon: "chart-column", minimum: "admin" },
  { href: "/admin/connections", label: "Connections", icon: "plug", minimum: "admin" },
  { href: "/admin/inbox", label: "Inbox", icon: "inbox", minimum: "admin" },
  { href: "/admin/team", label: "Team", icon: "users", minimum: "viewer" },
  { href: "/admin/audit", label: "Audit log", icon: "scroll-text", minimum: "admin" },
  { href: "/admin/settings", label: "Settings", icon: "settings", minimum: "owner" },
];

/** Navigation shows only what the role may open; the pages check again on the server. */
export function adminNavigation(role: Role, counts: NavCounts = {}): { href: string; label: string; icon?: string; count?: number; countLabel?: string }[] {
  return items
    .filter((item) => hasRole(role, item.minimum))
    .map(({ minimum: _minimum, ...item }) =>
      item.href === "/admin/help" && counts.openHelpRequests ? { ...item, count: counts.openHelpRequests, countLabel: `${counts.openHelpRequests} open` } : item,
    );
}
