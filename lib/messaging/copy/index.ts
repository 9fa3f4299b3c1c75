import type { MessageLocale } from "../locale";
import { de } from "./de";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import type { LocaleCopy } from "./types";

/** The words of every message, per language; typed, so a missing template or block fails to compile. */
export const copyByLocale: Record<MessageLocale, LocaleCopy> = { en, de, fr, es };
