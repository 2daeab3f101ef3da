/**
 * The network, used as a coordinator and a resident would, without the API: a person, a training with its attendees,
 * an itinerant permanence and an event recorded (communes chosen by name), each edited once; a committee's follow-up;
 * the roadmap computed from them (« Calculer la feuille de route », followed to its end) and its scoreboard read, then
 * computed again unchanged; the permanence found on the place's page and the event in the public agenda (filters, iCalendar link, schema.org
 * data); axe-core at phone and desktop widths on each screen. Seeded by tests/e2e/conftest.py (app_platform).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { assertAccessible, cspViolations, launchBrowser, login, newPage, screenshot, setup } from "./browser.mjs";

let browser;
const opened = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function page() {
  const created = await newPage(browser);
  opened.push(created);
  return created;
}

/** axe at desktop width, then at a phone's (nothing wider than the phone), then back. */
async function accessibleAtBothWidths(current, name) {
  await assertAccessible(current, `${name}-1280`);
  await current.setViewportSize({ width: 375, height: 740 });
  await assertAccessible(current, `${name}-375`);
  assert.ok(await current.evaluate(() => document.documentElement.scrollWidth <= 375), `${name}: wider than a phone`);
  await current.setViewportSize({ width: 1280, height: 900 });
}

/** « YYYY-MM-DDTHH:MM » in the browser's (Paris) time, `days` from today, as a datetime-local input takes it. */
function localMoment(days, hours) {
  const moment = new Date(Date.now() + days * 86400000);
  const parts = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
  return `${parts}T${hours}`;
}

const EVENT = "Café numérique de la médiathèque";

/** A commune chosen by its name in a commune picker: typed, then taken (at once when the name is exact). */
async function chooseCommune(form, label, name, code) {
  await form.getByLabel(label).fill(name);
  await form.getByText(`Commune choisie : ${name} (code INSEE ${code})`).waitFor();
}

