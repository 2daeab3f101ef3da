class SignInRefused(Exception):
    """A ProConnect return that cannot sign anyone in; `reason` is the SPA's message key, never shown raw."""

    def __init__(self, reason: str, log_detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.log_detail = log_detail
