"use client";

import * as ToastPrimitive from "@radix-ui/react-toast";
import { CircleCheck, CircleX, Info, X } from "lucide-react";
import { createContext, use, useCallback, useState, type ReactNode } from "react";

export type ToastVariant = "default" | "success" | "error";

export type ToastOptions = {
  title: string;
  description?: string;
  variant?: ToastVariant;
  /** Milliseconds before it hides; errors stay longer by default. Hover or focus pauses it. */
  duration?: number;
};

type ToastItem = ToastOptions & { id: number };

const ToastContext = createContext<((options: ToastOptions) => void) | null>(null);

const icons = {
  default: { Icon: Info, className: "text-primary" },
  success: { Icon: CircleCheck, className: "text-success" },
  error: { Icon: CircleX, className: "text-danger" },
} as const;

let nextId = 1;

/**
 * Provides `useToast()` to everything inside it and renders the toasts in a bottom-right
 * region (F8 jumps to it). Wrap a layout's children once.
 */
export function Toaster({ children }: { children?: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);

  const toast = useCallback((options: ToastOptions) => {
    // Keep at most five on screen; the oldest go first.
    setToasts((list) => [...list.slice(-4), { ...options, id: nextId++ }]);
  }, []);

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((item) => item.id !== id));
  }, []);

  return (
    <ToastContext value={toast}>
      <ToastPrimitive.Provider swipeDirection="right" label="Notifications">
        {children}
        {toasts.map(({ id, title, description, variant = "default", duration }) => {
          const { Icon, className } = icons[variant];
          return (
            <ToastPrimitive.Root
              key={id}
              duration={duration ?? (variant === "error" ? 10_000 : 5_000)}
              onOpenChange={(open) => {
                if (!open) dismiss(id);
              }}
              className="flex w-full items-start gap-3 rounded-card border border-border bg-surface p-3 text-sm text-text shadow-lg data-[state=open]:animate-slide-in data-[swipe=cancel]:translate-x-0 data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x)"
            >
              <Icon aria-hidden="true" className={`mt-0.5 size-4 shrink-0 ${className}`} />
              <div className="min-w-0 flex-1">
                <ToastPrimitive.Title className="font-medium">{title}</ToastPrimitive.Title>
                {description ? (
                  <ToastPrimitive.Description className="mt-0.5 text-muted">{description}</ToastPrimitive.Description>
                ) : null}
              </div>
              <ToastPrimitive.Close
                aria-label="Dismiss notification"
                className="-mt-1 -mr-1 inline-flex size-7 shrink-0 items-center justify-center rounded-control text-muted hover:bg-surface-muted hover:text-text"
              >
                <X aria-hidden="true" className="size-4" />
              </ToastPrimitive.Close>
            </ToastPrimitive.Root>
          );
        })}
        <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-[100] m-0 flex w-full max-w-sm list-none flex-col gap-2 p-4" />
      </ToastPrimitive.Provider>
    </ToastContext>
  );
}

/** `const { toast } = useToast(); toast({ title: "Case paused", variant: "success" })`. */
export function useToast(): { toast: (options: ToastOptions) => void } {
  const toast = use(ToastContext);
  if (!toast) throw new Error("useToast() must be used inside <Toaster>.");
  return { toast };
}
