from datetime import date
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fne_gateway.proconnect.config import ProConnectSettings
from fne_kernel.mail.settings import MailSettings
from fne_kernel.settings import read_key, sqlite_url

SERVICES = ("directory", "observatory", "surveys", "network")


class Settings(BaseSettings, MailSettings, ProConnectSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("gateway")
    identity_private_key: str = Field(
        default="",
        description="Ed25519 private key (PEM or file path) signing the identity tokens sent to services",
    )
    log_level: str = "INFO"
    access_log: bool = True

    directory_url: str = "http://127.0.0.1:8001"
    observatory_url: str = "http://127.0.0.1:8002"
    surveys_url: str = "http://127.0.0.1:8003"
    network_url: str = "http://127.0.0.1:8004"
    directory_timeout: float = 30.0
    observatory_timeout: float = 30.0
    surveys_timeout: float = 30.0
    network_timeout: float = 30.0
    connect_timeout: float = 2.0
    upstream_pool_size: int = 256

    max_body_bytes: int = 10 * 1024 * 1024
    cors_origins: list[str] = []
    frontend_dir: Path = Path("frontend/dist")

    session_lifetime_hours: int = 12
    password_token_lifetime_hours: int = Field(
        default=72, description="How long an invitation or password-reset link stays valid"
    )
    cookie_secure: bool = False
    # The address people reach the platform at: links in e-mails, ProConnect's return address.
    public_url: str = Field(default="http://localhost:8000", description="Public address of the web app")
    credentials_cache_seconds: float = 10.0

    metrics_port: int | None = Field(
        default=None, description="Port of the separate listener serving the gateway's /metrics (none: off)"
    )
    metrics_host: str = Field(default="127.0.0.1", description="Address of that listener (0.0.0.0 in a pod)")

    redis_url: str | None = None
    rate_limit_anonymous_per_minute: int = 600
    rate_limit_authenticated_per_minute: int = 3000
    rate_limit_login_per_minute: int = Field(
        default=10, description="Password attempts (login, link, change) per minute from one address"
    )
    rate_limit_login_account_per_minute: int = Field(
        default=10, description="Password attempts per minute on one account, from any address"
    )
    rate_limit_login_global_per_minute: int = Field(
        default=600, description="Password attempts per minute on the whole gateway (hashing is bounded too)"
    )
    rate_limit_failed_api_keys_per_minute: int = Field(
        default=20,
        description="Unknown API keys per minute from one address before it is refused for a while",
    )
    trusted_proxy_hops: int = Field(
        default=0, description="How many reverse proxies in front of the gateway may set X-Forwarded-For"
    )

    # Who publishes this instance, shown on the legal pages (GET /api/site). The defaults are the Département
    # de la Savoie's public details; another département or EPCI deploying the platform sets its own.
    site_publisher: str = "Département de la Savoie"
    site_publisher_address: str = (
        "Hôtel du Département, Château des ducs de Savoie, CS 31802, 73018 Chambéry Cedex"
    )
    site_publication_director: str = "Le président du Conseil départemental de la Savoie"
    site_contact_email: str = "inclusion-numerique@savoie.fr"
    site_data_protection_contact: str = "dpo@savoie.fr"
    site_host: str = "Hébergement du Département de la Savoie, en France"
    site_accessibility_audit_date: date | None = Field(
        default=None,
        description="Date of the last RGAA audit; none means the site declares itself non-compliant",
    )
    # The territory the web app serves: its communes come first when a resident types a name.
    site_departement: str = Field(default="73", pattern=r"^(\d{2,3}|2[AB])$")
    # The base map under the web app's maps: the State's Plan IGN (Géoplateforme WMTS, no key needed).
    # Leaflet fills {z}/{x}/{y}; empty means no base map (commune outlines only). The host must be allowed in
    # the CSP's img-src. When tiles cannot be reached, the maps fall back to the outlines by themselves.
    site_map_tiles_url: str = (
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    )
    site_map_attribution: str = "Fond de carte : Plan IGN, © IGN – Géoplateforme"

    @field_validator("identity_private_key")
    @classmethod
    def _load_key(cls, value: str) -> str:
        return read_key(value)

    def upstream_url(self, service: str) -> str:
        return getattr(self, f"{service}_url")

    def upstream_timeout(self, service: str) -> float:
        return getattr(self, f"{service}_timeout")
