import { notFound } from "next/navigation";

/**
 * Where a tampered or unknown link lands: the portal's not-found page with a 404 status (a
 * route handler's notFound() answers 404 without a page to show).
 */
export default function LinkNotFound(): never {
  notFound();
}
