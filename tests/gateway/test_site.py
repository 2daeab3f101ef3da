from datetime import date

from httpx import AsyncClient

from fne_gateway.config import Settings


async def test_the_publisher_details_default_to_the_savoie_departement(client: AsyncClient):
    response = await client.get("/api/site")
    assert response.status_code == 200
    site = response.json()
    assert site["editeur"] == "Département de la Savoie"
    assert "73018 Chambéry" in site["editeur_adresse"]
    assert site["audit_accessibilite_le"] is None
    assert set(site) == {
        "editeur",
        "editeur_adresse",
        "directeur_publication",
        "courriel_contact",
        "contact_donnees_personnelles",
        "hebergeur",
        "audit_accessibilite_le",
        "departement",
        "fond_carte_url",
        "fond_carte_attribution",
    }
    assert site["departement"] == "73"
    assert site["fond_carte_url"].startswith("https://data.geopf.fr/wmts?")
    assert "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in site["fond_carte_url"] and "{z}" in site["fond_carte_url"]
    assert "IGN" in site["fond_carte_attribution"]


async def test_the_publisher_details_come_from_the_settings(
    client: AsyncClient, gateway_settings: Settings, monkeypatch
):
    monkeypatch.setenv("GATEWAY_SITE_PUBLISHER", "Communauté de communes Cœur de Savoie")
    monkeypatch.setenv("GATEWAY_SITE_ACCESSIBILITY_AUDIT_DATE", "2026-10-15")
    from_environment = Settings()
    assert from_environment.site_publisher == "Communauté de communes Cœur de Savoie"
    assert from_environment.site_accessibility_audit_date == date(2026, 10, 15)

    gateway_settings.site_publisher = from_environment.site_publisher
    gateway_settings.site_accessibility_audit_date = from_environment.site_accessibility_audit_date
    site = (await client.get("/api/site")).json()
    assert site["editeur"] == "Communauté de communes Cœur de Savoie"
    assert site["audit_accessibilite_le"] == "2026-10-15"
