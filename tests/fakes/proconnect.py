"""A local OpenID Connect provider speaking ProConnect's protocol: discovery, JWKS, authorization code with
PKCE (S256), client_secret_post, RS256-signed ID tokens carrying the nonce, userinfo as a signed JWT.

Used by the gateway's tests (in the test loop) and by the e2e journey
(`python -m tests.fakes.proconnect PORT`), where its sign-in page is an HTML form a browser fills in.
"""

import base64
import hashlib
import secrets
import sys
import time
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support import bound_port

CLIENT_ID = "fne-savoie-test"
CLIENT_SECRET = "client-secret-de-test-0123456789"


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeProConnect:
    base_url: str = ""
    key: rsa.RSAPrivateKey = field(default_factory=_rsa_key)
    kid: str = "cle-1"
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Faults a test may switch on: sign with a key not in the JWKS, send another nonce or audience.
    foreign_signature: bool = False
    wrong_nonce: bool = False
    wrong_audience: bool = False
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/.well-known/openid-configuration", self.discovery)
        app.router.add_get("/jwks", self.jwks)
        app.router.add_get("/authorize", self.authorize_page)
        app.router.add_post("/authorize", self.authorize)
        app.router.add_post("/token", self.token)
        app.router.add_get("/userinfo", self.userinfo)
        return app

    async def discovery(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": self.base_url,
                "authorization_endpoint": f"{self.base_url}/authorize",
                "token_endpoint": f"{self.base_url}/token",
                "userinfo_endpoint": f"{self.base_url}/userinfo",
                "jwks_uri": f"{self.base_url}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "userinfo_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "subject_types_supported": ["public"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "scopes_supported": ["openid", "email", "given_name", "usual_name", "siret"],
            }
        )

    async def jwks(self, _request: web.Request) -> web.Response:
        numbers = self.key.public_key().public_numbers()

        def b64(number: int) -> str:
            raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        return web.json_response(
            {
                "keys": [
                    {
                        "kty": "RSA",
                        "kid": self.kid,
                        "use": "sig",
                        "alg": "RS256",
                        "n": b64(numbers.n),
                        "e": b64(numbers.e),
                    }
                ]
            }
        )

    def _check_authorize(self, params: Any) -> str | None:
        expected = {"response_type": "code", "client_id": CLIENT_ID, "code_challenge_method": "S256"}
        for name, value in expected.items():
            if params.get(name) != value:
                return f"{name} invalide"
        for name in ("redirect_uri", "state", "nonce", "code_challenge", "scope"):
            if not params.get(name):
                return f"{name} manquant"
        if "openid" not in params["scope"].split():
            return "scope sans openid"
        return None

    async def authorize_page(self, request: web.Request) -> web.Response:
        problem = self._check_authorize(request.query)
        if problem:
            return web.Response(status=400, text=problem)
        hidden = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in request.query.items()
        )
        return web.Response(
            content_type="text/html",
            text=(
                '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
                "<title>ProConnect (test)</title></head>"
                f'<body><main><h1>ProConnect de test</h1><form method="post" action="/authorize">{hidden}'
                '<label for="email">Adresse électronique</label><input id="email" name="email" type="email">'
                '<label for="given_name">Prénom</label>'
                '<input id="given_name" name="given_name" value="Camille">'
                '<label for="usual_name">Nom</label><input id="usual_name" name="usual_name" value="Agent">'
                '<button type="submit">Continuer</button></form></main></body></html>'
            ),
        )

    async def authorize(self, request: web.Request) -> web.Response:
        form = await request.post()
        problem = self._check_authorize(form)
        if problem:
            return web.Response(status=400, text=problem)
        code = secrets.token_urlsafe(24)
        email = str(form.get("email") or "")
        self.codes[code] = {
            "client_id": form["client_id"],
            "redirect_uri": form["redirect_uri"],
            "nonce": form["nonce"],
            "challenge": form["code_challenge"],
            "sub": "sub-" + hashlib.sha256(email.encode()).hexdigest()[:16],
            "email": email,
            "given_name": str(form.get("given_name") or ""),
            "usual_name": str(form.get("usual_name") or ""),
            "siret": "22730001400015",
        }
        location = f"{form['redirect_uri']!s}?{urlencode({'code': code, 'state': form['state']})}"
        raise web.HTTPFound(location)

    def _sign(self, claims: dict[str, Any]) -> str:
        key = _rsa_key() if self.foreign_signature else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests.append({name: str(value) for name, value in form.items()})  # text fields only
        grant = self.codes.pop(str(form.get("code")), None)  # a code serves once
        if grant is None or form.get("grant_type") != "authorization_code":
            return web.json_response({"error": "invalid_grant"}, status=400)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return web.json_response({"error": "invalid_grant"}, status=400)
        verifier = str(form.get("code_verifier") or "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return web.json_response({"error": "invalid_grant", "error_description": "PKCE"}, status=400)
        now = int(time.time())
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant
        id_token = self._sign(
            {
                "iss": self.base_url,
                "aud": "autre-client" if self.wrong_audience else CLIENT_ID,
                "sub": grant["sub"],
                "iat": now,
                "exp": now + 60,
                "nonce": "autre" if self.wrong_nonce else grant["nonce"],
                "acr": "eidas1",
                "amr": ["pwd"],
            }
        )
        return web.json_response(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": id_token,
                "scope": "openid email",
            }
        )

    async def userinfo(self, request: web.Request) -> web.Response:
        grant = self.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if grant is None:
            return web.Response(status=401)
        now = int(time.time())
        claims = {
            "iss": self.base_url,
            "aud": CLIENT_ID,
            "sub": grant["sub"],
            "iat": now,
            "exp": now + 60,
            "email": grant["email"],
            "given_name": grant["given_name"],
            "usual_name": grant["usual_name"],
            "siret": grant["siret"],
        }
        return web.Response(text=self._sign(claims), content_type="application/jwt")


async def start(port: int = 0) -> tuple[FakeProConnect, web.AppRunner]:
    fake = FakeProConnect()
    runner = web.AppRunner(fake.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = bound_port(site)
    fake.base_url = f"http://127.0.0.1:{bound}"
    return fake, runner


if __name__ == "__main__":
    fake = FakeProConnect(base_url=f"http://127.0.0.1:{int(sys.argv[1])}")
    web.run_app(fake.app(), host="127.0.0.1", port=int(sys.argv[1]), print=None)
