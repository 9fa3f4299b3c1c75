"use client";

import {
  Circle,
  CreditCard,
  FileText,
  Inbox,
  LayoutDashboard,
  LifeBuoy,
  ListChecks,
  Mail,
  Menu,
  MessageCircleQuestionMark,
  Palette,
  Plug,
  Receipt,
  Repeat,
  ScrollText,
  Send,
  Settings,
  Shapes,
  ChartColumn,
  Users,
  Webhook,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { AccountMenu } from "./account-menu";
import { WorkspaceSwitcher } from "./workspace-switcher";

/** `count`: things waiting (open help requests), shown as a badge; `countLabel` is what a screen reader hears. */
export type AdminNavItem = { href: string; label: string; icon?: string; count?: number; countLabel?: string };

export type AdminShellProps = {
  nav: AdminNavItem[];
  /** Defaults to the current URL's path. */
  currentPath?: string;
  workspaces: { id: string; name: string }[];
  currentWorkspaceId: string;
  user: { name: string | null; email: string };
  role: "owner" | "admin" | "viewer";
  switchWorkspaceAction: (formData: FormData) => Promise<void>;
  signOutAction: (formData: FormData) => Promise<void>;
  /** Marks the workspace as the sandbox (demo data, no real money). */
  sandbox?: boolean;
  children: ReactNode;
};

/** Nav icons by lucide's kebab-case name; an unknown name gets a neutral dot. */
const icons: Record<string, LucideIcon> = {
  "layout-dashboard": LayoutDashboard,
  "life-buoy": LifeBuoy,
  "credit-card": CreditCard,
  receipt: Receipt,
  "list-checks": ListChecks,
  repeat: Repeat,
  shapes: Shapes,
  "file-text": FileText,
  mail: Mail,
  "message-circle-question": MessageCircleQuestionMark,
  send: Send,
  inbox: Inbox,
  webhook: Webhook,
  plug: Plug,
  palette: Palette,
  "chart-column": ChartColumn,
  users: Users,
  "scroll-text": ScrollText,
  settings: Settings,
};

/** The nav item whose href is the longest prefix of the path ("/admin" must not match "/admin/team"). */
function currentHref(nav: AdminNavItem[], path: string): string | undefined {
  return nav
    .filter((item) => path === item.href || path.startsWith(item.href.endsWith("/") ? item.href : `${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

function NavLinks({ nav, currentPath }: { nav: AdminNavItem[]; currentPath?: string }) {
  const pathname = usePathname();
  const active = currentHref(nav, currentPath ?? pathname ?? "");
  return (
    <ul className="flex flex-col gap-0.5">
      {nav.map((item) => {
        const Icon = (item.icon && icons[item.icon]) || Circle;
        const isCurrent = item.href === active;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={isCurrent ? "page" : undefined}
              className={[
                "flex h-8 items-center gap-2.5 rounded-control px-2.5 text-sm",
                isCurrent ? "bg-primary-subtle font-medium text-primary" : "text-muted hover:bg-surface-muted hover:text-text",
              ].join(" ")}
            >
              <Icon aria-hidden="true" className={item.icon && icons[item.icon] ? "size-4 shrink-0" : "size-1.5 shrink-0 fill-current mx-[5px]"} />
              <span className="truncate">{item.label}</span>
              {item.count ? (
                <span className="ml-auto rounded-full border border-warning/25 bg-warning-subtle px-1.5 text-xs font-medium tabular-nums text-warning">
                  <span aria-hidden="true">{item.count}</span>
                  <span className="sr-only">({item.countLabel ?? item.count})</span>
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function Wordmark() {
  return (
    <Link href="/admin" className="rounded-control text-base font-semibold tracking-tight text-text">
      Dunwell
    </Link>
  );
}

/** A <details> menu for small screens: works without JS; closes on navigation and on Escape. */
function MobileMenu({ children }: { children: ReactNode }) {
  const details = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (details.current) details.current.open = false;
  }, [pathname]);
  return (
    <details
      ref={details}
      className="group lg:hidden"
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !details.current?.open) return;
        details.current.open = false;
        details.current.querySelector("summary")?.focus();
      }}
    >
      <summary className="inline-flex h-9 list-none items-center gap-2 rounded-control px-2 text-sm font-medium text-text hover:bg-surface-muted [&::-webkit-details-marker]:hidden">
        <Menu aria-hidden="true" className="size-4" />
        Menu
      </summary>
      <div className="absolute inset-x-0 top-full z-40 max-h-[calc(100dvh-3.5rem)] overflow-y-auto border-b border-border bg-surface p-3 shadow-lg">
        {children}
      </div>
    </details>
  );
}

/** Side navigation, top bar and main area of every admin page; a top menu on small screens. */
export function AdminShell(props: AdminShellProps) {
  const { nav, currentPath, workspaces, currentWorkspaceId, user, role, sandbox, children } = props;
  const switcher = (
    <WorkspaceSwitcher
      workspaces={workspaces}
      currentWorkspaceId={currentWorkspaceId}
      switchWorkspaceAction={props.switchWorkspaceAction}
    />
  );
  return (
    <div className="min-h-dvh bg-background lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only z-50 rounded-control bg-surface px-3 py-2 text-sm font-medium text-text shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh flex-col border-r border-border bg-surface lg:flex">
        <div className="flex h-14 shrink-0 items-center border-b border-border px-4">
          <Wordmark />
        </div>
        <div className="border-b border-border p-3">{switcher}</div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto p-2">
          <NavLinks nav={nav} currentPath={currentPath} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-3 border-b border-border bg-surface px-4 lg:px-8">
          <MobileMenu>
            <div className="mb-3">{switcher}</div>
            <nav aria-label="Main">
              <NavLinks nav={nav} currentPath={currentPath} />
            </nav>
          </MobileMenu>
          <div className="lg:hidden">
            <Wordmark />
          </div>
          {sandbox ? (
            <Badge variant="warning" title="This workspace uses the built-in sandbox provider: demo data, no real money moves.">
              Sandbox
              <span className="hidden sm:inline">· demo data, no real money</span>
            </Badge>
          ) : null}
          <div className="ml-auto">
            <AccountMenu user={user} role={role} signOutAction={props.signOutAction} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 outline-none lg:px-8">
          <div className="mx-auto w-full max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
