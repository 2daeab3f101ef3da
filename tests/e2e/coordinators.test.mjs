/**
 * The coordinators' workspace, used as a coordinator would, without the API: a whole committee cycle, a whole
 * campaign, and every other administration screen; axe-core at phone and desktop widths on each, keyboard where it
 * matters (confirmation dialogs, sortable and scrolling tables). Seeded by tests/e2e/test_coordinators.py.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { assertAccessible, launchBrowser, login, newPage as openPage, screenshot, setup } from "./browser.mjs";

let browser;
let opened = [];

/** Every page a journey opens, photographed if the journey fails (FNE_E2E_SCREENSHOTS). */
async function newPage(...args) {
  const page = await openPage(...args);
  opened.push(page);
  return page;
}

function journey(name, run) {
  test(name, async () => {
    opened = [];
    try {
      await run();
    } catch (error) {
      for (const [index, page] of opened.entries()) await screenshot(page, `echec-${name.slice(0, 30)}-${index}`).catch(() => {});
      throw error;
    }
  });
}
const today = new Date().toISOString().slice(0, 10);
const [year, month, day] = today.split("-");
const todayFr = `${day}/${month}/${year}`;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** axe at desktop width, then at a phone's, then back. */
async function accessibleAtBothWidths(page, name) {
  await assertAccessible(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 740 });
  await assertAccessible(page, `${name}-375`);
  // Nothing makes a phone's page scroll sideways (wide tables scroll inside their own frame).
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), `${name}: wider than a phone`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function asCoordinator() {
  const page = await newPage(browser);
  await login(page, setup.coordinator_email, setup.coordinator_password);
  return page;
}

/** Confirms a DSFR dialog with the keyboard: focus starts on « Annuler », the action is just before it. */
async function confirmWithKeyboard(page, dialogName, action) {
  const dialog = page.getByRole("dialog", { name: dialogName });
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "Annuler");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), action);
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
}

const noInternals = async (page) => {
  const text = await page.locator("main").innerText();
  assert.doesNotMatch(text, /user:[0-9a-f-]{8}|lieux_france_services|should|Input |pattern/);
};

