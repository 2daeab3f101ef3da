import type { ReactNode } from "react";

import { RequireScope } from "../../../components/RequireScope";

/** The network's administration screens: `network:write` (coordinators and administrators). */
export function NetworkManagers({ children }: { children: ReactNode }) {
  return <RequireScope scope="network:write">{children}</RequireScope>;
}

export const ADMIN_SEGMENTS = [{ label: "Administration", linkProps: { to: "/administration" } }];
