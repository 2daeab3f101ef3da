#!/usr/bin/env node
/**
 * The resident's first visit on a weak phone, measured in Chromium (issue #14): the search page loaded cold
 * at 375 px with the network throttled by CDP (1.6 Mbps down, 750 kbps up, 150 ms round trip) and the CPU
 * slowed 4×. Reports Largest Contentful Paint, the moment the first result cards are on screen, the bytes
 * transferred by kind, and how many times each font was downloaded; then the same visit with a warm cache.
 *
 *   node bench/webapp.mjs http://127.0.0.1:14000 [runs]
 *
 * bench/webapp.py starts a seeded platform and calls this; any running platform with places will do.
 */
import { createRequire } from "node:module";

const require = createRequire(new URL("../frontend/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
const PROFILE = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;

async function visit(context, cached) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: !cached });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...PROFILE });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const responses = new Map();
  cdp.on("Network.responseReceived", ({ requestId, response, type }) =>
    responses.set(requestId, { url: response.url, type, encoding: response.headers["content-encoding"] ?? response.headers["Content-Encoding"] ?? "" }),
  );
  const transferred = new Map();
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => transferred.set(requestId, encodedDataLength));
  await page.addInitScript(() => {
    window.__lcp = 0;
    window.__lcpElement = "";
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__lcp = entry.startTime;
        const element = entry.element;
        window.__lcpElement = element
          ? `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${(element.textContent ?? "").trim().slice(0, 40)}" ${entry.size}px²`
          : "(removed)";
      }
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  const started = Date.now();
  await page.goto(`${base}/`, { waitUntil: "commit" });
  await page.locator(".fne-place-list > li").first().waitFor({ timeout: 60000 });
  const firstResults = Date.now() - started;
  await page.waitForLoadState("networkidle", { timeout: 60000 }).catch(() => undefined);
  // LCP is final once the person interacts; a click on empty space settles it.
  const lcp = await page.evaluate(() => window.__lcp);
  const lcpElement = await page.evaluate(() => window.__lcpElement);
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0);
  const navigationStart = await page.evaluate(() => performance.timeOrigin);
  await page.close();
  const byKind = {};
  const fonts = {};
  const uncompressed = [];
  for (const [id, response] of responses) {
    const bytes = transferred.get(id) ?? 0;
    const kind = response.type ?? "Other";
    byKind[kind] = (byKind[kind] ?? 0) + bytes;
    if (kind === "Font") fonts[response.url.split("/").pop()] = (fonts[response.url.split("/").pop()] ?? 0) + 1;
    if ((kind === "Script" || kind === "Stylesheet") && bytes > 2048 && !response.encoding) uncompressed.push(response.url);
  }
  const searches = [...responses.values()].filter((response) => response.url.includes("/api/directory/lieux?")).length;
  return { lcp_ms: Math.round(lcp), lcp_element: lcpElement, fcp_ms: Math.round(fcp), first_results_ms: firstResults, navigation_start: navigationStart, bytes_by_kind: byKind, fonts, uncompressed, searches };
}

const browser = await chromium.launch({
  executablePath: process.env.FNE_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const results = { profile: { ...PROFILE, cpu_slowdown: CPU_SLOWDOWN, viewport: "375x740" }, cold: [], warm: [] };
try {
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, locale: "fr-FR", timezoneId: "Europe/Paris" });
    results.cold.push(await visit(context, false));
    results.warm.push(await visit(context, true));
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const kind of ["cold", "warm"]) {
  results[`${kind}_median`] = {
    lcp_ms: median(results[kind].map((run) => run.lcp_ms)),
    fcp_ms: median(results[kind].map((run) => run.fcp_ms)),
    first_results_ms: median(results[kind].map((run) => run.first_results_ms)),
    transferred_kb: Math.round(median(results[kind].map((run) => Object.values(run.bytes_by_kind).reduce((a, b) => a + b, 0))) / 1024),
  };
}
console.log(JSON.stringify(results, null, 2));
