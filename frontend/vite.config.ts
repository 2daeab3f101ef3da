/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

import { precompress } from "./scripts/precompress.mjs";

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    // The manifest tells scripts/check-budget.mjs which chunks the first page load needs.
    manifest: true,
    target: "es2022",
  },
  server: {
    // `npm run dev` talks to a platform started by `./fne up`.
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
    include: ["src/**/*.test.{ts,tsx}"],
    // The place form (150 checkboxes) renders slowly in jsdom, more so on a shared 2-core machine.
    testTimeout: 30000,
    // One jsdom for all files (each test cleans its DOM, cookies and stubs): several times faster on 2 cores.
    isolate: false,
  },
});