journey("a coordinator runs a whole committee cycle: statuses, values, targets, milestones, meeting, report", async () => {
  const page = await asCoordinator();
  await page.locator(".fr-tile").getByRole("link", { name: "Feuille de route" }).click();
  await page.getByRole("heading", { level: 1, name: "Suivi de la feuille de route" }).waitFor();
  // The long table: reachable with the keyboard, sorted by status from its header.
  const objectives = page.getByRole("region", { name: "Les 21 objectifs de la feuille de route" });
  await objectives.focus();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "region");
  await page.getByRole("button", { name: /^Statut/ }).press("Enter");
  await page.getByRole("columnheader", { name: /Statut/ }).and(page.locator("[aria-sort=ascending]")).waitFor();
  await accessibleAtBothWidths(page, "admin-feuille-de-route");

  await page.getByRole("link", { name: /^2\. / }).click();
  await page.getByRole("heading", { level: 1, name: /^Objectif 2 :/ }).waitFor();
  await accessibleAtBothWidths(page, "admin-objectif");

  // Status, with its comment.
  const statusForm = page.getByRole("form", { name: "Statut de l'objectif" });
  await statusForm.getByLabel("Statut", { exact: true }).selectOption("en_cours");
  await statusForm.getByLabel(/^Commentaire/).fill("Permanences ouvertes dans trois France Services");
  await statusForm.getByRole("button", { name: "Enregistrer le statut" }).click();
  await page.getByText("Statut enregistré : En cours.").waitFor();

  // A value, first wrong (the API's field error in the form's words), then right, with its evidence.
  const section = page.getByRole("region", { name: /^2\.2 — / });
  await section.getByText("Saisir une valeur").click();
  const valueForm = section.getByRole("form", { name: /Nouvelle valeur/ });
  await valueForm.getByLabel(/^Valeur/).fill("six");
  await valueForm.getByRole("button", { name: "Enregistrer la valeur" }).click();
  const problem = valueForm.getByRole("alert");
  await problem.waitFor();
  assert.match(await problem.innerText(), /Valeur : /);
  assert.doesNotMatch(await problem.innerText(), /should|Input/);
  await accessibleAtBothWidths(page, "admin-objectif-erreur");
  await valueForm.getByLabel(/^Valeur/).fill("6");
  await valueForm.getByLabel("Commentaire").fill("Relevé de la coordination France Services");
  await valueForm.getByRole("button", { name: "Ajouter un justificatif" }).click();
  await valueForm.getByLabel("Titre du justificatif 1").fill("Tableau de suivi");
  await valueForm.getByLabel("Adresse du justificatif 1").fill("https://www.savoie.fr/suivi-france-services.pdf");
  await valueForm.getByRole("button", { name: "Enregistrer la valeur" }).click();
  await valueForm.getByText("Valeur enregistrée.").waitFor();
  await section.getByRole("link", { name: "Tableau de suivi" }).waitFor();

  // Its target.
  await section.getByText("Modifier la cible et l'échéance").click();
  const targetForm = section.getByRole("form", { name: /^Cible/ });
  await targetForm.getByLabel("Cible", { exact: true }).fill("12");
  await targetForm.getByRole("button", { name: "Enregistrer la cible" }).click();
  await targetForm.getByText("Cible enregistrée.").waitFor();
  await section.getByText(/Cible : 12/).waitFor();

  // A milestone of the first objective, reached today.
  await page.goto("/administration/feuille-de-route");
  await page.getByRole("link", { name: /^1\. / }).click();
  await page.getByRole("heading", { level: 1, name: /^Objectif 1 :/ }).waitFor();
  const milestone = page.getByRole("form", { name: /^Jalon : / }).first();
  await milestone.getByLabel(/^État du jalon/).selectOption("atteint");
  await milestone.getByLabel(/^Atteint le/).fill(today);
  await milestone.getByRole("button", { name: /^Enregistrer le jalon/ }).click();
  await milestone.getByText(/Jalon enregistré : Atteint\./).waitFor();
  await noInternals(page);

  // The meeting, then its report.
  await page.goto("/administration/comites");
  await page.getByRole("heading", { level: 1, name: "Comités de suivi" }).waitFor();
  await accessibleAtBothWidths(page, "admin-comites");
  await page.getByLabel("Type de réunion").selectOption("comite_suivi");
  await page.getByLabel("Date", { exact: true }).fill(today);
  await page.getByLabel("Titre", { exact: true }).fill("Comité de suivi d'hiver");
  await page.getByLabel(/^Lieu/).fill("Chambéry");
  await page.getByRole("button", { name: "Ajouter un document" }).click();
  await page.getByLabel("Titre du document 1").fill("Diaporama d'hiver");
  await page.getByLabel("Adresse du document 1").fill("https://www.savoie.fr/comite-hiver.pdf");
  await page.getByRole("button", { name: "Enregistrer la réunion" }).click();
  await page.getByRole("cell", { name: "Comité de suivi d'hiver" }).waitFor();
  await page.getByRole("link", { name: /lire le rapport du Comité de suivi/ }).click();

  await page.getByRole("heading", { level: 2, name: "Synthèse" }).waitFor();
  const report = page.locator(".fne-report");
  const text = await report.innerText();
  assert.match(text, /Statut : Non démarré → En cours \(Permanences ouvertes dans trois France Services\)/);
  assert.match(text, new RegExp(`Nombre de permanences de conseiller numérique en France Services : 6 au ${todayFr} — Relevé de la coordination`));
  assert.match(text, /Jalon atteint : /);
  await report.getByRole("link", { name: "Tableau de suivi" }).waitFor();
  await page.getByRole("link", { name: "Diaporama d'hiver" }).waitFor();
  await noInternals(page);
  // The public report page (not the workspace's): checked at desktop width, as tests/e2e/app.test.mjs does.
  await assertAccessible(page, "comite-rapport-hiver");
  assert.deepEqual(page.errors, []);
});

