"""The freshness loop's settings, part of the directory's (environment prefix DIRECTORY_)."""

from pydantic import BaseModel, Field


class FreshnessSettings(BaseModel):
    # The address people reach the platform at: the links in e-mails point there.
    public_url: str = Field(default="http://localhost:8000", description="Public address of the web app")
    freshness_after_days: int = Field(default=183, description="A place older than this is asked (6 months)")
    freshness_link_days: int = Field(default=30, description="How long a link in the message stays valid")
    freshness_ask_again_days: int = Field(
        default=90, description="Days before an unanswered place is asked again"
    )
    freshness_batch: int = 200
    freshness_scheduler: bool = Field(
        default=True, description="Send the messages from the service itself, daily"
    )
    # Public "signaler une erreur": at most this many reports per place and in all, per hour.
    reports_per_place_per_hour: int = 5
    reports_per_hour: int = 200
