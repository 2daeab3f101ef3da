#!/usr/bin/env node
/**
 * Where the phone's time goes (issue #14): one visit of the search page under bench/webapp.mjs's throttling
 * (1.6 Mbps / 150 ms, CPU 4×, 375 px), recorded as a Chromium performance trace, then summed up: the main
 * thread's work by kind (script, style, layout, paint…) and by script URL, the network requests with their
 * start and end, and the marks that matter (first paint, LCP, first result on screen).
 *
 *   node bench/webapp_trace.mjs http://127.0.0.1:14000 [cold|warm] [trace.json]
 *
 * The trace file opens in Chromium's DevTools (Performance, « Load profile »).
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(
  new URL("../frontend/package.json", import.meta.url),
);
const { chromium } = require("playwright-core");

const base = process.argv[2];
const mode = process.argv[3] ?? "warm";
const output = process.argv[4] ?? "/tmp/webapp-trace.json";
const PROFILE = {
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

const browser = await chromium.launch({
  executablePath: process.env.FNE_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
  ],
});
const context = await browser.newContext({
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  locale: "fr-FR",
});

async function visit(record) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    ...PROFILE,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const requests = [];
  cdp.on("Network.requestWillBeSent", ({ requestId, request, timestamp }) =>
    requests.push({ id: requestId, url: request.url, start: timestamp }),
  );
  cdp.on(
    "Network.loadingFinished",
    ({ requestId, timestamp, encodedDataLength }) => {
      const found = requests.find((item) => item.id === requestId);
      if (found)
        Object.assign(found, { end: timestamp, bytes: encodedDataLength });
    },
  );
  cdp.on("Network.responseReceived", ({ requestId, response }) => {
    const found = requests.find((item) => item.id === requestId);
    if (found)
      found.cached =
        response.fromDiskCache || response.fromPrefetchCache || false;
  });
  await page.addInitScript(() => {
    window.__lcp = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        window.__lcp.push({
          at: Math.round(entry.startTime),
          element: entry.element?.outerHTML?.slice(0, 120),
        });
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  if (record)
    await browser.startTracing(page, {
      path: output,
      categories: [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "v8.execute",
        "blink.user_timing",
        "loading",
        "disabled-by-default-v8.cpu_profiler",
      ],
    });
  const started = Date.now();
  await page.goto(`${base}/`, { waitUntil: "commit" });
  await page
    .locator(".fne-place-list > li")
    .first()
    .waitFor({ timeout: 60000 });
  const firstResults = Date.now() - started;
  await page
    .waitForLoadState("networkidle", { timeout: 60000 })
    .catch(() => undefined);
  const marks = await page.evaluate(() => ({
    lcp: window.__lcp,
    paints: performance
      .getEntriesByType("paint")
      .map((entry) => [entry.name, Math.round(entry.startTime)]),
    navigation: performance.getEntriesByType("navigation").map((entry) => ({
      responseEnd: Math.round(entry.responseEnd),
      domInteractive: Math.round(entry.domInteractive),
      domContentLoaded: Math.round(entry.domContentLoadedEventEnd),
    }))[0],
    timeOrigin: performance.timeOrigin,
  }));
  if (record) await browser.stopTracing();
  await page.close();
  return { firstResults, marks, requests };
}

if (mode === "warm") await visit(false);
const result = await visit(true);
await browser.close();

const trace = JSON.parse(
  (await import("node:fs")).readFileSync(output, "utf8"),
);
const events = trace.traceEvents ?? trace;
const navigation = events.find(
  (event) =>
    event.name === "navigationStart" && event.args?.data?.isLoadingMainFrame,
);
const origin = navigation
  ? navigation.ts
  : Math.min(...events.filter((e) => e.ts).map((e) => e.ts));
const mainThread = events.find(
  (event) =>
    event.name === "thread_name" && event.args?.name === "CrRendererMain",
);
const onMain = events.filter(
  (event) =>
    mainThread &&
    event.pid === mainThread.pid &&
    event.tid === mainThread.tid &&
    event.ph === "X",
);
const byName = {};
const byScript = {};
const windows = {};
for (const event of onMain) {
  const ms = (event.dur ?? 0) / 1000;
  byName[event.name] = (byName[event.name] ?? 0) + ms;
  if (
    event.name === "EvaluateScript" ||
    event.name === "FunctionCall" ||
    event.name === "v8.compile"
  ) {
    const url = event.args?.data?.url ?? event.args?.data?.functionName ?? "?";
    const key = `${event.name} ${url.split("/").pop()}`;
    byScript[key] = (byScript[key] ?? 0) + ms;
  }
  if (event.name === "RunTask") {
    const at = Math.floor((event.ts - origin) / 1000 / 250) * 250;
    windows[at] = (windows[at] ?? 0) + ms;
  }
}
const round = (object) =>
  Object.fromEntries(
    Object.entries(object)
      .filter(([, value]) => value >= 5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([key, value]) => [key, Math.round(value)]),
  );
// The sampling profiler's chunks: self time by function (where the script time goes, inside module evaluation
// and React's renders).
const nodes = new Map();
const selfTime = {};
for (const event of events.filter((item) => item.name === "ProfileChunk")) {
  const profile = event.args?.data?.cpuProfile ?? {};
  for (const node of profile.nodes ?? []) nodes.set(node.id, node.callFrame);
  const deltas = event.args?.data?.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, index) => {
    const frame = nodes.get(id);
    if (!frame) return;
    const name = `${frame.functionName || "(anonymous)"} ${(frame.url ?? "").split("/").pop()}:${frame.lineNumber}:${frame.columnNumber}`;
    selfTime[name] = (selfTime[name] ?? 0) + (deltas[index + 1] ?? 0) / 1000;
  });
}
const firstRequest = Math.min(
  ...result.requests.map((request) => request.start),
);
console.log(
  JSON.stringify(
    {
      mode,
      first_results_ms: result.firstResults,
      marks: result.marks,
      main_thread_ms_by_event: round(byName),
      main_thread_ms_by_script: round(byScript),
      sampled_self_ms_by_function: round(selfTime),
      main_thread_busy_ms_per_250ms_window: Object.fromEntries(
        Object.entries(windows)
          .sort((a, b) => Number(a[0]) - Number(b[0]))
          .map(([key, value]) => [key, Math.round(value)]),
      ),
      requests: result.requests.map((request) => ({
        url: request.url.replace(base, ""),
        start_ms: Math.round((request.start - firstRequest) * 1000),
        end_ms: request.end
          ? Math.round((request.end - firstRequest) * 1000)
          : null,
        kb: request.bytes ? Math.round(request.bytes / 102.4) / 10 : null,
        cached: request.cached,
      })),
    },
    null,
    2,
  ),
);
