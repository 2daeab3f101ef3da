#!/usr/bin/env node
/**
 * Fails when the JavaScript a first visit downloads before the app can start weighs more than the budget,
 * gzipped: the entry chunk and every chunk it imports statically (read from Vite's build manifest). Screens,
 * maps and charts are dynamic imports and stay out of it. The end-to-end tests also measure what Chromium
 * actually downloads on the home page, which adds what the app imports at start-up.
 *
 *   node scripts/check-budget.mjs [dist directory] [budget in KB]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const budgetKb = Number(process.argv[3] ?? 250);
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));

const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

let total = 0;
for (const file of [...initial].sort()) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
}
const verdict = total <= budgetKb * 1024 ? "within" : "OVER";
console.log(
  `${(total / 1024).toFixed(1).padStart(8)} KB  initial JavaScript, gzipped (${verdict} the ${budgetKb} KB budget)`,
);
process.exit(total <= budgetKb * 1024 ? 0 : 1);
