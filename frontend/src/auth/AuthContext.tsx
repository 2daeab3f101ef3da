import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";

import { CSRF_COOKIE, api, readCookie, unwrap } from "../api/client";
import { ApiProblem } from "../api/problem";
import type { Me } from "../api/types";

export type Scope =
  | "directory:write"
  | "sync:run"
  | "observatory:write"
  | "surveys:write"
  | "surveys:read"
  | "surveys:export"
  | "network:write"
  | "users:manage"
  | "keys:manage";

interface AuthState {
  /** undefined while the first check runs, null when nobody is signed in. */
  me: Me | null | undefined;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  can: (scope: Scope) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

async function currentUser(): Promise<Me | null> {
  // The CSRF cookie lives as long as the session: without it nobody is signed in, and anonymous visitors
  // (most of them) are spared a request.
  if (!readCookie(CSRF_COOKIE)) return null;
  try {
    return await unwrap(api.GET("/api/auth/me"));
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  // Without the CSRF cookie nobody is signed in: known at once, so that most visitors' first screen is not
  // rendered a second time when the check ends (a whole-page render on a slow phone).
  const [me, setMe] = useState<Me | null | undefined>(() => (readCookie(CSRF_COOKIE) ? undefined : null));

  const refresh = useCallback(async () => {
    // A platform that cannot be reached leaves the visitor anonymous: public screens keep working.
    setMe(await currentUser().catch(() => null));
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const login = useCallback(
    async (email: string, password: string) => {
      await unwrap(api.POST("/api/auth/login", { body: { email, password } }));
      await refresh();
    },
    [refresh],
  );

  const logout = useCallback(async () => {
    await unwrap(api.POST("/api/auth/logout"));
    setMe(null);
  }, []);

  const value = useMemo<AuthState>(
    () => ({ me, login, logout, refresh, can: (scope) => Boolean(me?.scopes.includes(scope)) }),
    [me, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const context = useContext(AuthContext);
  if (!context) throw new Error("useAuth outside AuthProvider");
  return context;
}
