"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut } from "lucide-react";
import { useRef } from "react";
import { Badge } from "@/components/ui/badge";

export type AccountMenuProps = {
  user: { name: string | null; email: string };
  role: "owner" | "admin" | "viewer";
  /** Server action that ends the session. */
  signOutAction: (formData: FormData) => Promise<void>;
};

const roleLabels = { owner: "Owner", admin: "Admin", viewer: "Viewer" } as const;

function initials(name: string | null, email: string): string {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (name ? (parts[1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

/** The signed-in operator: name, email, role, and "Sign out". */
export function AccountMenu({ user, role, signOutAction }: AccountMenuProps) {
  // The form lives outside the menu: the menu unmounts on select, and a detached form cannot submit.
  const signOutForm = useRef<HTMLFormElement>(null);
  const displayName = user.name?.trim() || user.email;

  return (
    <>
      <form ref={signOutForm} action={signOutAction} hidden />
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className="inline-flex h-9 max-w-56 items-center gap-2 rounded-control px-1.5 text-sm text-text hover:bg-surface-muted data-[state=open]:bg-surface-muted">
          <span
            aria-hidden="true"
            className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-primary-subtle text-xs font-semibold text-primary"
          >
            {initials(user.name, user.email)}
          </span>
          <span className="sr-only">Account menu for </span>
          <span className="hidden truncate sm:inline">{displayName}</span>
          <span className="sr-only sm:hidden">{displayName}</span>
          <ChevronDown aria-hidden="true" className="size-4 shrink-0 text-muted" />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={6}
            className="z-50 w-64 rounded-card border border-border bg-surface p-1 text-sm text-text shadow-lg data-[state=open]:animate-fade-in"
          >
            <DropdownMenu.Label className="px-2 py-2">
              {user.name ? <span className="block truncate font-medium">{user.name}</span> : null}
              <span className="block truncate text-muted">{user.email}</span>
              <Badge className="mt-2">{roleLabels[role]}</Badge>
            </DropdownMenu.Label>
            <DropdownMenu.Separator className="my-1 h-px bg-border" />
            <DropdownMenu.Item
              onSelect={() => signOutForm.current?.requestSubmit()}
              className="flex h-8 cursor-default items-center gap-2 rounded-sm px-2 outline-hidden select-none data-highlighted:bg-primary-subtle"
            >
              <LogOut aria-hidden="true" className="size-4 text-muted" />
              Sign out
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </>
  );
}
