from pydantic import BaseModel, Field, SecretStr


class MailSettings(BaseModel):
    """The SMTP server, as each component's settings (`<PREFIX>_SMTP_HOST`…). No host: nothing is sent."""

    smtp_host: str = Field(default="", description="SMTP server; empty: no e-mail is sent")
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the connection with STARTTLS (required then)"
    )
    smtp_tls: bool = Field(default=False, description="Implicit TLS from the start (port 465)")
    smtp_timeout: float = 20.0
    smtp_validate_certs: bool = True
    mail_from: str = "FNE Savoie <ne-pas-repondre@savoie.fr>"
    mail_reply_to: str = ""
    mail_max_attempts: int = Field(default=8, description="Attempts before a message is marked failed")
    mail_poll_seconds: float = 30.0

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host)
