import type { Metadata } from "next";
import { NotFoundState } from "@/components/states";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main">
      <NotFoundState />
    </main>
  );
}
