/**
 * Headless Chromium for the end-to-end tests: Debian's browser driven by playwright-core (no browser download),
 * axe-core injected into each screen, and screenshots when FNE_E2E_SCREENSHOTS names a directory.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// The test files live outside frontend/: resolve the front end's own dev dependencies.
const require = createRequire(new URL("../../frontend/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const setup = JSON.parse(process.env.FNE_E2E ?? "{}");
export const baseUrl = setup.url;

export async function launchBrowser() {
  // Playwright gives each launch a fresh, throw-away --user-data-dir of its own.
  return chromium.launch({
    executablePath: process.env.FNE_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // The gateway's Content-Security-Policy is on: whatever Chromium refuses under it fails the journey.
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      const violation = `CSP ${page.url()}: ${message.text()}`;
      errors.push(violation);
      cspViolations.push(violation);
    }
  });
  page.errors = errors;
  return page;
}

/** Every CSP violation Chromium reported in any page of the run (checked once more after all journeys). */
export const cspViolations = [];

const SEVERE = new Set(["serious", "critical"]);

/** axe-core on the current screen: no serious or critical violation is accepted. */
export async function assertAccessible(page, screen) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (an inline <script> tag would
  // be refused, rightly: the app itself has none).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  });
  const severe = violations.filter((violation) => SEVERE.has(violation.impact));
  assert.deepEqual(severe, [], `${screen}: serious or critical accessibility violations`);
  await screenshot(page, screen);
}

export async function screenshot(page, name) {
  const directory = process.env.FNE_E2E_SCREENSHOTS;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  await page.screenshot({ path: join(directory, `${name.replace(/[^\w-]+/g, "_")}.png`), fullPage: true });
}

/** Presses Tab (Shift+Tab when `backwards`) until the focused element's accessible text matches, as a keyboard user would. */
export async function tabTo(page, pattern, maxPresses = 80, backwards = false) {
  for (let press = 0; press < maxPresses; press += 1) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const name = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element) return "";
      const label = element.labels?.[0]?.textContent ?? "";
      return `${element.getAttribute("aria-label") ?? ""} ${label} ${element.textContent ?? ""}`.replace(/\s+/g, " ").trim();
    });
    if (pattern.test(name)) return name;
  }
  throw new Error(`${pattern} not reached with ${maxPresses} presses of Tab`);
}

export async function login(page, email = setup.admin_email, password = setup.admin_password) {
  await page.goto("/connexion");
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/administration$/);
}

/** An API session outside the browser: "someone else" in the conflict scenario. */
export async function apiSession(email = setup.admin_email, password = setup.admin_password) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(response.status, 200);
  const { csrf_token: csrf } = await response.json();
  const cookie = response.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  return { cookie, csrf };
}
