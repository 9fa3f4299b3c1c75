"use client";

import * as DialogPrimitive from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";

/** Root: `open`, `defaultOpen`, `onOpenChange`, `modal`. */
export const Dialog = DialogPrimitive.Root;
/** Opens the dialog; use `asChild` to make a <Button> the trigger. */
export const DialogTrigger = DialogPrimitive.Trigger;
/** Closes the dialog; use `asChild` around a "Cancel" <Button>. */
export const DialogClose = DialogPrimitive.Close;

export type DialogContentProps = Omit<ComponentProps<typeof DialogPrimitive.Content>, "title"> & {
  /** Names the dialog (aria-labelledby). Required. */
  title: ReactNode;
  /** Describes the dialog (aria-describedby). Required; hide it visually with `hideDescription`. */
  description: ReactNode;
  hideDescription?: boolean;
  /** Buttons at the bottom right (e.g. Cancel + the primary action). */
  footer?: ReactNode;
  /** Accessible name of the close (×) button. */
  closeLabel?: string;
  size?: "sm" | "md" | "lg";
};

const widths = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl" } as const;

/** A modal dialog: focus is trapped, Escape and the × button close it, focus returns to the trigger. */
export function DialogContent({
  title,
  description,
  hideDescription,
  footer,
  closeLabel = "Close",
  size = "md",
  className,
  children,
  ...rest
}: DialogContentProps) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-text/50 data-[state=open]:animate-fade-in" />
      <DialogPrimitive.Content
        className={[
          "fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 flex-col",
          "rounded-card border border-border bg-surface text-text shadow-xl data-[state=open]:animate-pop-in",
          widths[size],
          className,
        ]
          .filter(Boolean)
          .join(" ")}
        {...rest}
      >
        <div className="flex items-start justify-between gap-4 px-5 pt-5">
          <div className="min-w-0">
            <DialogPrimitive.Title className="text-base font-semibold">{title}</DialogPrimitive.Title>
            <DialogPrimitive.Description className={hideDescription ? "sr-only" : "mt-1 text-sm text-muted"}>
              {description}
            </DialogPrimitive.Description>
          </div>
          <DialogPrimitive.Close
            aria-label={closeLabel}
            className="-mt-1 -mr-1 inline-flex size-8 shrink-0 items-center justify-center rounded-control text-muted hover:bg-surface-muted hover:text-text"
          >
            <X aria-hidden="true" className="size-4" />
          </DialogPrimitive.Close>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
        {footer ? (
          <div className="flex flex-wrap justify-end gap-2 border-t border-border px-5 py-3">{footer}</div>
        ) : null}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}