/** Ticks a box whose state comes back from the API: waits until it may be ticked, then until it shows ticked. */
async function tick(box) {
  for (let attempt = 0; attempt < 150 && (await box.isDisabled()); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  // The DSFR draws the box over its label (which takes the click), as a person clicks it.
  await box.click({ force: true });
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (await box.isChecked()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the box did not stay ticked");
}

async function journey(name, run) {
  test(name, async () => {
    opened.length = 0;
    try {
      await run();
    } catch (error) {
      for (const [index, item] of opened.entries()) await screenshot(item, `echec-reseau-${index}`).catch(() => {});
      throw error;
    }
  });
}

journey("a coordinator records a person, a training with its attendees, an itinerant permanence and an event, and edits them", async () => {
  const coordinator = await page();
  await login(coordinator, setup.coordinator_email, setup.coordinator_password);

  // A person of the network.
  await coordinator.locator(".fr-tile").getByRole("link", { name: "Personnes du réseau" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Personnes du réseau" }).waitFor();
  const personForm = coordinator.getByRole("form", { name: "Enregistrer une personne" });
  await personForm.getByLabel("Prénom").fill("Anne");
  await personForm.getByLabel("Nom", { exact: true }).fill("Roux");
  await personForm.getByLabel("Rôle", { exact: true }).selectOption("aidant");
  await personForm.getByLabel("Structure employeuse principale").fill("Mairie de Cognin");
  await chooseCommune(personForm, "Commune de la structure principale", "Cognin", "73087");
  await personForm.getByText("Aidants Connect").click();
  await personForm.getByLabel("Date d'habilitation Aidants Connect").fill("2026-01-15");
  await personForm.getByRole("button", { name: "Enregistrer la personne" }).click();
  await coordinator.getByText("Anne Roux est enregistré(e).").waitFor();
  await coordinator.getByRole("rowheader", { name: "Anne Roux" }).waitFor();
  // Edited: her professional phone added.
  await coordinator.getByRole("button", { name: /^Modifier\s*Anne Roux$/ }).click();
  const editPerson = coordinator.getByRole("form", { name: "Modifier Anne Roux" });
  assert.equal(await editPerson.getByLabel("Commune de la structure principale").inputValue(), "Cognin");
  await editPerson.getByLabel("Téléphone").fill("04 79 00 00 00");
  await editPerson.getByRole("button", { name: "Enregistrer les modifications" }).click();
  await coordinator.getByText("Anne Roux est modifié(e).").waitFor();
  await accessibleAtBothWidths(coordinator, "reseau-personnes");

  // A session held yesterday, first with its end before its start (the API's message in the form's words).
  await coordinator.goto("/administration");
  await coordinator.locator(".fr-tile").getByRole("link", { name: "Formations" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Formations" }).waitFor();
  const trainingForm = coordinator.getByRole("form", { name: "Enregistrer une session de formation" });
  await trainingForm.getByLabel("Intitulé").fill("Devenir aidant numérique");
  await trainingForm.getByLabel("Public formé").selectOption("secretaires_mairie");
  await trainingForm.getByLabel("Début", { exact: true }).fill(localMoment(-1, "09:00"));
  await trainingForm.getByLabel("Fin", { exact: true }).fill(localMoment(-1, "08:00"));
  await chooseCommune(trainingForm, "Commune", "Chambéry", "73065");
  await trainingForm.getByRole("button", { name: "Enregistrer la session" }).click();
  const problem = trainingForm.getByRole("alert");
  await problem.waitFor();
  assert.match(await problem.innerText(), /la fin doit suivre le début/);
  await trainingForm.getByLabel("Fin", { exact: true }).fill(localMoment(-1, "12:00"));
  await trainingForm.getByRole("button", { name: "Enregistrer la session" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Devenir aidant numérique" }).waitFor();
  await coordinator.getByText("Session enregistrée.").waitFor();

  // Its attendees: a person of the network and a participant known by name only.
  const register = coordinator.getByRole("form", { name: "Inscrire quelqu'un" });
  await register.getByLabel("Personne du réseau").selectOption({ label: "Anne Roux" });
  await register.getByRole("button", { name: "Inscrire" }).click();
  await coordinator.getByRole("rowheader", { name: "Anne Roux" }).waitFor();
  await register.getByLabel("Prénom et nom").fill("Paul Durand");
  await register.getByLabel("Structure").fill("Mairie de Barby");
  await register.getByRole("button", { name: "Inscrire" }).click();
  await coordinator.getByRole("rowheader", { name: "Paul Durand" }).waitFor();
  await tick(coordinator.getByLabel("Anne Roux : présent"));
  await tick(coordinator.getByLabel("Anne Roux : achevée"));
  await tick(coordinator.getByLabel("Paul Durand : présent"));
  await coordinator.getByText("2 inscrit(s), 2 présent(s), 1 formé(s)").waitFor();
  // Edited: twelve places.
  await coordinator.getByRole("button", { name: "Modifier la session" }).click();
  const editTraining = coordinator.getByRole("form", { name: "Modifier la session" });
  assert.equal(await editTraining.getByLabel("Commune").inputValue(), "Chambéry");
  await editTraining.getByLabel("Nombre de places").fill("12");
  await editTraining.getByRole("button", { name: "Enregistrer les modifications" }).click();
  await coordinator.getByText("Session modifiée.").waitFor();
  await coordinator.getByText("2 inscrit(s) pour 12 places, 2 présent(s), 1 formé(s)").waitFor();
  await accessibleAtBothWidths(coordinator, "reseau-formation");

  // An itinerant permanence: Anne Roux at the France Services on Tuesday mornings, then at a stop in Albertville.
  await coordinator.goto(`/administration/lieux/${setup.places.open_chambery}`);
  await coordinator.getByRole("link", { name: "Permanences dans ce lieu" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Permanences à « France Services de Chambéry »" }).waitFor();
  await coordinator.getByText("Aucune permanence dans ce lieu pour l'instant.").waitFor();
  const permanenceForm = coordinator.getByRole("form", { name: "Enregistrer une permanence" });
  await permanenceForm.getByLabel("Personne du réseau").selectOption({ label: "Anne Roux" });
  assert.equal(await permanenceForm.getByLabel("Rôle", { exact: true }).inputValue(), "aidant");
  await permanenceForm.getByText("Lieu choisi : France Services de Chambéry").waitFor();
  await permanenceForm.getByRole("button", { name: "Ajouter un créneau ou une étape" }).click();
  await chooseCommune(permanenceForm, "Commune de l'étape 2", "Albertville", "73011");
  await permanenceForm.getByLabel("Jour du créneau 2").selectOption("jeudi");
  await permanenceForm.getByLabel("Début du créneau 2").fill("14:00");
  await permanenceForm.getByLabel("Fin du créneau 2").fill("13:00");
  await permanenceForm.getByLabel("Précision sur l'endroit, créneau 2").fill("parking de la mairie");
  await permanenceForm.getByRole("button", { name: "Enregistrer la permanence" }).click();
  // The end before the start: the API's refusal shown at the slot concerned.
  await permanenceForm.getByRole("alert").waitFor();
  await permanenceForm.getByText(/l'heure de fin doit suivre l'heure de début/).first().waitFor();
  await permanenceForm.getByLabel("Fin du créneau 2").fill("17:00");
  await permanenceForm.getByRole("button", { name: "Enregistrer la permanence" }).click();
  await coordinator.getByText("Permanence enregistrée (tournée) : elle paraît sur la page de ses lieux.").waitFor();
  const permanences = coordinator.getByRole("table", { name: /Permanences tenues/ });
  await permanences.getByText("tournée", { exact: true }).waitFor();
  await permanences.getByText(/le jeudi 14 h–17 h : Albertville, parking de la mairie/).waitFor();
  await accessibleAtBothWidths(coordinator, "reseau-permanence");

  // An event in three days.
  await coordinator.goto("/administration");
  await coordinator.locator(".fr-tile").getByRole("link", { name: "Agenda des événements" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Agenda des événements" }).waitFor();
  const eventForm = coordinator.getByRole("form", { name: "Ajouter un événement" });
  await eventForm.getByLabel("Titre", { exact: true }).fill(EVENT);
  await eventForm.getByLabel("Type", { exact: true }).selectOption("cafe_numerique");
  await eventForm.getByLabel("Début", { exact: true }).fill(localMoment(3, "14:00"));
  await eventForm.getByLabel("Fin", { exact: true }).fill(localMoment(3, "16:00"));
  await chooseCommune(eventForm, "Commune", "Chambéry", "73065");
  await eventForm.getByLabel("Lieu").fill("Médiathèque Jean-Jacques Rousseau");
  await eventForm.getByLabel("Adresse").fill("Carré Curial");
  await eventForm.getByLabel("Pour qui").fill("Tout public");
  await eventForm.getByLabel("Lien d'inscription").fill("https://inscription.example.org/cafe");
  await eventForm.getByRole("button", { name: "Enregistrer l'événement" }).click();
  await coordinator.getByRole("heading", { level: 1, name: EVENT }).waitFor();
  await coordinator.getByText("Événement publié dans l'agenda.").waitFor();
  // Edited: who it is for.
  await coordinator.getByRole("button", { name: "Modifier l'événement" }).click();
  const editEvent = coordinator.getByRole("form", { name: "Modifier l'événement" });
  await editEvent.getByLabel("Pour qui").fill("Tout public, seniors bienvenus");
  await editEvent.getByRole("button", { name: "Enregistrer les modifications" }).click();
  await coordinator.getByText("Événement modifié.").waitFor();
  await accessibleAtBothWidths(coordinator, "reseau-evenement-admin");
  await coordinator.goto("/administration/reseau/evenements");
  await coordinator.getByRole("link", { name: EVENT }).waitFor();
  await accessibleAtBothWidths(coordinator, "reseau-evenements");
  assert.deepEqual(coordinator.errors, []);
});

journey("a coordinator follows a committee: participants, a decision and its action, the action moved on", async () => {
  const coordinator = await page();
  await login(coordinator, setup.coordinator_email, setup.coordinator_password);
  await coordinator.locator(".fr-tile").getByRole("link", { name: "Comités de suivi" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Comités de suivi" }).waitFor();
  await coordinator.getByRole("link", { name: /^Suivi\s*du Comité de suivi du 12 mars 2026$/ }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Suivi du Comité de suivi du 12 mars 2026" }).waitFor();
  await coordinator.getByRole("link", { name: /Diaporama du comité/ }).waitFor();

  const participants = coordinator.getByRole("form", { name: "Participants" });
  await participants.getByRole("button", { name: "Ajouter un participant" }).click();
  await participants.getByLabel("Structure, participant 1").fill("Département de la Savoie");
  await participants.getByLabel("Nom, participant 1").fill("Léa Blanc");
  await participants.getByRole("button", { name: "Enregistrer les participants" }).click();
  await coordinator.getByText("Participants enregistrés.").waitFor();
  await coordinator.getByText("1 présent(s) sur 1 invité(s).", { exact: false }).waitFor();

  const decision = coordinator.getByRole("form", { name: "Enregistrer une décision" });
  await decision.getByLabel("Décision").fill("Cartographier les permanences de Maurienne");
  await decision.getByRole("button", { name: "Ajouter une action à cette décision" }).click();
  await decision.getByLabel("Intitulé de l'action 1").fill("Recenser les tournées existantes");
  await decision.getByLabel("Porteur de l'action 1").fill("FNE Savoie");
  await decision.getByLabel("Échéance de l'action 1").fill("2026-12-31");
  await decision.getByRole("button", { name: "Enregistrer la décision" }).click();
  await decision.getByText("Décision enregistrée.").waitFor();
  const actions = coordinator.getByRole("table", { name: /Actions et leur avancement/ });
  await actions.getByRole("rowheader", { name: /^Recenser les tournées existantes/ }).waitFor();

  const action = coordinator.getByRole("form", { name: "Suivi de l'action Recenser les tournées existantes" });
  await action.getByLabel("Statut").selectOption("en_cours");
  await action.getByRole("button", { name: /Mettre à jour/ }).click();
  await coordinator.getByText("Action « Recenser les tournées existantes » : en cours.").waitFor();
  await actions.getByText("en cours", { exact: true }).first().waitFor();
  await accessibleAtBothWidths(coordinator, "comite-suivi");
  assert.deepEqual(coordinator.errors, []);
});

/** An objective's « Indicateurs renseignés » on a scoreboard (admin or public): « n sur m » read from its row. */
async function filledIndicators(current, objective) {
  const header = current.getByRole("rowheader", { name: new RegExp(`^${objective}\\. `) });
  const text = await current.getByRole("row").filter({ has: header }).innerText();
  // The indicators' column comes before the milestones'.
  const [, filled, of] = text.match(/(\d+) sur (\d+)/);
  return { filled: Number(filled), of: Number(of) };
}

/** The texts the computation's live region showed, from the click to the end (so that a quick job's « en cours »
 * is not missed between two looks). */
async function recordStatuses(section) {
  await section.evaluate((element) => {
    const status = element.querySelector('[role="status"]');
    window.fneStatuses = [];
    new MutationObserver(() => window.fneStatuses.push(status.innerText)).observe(status, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
}

/** The job shown running (« Calcul en cours » or « en attente »; the badge is in capitals on the screen), then its end. */
async function followedToItsEnd(current, section) {
  await current.waitForFunction(() => window.fneStatuses.some((text) => /Calcul\s*en (cours|attente)/i.test(text)));
  await section.getByText("Calcul terminé").waitFor({ timeout: 120000 });
}

journey("a coordinator computes the roadmap from the network's records and reads the scoreboard it changed", async () => {
  const coordinator = await page();
  await login(coordinator, setup.coordinator_email, setup.coordinator_password);

  // Before: 9.3 (sessions for partners' agents and secrétaires de mairie) has no value, nothing computed.
  await coordinator.locator(".fr-tile").getByRole("link", { name: "Feuille de route", exact: true }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Suivi de la feuille de route" }).waitFor();
  const before = { 9: await filledIndicators(coordinator, 9), 21: await filledIndicators(coordinator, 21) };
  await coordinator.getByRole("link", { name: /^9\. / }).click();
  const sheet = coordinator.getByRole("region", { name: /^9\.3 — / });
  await sheet.waitFor();
  assert.match(await sheet.innerText(), /Dernière valeur : —/);

  // The computation, followed on the screen until it ends.
  await coordinator.goto("/administration");
  await coordinator.locator(".fr-tile").getByRole("link", { name: "Calculs de l'observatoire" }).click();
  await coordinator.getByRole("heading", { level: 1, name: "Calculs de l'observatoire" }).waitFor();
  const computation = coordinator.getByRole("region", { name: "Feuille de route calculée" });
  await recordStatuses(computation);
  await computation.getByRole("button", { name: "Calculer la feuille de route" }).click();
  await followedToItsEnd(coordinator, computation);
  assert.match(await computation.innerText(), /Calcul\s*réussi/i);
  // The network's dataset published for the first time; La Coop, without a token here, left out with its reason.
  const network = computation.getByRole("listitem").filter({ hasText: "Réseau : personnes, formations, événements" });
  assert.match(await network.innerText(), /version 1, \d+ valeurs? publiées? le /);
  await computation.getByText("Sources non calculées :").waitFor();
  await computation.getByText(/La Coop de la médiation numérique : /).waitFor();
  await accessibleAtBothWidths(coordinator, "calcul-feuille-de-route");

  // The scoreboard: one more indicator of objective 9 filled (9.3), and the committees' objective too (21.1).
  await coordinator.goto("/administration/feuille-de-route");
  await coordinator.getByRole("heading", { level: 1, name: "Suivi de la feuille de route" }).waitFor();
  assert.deepEqual(await filledIndicators(coordinator, 9), { filled: before[9].filled + 1, of: before[9].of });
  assert.ok((await filledIndicators(coordinator, 21)).filled > before[21].filled, "objective 21 unchanged");
  await coordinator.getByRole("link", { name: /^9\. / }).click();
  await sheet.waitFor();
  const computed = await sheet.innerText();
  // One session for secrétaires de mairie was held (the training recorded above), computed with its source.
  assert.match(computed, /Dernière valeur : 1 /);
  assert.match(computed, /Calculée automatiquement le \d/);
  assert.match(computed, /source : Service réseau FNE Savoie/);
  const history = sheet.getByRole("table", { name: /^Valeurs : / });
  await history.getByText("Calcul automatique").waitFor();

  // The public scoreboard says the same.
  const resident = await page();
  await resident.goto("/observatoire/feuille-de-route");
  await resident.getByRole("heading", { level: 1, name: /^Feuille de route France Numérique Ensemble/ }).waitFor();
  assert.deepEqual(await filledIndicators(resident, 9), { filled: before[9].filled + 1, of: before[9].of });

  // Computed again with nothing changed in the network: its version is kept, checked again.
  await coordinator.goto("/administration/observatoire/calculs");
  await recordStatuses(computation);
  await computation.getByRole("button", { name: "Calculer la feuille de route" }).click();
  await followedToItsEnd(coordinator, computation);
  assert.match(await network.innerText(), /version 1, valeurs inchangées depuis le .+, vérifiées le /);
  assert.deepEqual(coordinator.errors, []);
  assert.deepEqual(resident.errors, []);
});

journey("a resident sees the permanence on the place's page", async () => {
  const resident = await page();
  await resident.goto(`/lieux/${setup.places.open_chambery}`);
  await resident.getByRole("heading", { level: 1, name: "France Services de Chambéry" }).waitFor();
  const section = resident.getByRole("region", { name: "Permanences" });
  await section.getByText(/Aidant numérique présent le mardi 9\s*h–12\s*h/).waitFor();
  assert.match(await section.innerText(), /en tournée/);
  await accessibleAtBothWidths(resident, "lieu-permanence");
  assert.deepEqual(resident.errors, []);
});

journey("a resident finds the event in the agenda, subscribes to it and opens its page", async () => {
  const resident = await page();
  await resident.goto("/");
  await resident.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Agenda" }).click();
  await resident.getByRole("heading", { level: 1, name: "Agenda de l'inclusion numérique" }).waitFor();
  await resident.getByRole("link", { name: EVENT }).waitFor();
  await resident.getByLabel("Commune").selectOption({ label: "Chambéry" });
  await resident.getByLabel("Type d'événement").selectOption("cafe_numerique");
  await resident.getByRole("button", { name: "Filtrer" }).click();
  await resident.waitForURL(/commune=73065/);
  await resident.getByText("1 événement à venir").waitFor();
  const feed = resident.getByRole("link", { name: /S'abonner à l'agenda de Chambéry/ });
  assert.match(await feed.getAttribute("href"), /\/api\/network\/evenements\.ics\?commune=73065$/);
  const calendar = await (await fetch(await feed.getAttribute("href"))).text();
  assert.match(calendar, /BEGIN:VCALENDAR/);
  assert.match(calendar, /SUMMARY:Café numérique de la médiathèque/);
  await accessibleAtBothWidths(resident, "agenda");

  await resident.getByRole("link", { name: EVENT }).click();
  await resident.getByRole("heading", { level: 1, name: EVENT }).waitFor();
  await resident.getByText("Médiathèque Jean-Jacques Rousseau, Carré Curial, Chambéry").waitFor();
  await resident.locator("script#evenement-jsonld").waitFor({ state: "attached" });
  const data = JSON.parse(await resident.locator("script#evenement-jsonld").textContent());
  assert.equal(data["@type"], "Event");
  assert.equal(data.name, EVENT);
  assert.equal(data.location.address.addressLocality, "Chambéry");
  assert.ok((await resident.getByRole("link", { name: "Ajouter à mon agenda" }).getAttribute("href")).endsWith("/ics"));
  await accessibleAtBothWidths(resident, "agenda-evenement");
  assert.deepEqual(resident.errors, []);
  assert.deepEqual(cspViolations, []);
});
