import NextAuth from "next-auth";
import { buildAuthConfig } from "./config";

// Lazy initialization: the configuration (and the database) is built on first request.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());
