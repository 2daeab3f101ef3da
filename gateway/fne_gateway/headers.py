"""Security headers on every response of the gateway, proxied or its own.

Scripts only from this origin (no inline script: the built app has none; the API docs page declares its one
inline script by hash). Inline styles are allowed: the State design system and the map set style attributes.
No page may be framed elsewhere, except the widget (`/widget`), made to be embedded by partner sites.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
EMBEDDABLE_PATHS = ("/widget",)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), microphone=(), payment=(), usb=(), interest-cohort=(), "
    "geolocation=(self)"  # "around me" in the directory
)
HSTS = b"max-age=31536000; includeSubDomains"


def embeddable(path: str) -> bool:
    return any(
        path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?")
        for prefix in EMBEDDABLE_PATHS
    )


def policy_for(path: str, base: str = CONTENT_SECURITY_POLICY) -> str:
    # Embeddable: no frame-ancestors at all (`*` would still refuse a page of the partner's own making, such
    # as one written from about:blank, whose origin has no network scheme).
    return base if embeddable(path) else f"{base}; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, hsts: bool = False, policy: str = CONTENT_SECURITY_POLICY) -> None:
        self.app = app
        self.hsts = hsts
        self.framed_policy = policy_for("/", policy).encode()
        self.embeddable_policy = policy_for(EMBEDDABLE_PATHS[0], policy).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        may_be_framed = embeddable(scope["path"])
        added = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", PERMISSIONS_POLICY.encode()),
            *([] if may_be_framed else [(b"x-frame-options", b"DENY")]),
            *([(b"strict-transport-security", HSTS)] if self.hsts else []),
        ]
        policy = self.embeddable_policy if may_be_framed else self.framed_policy

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                if b"content-security-policy" not in present:  # a page may declare its own (the API docs)
                    headers.append((b"content-security-policy", policy))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