const SENTIMENT = {
  settings: [{ form_id: "sentiment-e2e", "form_title::fr": "Sentiment numérique", mode: "both" }],
  survey: [
    { type: "select_one yes_no", name: "internet", "label::fr": "Avez-vous internet chez vous ?", required: "yes" },
    { type: "range", name: "aisance", "label::fr": "Je suis à l'aise en ligne", parameters: "start=0 end=4", relevant: "${internet} = 'yes'" },
    { type: "text", name: "remarque", "label::fr": "Une remarque ?" },
  ],
  choices: [
    { list_name: "yes_no", name: "yes", "label::fr": "Oui" },
    { list_name: "yes_no", name: "no", "label::fr": "Non" },
  ],
};

journey("a coordinator runs a whole campaign: questionnaire, public link and QR code, answers, results, closing", async () => {
  const page = await asCoordinator();
  await page.locator(".fr-tile").getByRole("link", { name: "Questionnaires" }).click();
  await page.getByRole("heading", { level: 1, name: "Questionnaires" }).waitFor();
  await accessibleAtBothWidths(page, "admin-questionnaires");

  // An XLSForm with a mistake: the error names the sheet and the spreadsheet's row.
  const broken = { ...SENTIMENT, survey: [...SENTIMENT.survey, { type: "photo", name: "selfie", "label::fr": "Photo" }] };
  const file = (document) => ({ name: "sentiment.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(document)) });
  await page.getByLabel(/^Fichier XLSForm/).setInputFiles(file(broken));
  await page.getByRole("button", { name: "Importer le questionnaire" }).click();
  await page.getByRole("alert").filter({ hasText: /Feuille « survey », ligne 5/ }).waitFor();
  await page.getByLabel(/^Fichier XLSForm/).setInputFiles(file(SENTIMENT));
  await page.getByRole("button", { name: "Importer le questionnaire" }).click();
  await page.getByRole("heading", { level: 1, name: /Sentiment numérique, version 1/ }).waitFor();

  // The preview is the respondent's form: skip logic included.
  const preview = page.getByRole("region", { name: "Sentiment numérique" });
  assert.equal(await preview.getByText("Je suis à l'aise en ligne").count(), 0);
  await preview.locator("[data-question=internet]").locator("label", { hasText: "Oui" }).click();
  await preview.getByText("Je suis à l'aise en ligne").waitFor();
  await page.getByLabel("Libellé (question 3)").fill("Une remarque sur le numérique ?");
  await preview.getByText("Une remarque sur le numérique ?").waitFor();
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await page.getByText("Brouillon enregistré.").waitFor();
  await accessibleAtBothWidths(page, "admin-questionnaire-brouillon");

  await page.getByRole("button", { name: "Publier cette version" }).press("Enter");
  await confirmWithKeyboard(page, /Publier « Sentiment numérique, version 1 »/, "Publier");
  await page.getByText(/Version publiée/).waitFor();
  await page.getByRole("button", { name: "Retirer cette version" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Publier cette version" }).count(), 0);

  // The campaign: on this version, public link, a quota and a closing date.
  await page.getByRole("link", { name: "Ouvrir une campagne" }).click();
  await page.getByRole("heading", { level: 1, name: "Campagnes" }).waitFor();
  await page.getByLabel("Nom de la campagne").fill("Sentiment 2027");
  await page.getByLabel("Mode de réponse").selectOption("public");
  await page.getByLabel(/^Nombre de réponses attendues/).fill("0");
  await page.getByRole("button", { name: "Ouvrir la campagne" }).click();
  await page.getByRole("alert").filter({ hasText: "Nombre de réponses attendues au plus" }).waitFor();
  await accessibleAtBothWidths(page, "admin-campagnes-erreur");
  await page.getByLabel(/^Nombre de réponses attendues/).fill("50");
  await page.getByLabel(/^Clôture/).fill(`${Number(year) + 1}-06-30T18:00`);
  await page.getByRole("button", { name: "Ouvrir la campagne" }).click();
  await page.getByRole("heading", { level: 1, name: /Sentiment 2027/ }).waitFor();
  await page.getByTestId("qr-code").locator("svg").waitFor();
  const link = (await page.getByTestId("public-link").innerText()).trim();
  assert.match(link, /\/enquete\/[\w-]{16,}$/);
  await page.getByText(/Au plus 50 réponses terminées/).waitFor();
  await accessibleAtBothWidths(page, "admin-campagne");

  // A resident answers on a phone.
  const phone = await newPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await phone.goto(link);
  await phone.getByRole("heading", { level: 1, name: "Sentiment numérique" }).waitFor();
  await phone.locator("label", { hasText: "J'accepte de répondre" }).click();
  await phone.locator("[data-question=internet]").locator("label", { hasText: "Oui" }).click();
  await phone.locator("[data-question=aisance]").locator("label", { hasText: "3" }).click();
  await phone.getByLabel("Une remarque sur le numérique ?").fill("Plus d'ateliers le samedi");
  await phone.getByRole("button", { name: "Envoyer mes réponses" }).click();
  await phone.getByText("Merci, vos réponses sont envoyées").waitFor();

  // Its results, then the campaign closed: the link no longer takes answers.
  await page.getByRole("link", { name: "Voir les résultats" }).click();
  await page.getByRole("heading", { level: 1, name: /Résultats/ }).waitFor();
  await page.getByText(/1 terminée/).waitFor();
  await page.goBack();
  await page.getByRole("button", { name: "Clore la campagne" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Clore la campagne" }).click();
  await page.getByText(/Campagne close/).waitFor();
  await phone.goto(link);
  await phone.getByText(/clos|terminée|fermée/i).first().waitFor();
  assert.doesNotMatch(await phone.locator("main").innerText(), /\d{4}-\d\d-\d\dT/);

  // A next version, compared with the first.
  await page.goto("/administration/questionnaires");
  await page.getByRole("link", { name: "Sentiment numérique, version 1" }).click();
  await page.getByRole("button", { name: "Créer la version suivante" }).click();
  await page.getByRole("heading", { level: 1, name: /Sentiment numérique, version 2/ }).waitFor();
  await page.getByLabel("Comparer avec la version").selectOption({ label: "Version 1 (publiée)" });
  await page.getByText("Les versions 1 et 2 posent les mêmes questions.").waitFor();
  await page.getByRole("button", { name: "Supprimer ce brouillon" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Supprimer le brouillon" }).click();
  await page.getByRole("heading", { level: 1, name: "Questionnaires" }).waitFor();
  assert.deepEqual([...page.errors, ...phone.errors], []);
});

journey("the observatory's computations and catalogue", async () => {
  const page = await asCoordinator();
  await page.goto("/administration/observatoire/calculs");
  await page.getByRole("heading", { level: 1, name: "Calculs de l'observatoire" }).waitFor();
  await accessibleAtBothWidths(page, "admin-calculs");
  await page.getByRole("button", { name: "Calculer les indicateurs de l'annuaire" }).click();
  await page.getByText("Calcul terminé").waitFor({ timeout: 60000 });
  await page.getByLabel("Département").fill("Savoie");
  await page.getByRole("button", { name: "Calculer les indicateurs des questionnaires" }).click();
  const refused = page.getByRole("alert").filter({ hasText: "Département : " });
  await refused.waitFor();
  assert.doesNotMatch(await refused.innerText(), /should|pattern|\^/);
  await noInternals(page);
  await accessibleAtBothWidths(page, "admin-calculs-resultat");
  await page.getByRole("link", { name: "Lire le rapport du calcul" }).click();
  await page.getByText(/valeur\(s\)|valeurs?/).first().waitFor();
  await noInternals(page);

  await page.goto("/administration/observatoire/indicateurs");
  await page.getByRole("heading", { level: 1, name: "Catalogue des indicateurs" }).waitFor();
  await accessibleAtBothWidths(page, "admin-catalogue");
  await page.getByLabel(/^Identifiant/).fill("Ateliers Numériques");
  await page.getByLabel(/^Libellé/).fill("Ateliers numériques par commune");
  await page.getByRole("textbox", { name: /^Thème/ }).fill("offre");
  await page.getByLabel(/^Source/).fill("Coordination départementale");
  await page.getByRole("button", { name: "Ajouter l'indicateur" }).click();
  await page.getByRole("alert").filter({ hasText: "Identifiant : " }).waitFor();
  await page.getByLabel(/^Identifiant/).fill("ateliers_numeriques");
  await page.getByRole("button", { name: "Ajouter l'indicateur" }).click();
  await page.getByRole("status").getByRole("link", { name: "Ateliers numériques par commune" }).waitFor();
  await page.getByRole("row", { name: /Ateliers numériques par commune/ }).waitFor();
  assert.deepEqual(page.errors, []);
});

journey("a person's data requests: a copy, then erasure after a confirmation", async () => {
  const page = await asCoordinator();
  await page.goto("/administration/donnees-personnelles");
  await page.getByRole("heading", { level: 1, name: "Demandes sur les données personnelles" }).waitFor();
  await page.getByLabel("Code de la personne").fill("BEN-7301");
  await page.getByRole("button", { name: "Obtenir une copie de ses données" }).click();
  await page.getByText(/1 réponse, 1 consentement/).waitFor();
  await accessibleAtBothWidths(page, "admin-donnees-personnelles");
  await page.getByRole("button", { name: "Effacer ses données" }).click();
  await page.getByRole("dialog", { name: "Effacer les données de cette personne ?" }).getByRole("button", { name: "Effacer définitivement" }).click();
  await page.getByText(/1 réponse effacée/).waitFor();
  await page.getByRole("button", { name: "Obtenir une copie de ses données" }).click();
  await page.getByRole("alert").waitFor();
  assert.deepEqual(page.errors, []);
});

journey("a place merged from two sources: release a field typed by hand, split the merge, withdraw and restore", async () => {
  const page = await asCoordinator();
  await page.goto(`/lieux/${setup.merged_place}/modifier`);
  await page.getByRole("link", { name: /Retrait, provenance des champs et fusions/ }).click();
  await page.getByRole("heading", { level: 1, name: /Gérer « Espace numérique de Modane »/ }).waitFor();
  await accessibleAtBothWidths(page, "admin-lieu");

  const fields = page.getByRole("table", { name: "Source de chaque champ du lieu" });
  await fields.getByText(/Saisie à la main par/).first().waitFor();
  await noInternals(page);
  await fields.getByRole("button", { name: /^Libérer « Téléphone »/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Libérer le champ" }).click();
  await page.getByText(/« Téléphone » est rendu à ses sources/).waitFor();

  const records = page.getByRole("table", { name: "Enregistrements des sources rattachés à ce lieu" });
  assert.equal(await records.getByRole("row").count(), 3);
  await records.getByRole("button", { name: /^Séparer fichier-mairie-modane/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Séparer" }).click();
  await page.getByText(/est devenu un lieu à part/).waitFor();

  // Withdrawn with the keyboard; Escape first closes the dialog and gives the focus back.
  const withdraw = page.getByRole("button", { name: "Retirer ce lieu" });
  await withdraw.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: /Retirer « Espace numérique de Modane »/ }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.textContent === "Retirer ce lieu");
  await page.keyboard.press("Enter");
  await confirmWithKeyboard(page, /Retirer « Espace numérique de Modane »/, "Retirer le lieu");
  await page.getByText(/Lieu retiré/).waitFor();
  await accessibleAtBothWidths(page, "admin-lieu-retire");
  await page.getByRole("button", { name: "Restaurer ce lieu" }).click();
  await page.getByText(/Lieu restauré/).waitFor();
  assert.deepEqual(page.errors, []);
});
