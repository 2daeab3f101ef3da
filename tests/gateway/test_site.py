from datetime import date

from httpx import AsyncClient

from fne_gateway.config import Settings


async def test_the_publisher_details_default_to_the_savoie_departement(client: AsyncClient):
    response = await client.get("/api/site")
    assert response.status_code == 200
    site = response.json()
    assert site["publisher"] == "Département de la Savoie"
    assert "73018 Chambéry" in site["publisher_address"]
    assert site["accessibility_audit_date"] is None
    assert set(site) == {
        "publisher",
        "publisher_address",
        "publication_director",
        "contact_email",
        "data_protection_contact",
        "host",
        "accessibility_audit_date",
        "departement",
        "map_tiles_url",
        "map_attribution",
    }
    assert site["departement"] == "73"
    assert site["map_tiles_url"].startswith("https://data.geopf.fr/wmts?")
    assert "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in site["map_tiles_url"] and "{z}" in site["map_tiles_url"]
    assert "IGN" in site["map_attribution"]


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
    assert site["publisher"] == "Communauté de communes Cœur de Savoie"
    assert site["accessibility_audit_date"] == "2026-10-15"
