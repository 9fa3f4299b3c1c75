"use client";

import * as SelectPrimitive from "@radix-ui/react-select";
import { Check, ChevronDown, ChevronUp } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { controlClassName, Field } from "./input";

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");

import type { SelectOption } from "./native-select";

export type { SelectOption };

export type SelectProps = Omit<ComponentProps<typeof SelectPrimitive.Root>, "children"> & {
  label: ReactNode;
  /** Item values must be non-empty strings (Radix reserves "" for "no value"). */
  options: SelectOption[];
  placeholder?: string;
  description?: ReactNode;
  error?: ReactNode;
  hideLabel?: boolean;
  id?: string;
  className?: string;
};

/**
 * A labelled Radix Select (needs JavaScript). With `name` inside a <form>, Radix renders a
 * hidden native select so the value is submitted. For forms that must work without
 * JavaScript use NativeSelect inside a Field.
 */
export function Select({
  label,
  options,
  placeholder,
  description,
  error,
  hideLabel,
  id,
  className,
  required,
  ...root
}: SelectProps) {
  return (
    <Field label={label} description={description} error={error} id={id} required={required} hideLabel={hideLabel} className={className}>
      {({ required: _required, ...control }) => (
        <SelectPrimitive.Root required={required} {...root}>
          <SelectPrimitive.Trigger
            {...control}
            className={cx(controlClassName, "flex h-9 items-center justify-between gap-2 text-left data-placeholder:text-muted")}
          >
            <SelectPrimitive.Value placeholder={placeholder} />
            <SelectPrimitive.Icon>
              <ChevronDown aria-hidden="true" className="size-4 text-muted" />
            </SelectPrimitive.Icon>
          </SelectPrimitive.Trigger>
          <SelectPrimitive.Portal>
            <SelectPrimitive.Content
              position="popper"
              sideOffset={4}
              className="z-50 max-h-(--radix-select-content-available-height) min-w-(--radix-select-trigger-width) overflow-hidden rounded-control border border-border bg-surface text-sm shadow-lg data-[state=open]:animate-fade-in"
            >
              <SelectPrimitive.ScrollUpButton className="flex h-6 items-center justify-center text-muted">
                <ChevronUp aria-hidden="true" className="size-4" />
              </SelectPrimitive.ScrollUpButton>
              <SelectPrimitive.Viewport className="p-1">
                {options.map((option) => (
                  <SelectPrimitive.Item
                    key={option.value}
                    value={option.value}
                    disabled={option.disabled}
                    className="relative flex h-8 cursor-default items-center rounded-sm py-1 pr-2 pl-7 text-text outline-hidden select-none data-disabled:opacity-50 data-highlighted:bg-primary-subtle"
                  >
                    <SelectPrimitive.ItemIndicator className="absolute left-2 inline-flex items-center">
                      <Check aria-hidden="true" className="size-4 text-primary" />
                    </SelectPrimitive.ItemIndicator>
                    <SelectPrimitive.ItemText>{option.label}</SelectPrimitive.ItemText>
                  </SelectPrimitive.Item>
                ))}
              </SelectPrimitive.Viewport>
              <SelectPrimitive.ScrollDownButton className="flex h-6 items-center justify-center text-muted">
                <ChevronDown aria-hidden="true" className="size-4" />
              </SelectPrimitive.ScrollDownButton>
            </SelectPrimitive.Content>
          </SelectPrimitive.Portal>
        </SelectPrimitive.Root>
      )}
    </Field>
  );
}
