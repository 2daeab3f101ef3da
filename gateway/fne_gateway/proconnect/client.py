"""The OpenID Connect client side of ProConnect: discovery, authorization URL with PKCE, code exchange and
ID token / userinfo verification (signature from the provider's JWKS, issuer, audience, expiry, nonce).

Authlib gives the protocol's parts (tokens, PKCE, the authorization URL and the token request's form); the
HTTP calls are this module's own, with httpx. Not Authlib's `integrations.httpx_client`: in the locked Authlib
(1.9) importing it warns `AuthlibDeprecationWarning` (it wants the `httpx2` package, httpx being deprecated
there), which every `./fne up` printed; it served only to build the URL and make the one POST below."""

import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from fne_gateway.proconnect.config import ProConnectSettings
from fne_gateway.proconnect.exceptions import SignInRefused

METADATA_SECONDS = 3600
ALLOWED_ALGORITHMS = {"RS256", "ES256", "PS256", "RS384", "ES384", "RS512", "ES512"}


@dataclass(frozen=True)
class Authorization:
    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str
    given_name: str
    usual_name: str
    siret: str | None


class ProConnectClient:
    def __init__(self, settings: ProConnectSettings) -> None:
        self.settings = settings
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.settings.proconnect_timeout)

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_at > METADATA_SECONDS:
            url = self.settings.proconnect_issuer.rstrip("/") + "/.well-known/openid-configuration"
            try:
                async with self._http() as http:
                    response = await http.get(url)
                    response.raise_for_status()
                    self._metadata = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise SignInRefused("indisponible", f"discovery: {type(exc).__name__}") from exc
            self._metadata_at = time.monotonic()
            self._keys = None
        return self._metadata

    async def _key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            metadata = await self.metadata()
            try:
                async with self._http() as http:
                    response = await http.get(metadata["jwks_uri"])
                    response.raise_for_status()
                    self._keys = KeySet.import_key_set(response.json())
            except (httpx.HTTPError, ValueError, KeyError, JoseError) as exc:
                raise SignInRefused("indisponible", f"jwks: {type(exc).__name__}") from exc
        return self._keys

    async def authorization(self, redirect_uri: str) -> Authorization:
        metadata = await self.metadata()
        state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
        params = {
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        if self.settings.proconnect_acr_values:
            params["acr_values"] = self.settings.proconnect_acr_values
        url = prepare_grant_uri(
            metadata["authorization_endpoint"],
            client_id=self.settings.proconnect_client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=self.settings.proconnect_scopes,
            state=state,
            **params,
        )
        return Authorization(url=url, state=state, nonce=nonce, code_verifier=verifier)

    async def _token(
        self, endpoint: str, *, code: str, redirect_uri: str, code_verifier: str
    ) -> dict[str, Any]:
        """The code exchanged for tokens (RFC 6749 § 4.1.3, client_secret_post, the PKCE verifier)."""
        body = prepare_token_request(
            "authorization_code",
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=code_verifier,
            client_id=self.settings.proconnect_client_id,
            client_secret=self.settings.proconnect_client_secret.get_secret_value(),
        )
        async with self._http() as http:
            response = await http.post(
                endpoint,
                content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            )
        token = response.json()
        if not isinstance(token, dict) or "error" in token or response.status_code != 200:
            error = token.get("error") if isinstance(token, dict) else None
            raise SignInRefused("erreur", f"token: {error or response.status_code}")
        return token

    async def _verified(self, token: str, *, nonce: str | None) -> dict[str, Any]:
        """A signed JWT from the provider: signature, issuer, audience, expiry (the ID token: nonce)."""
        metadata = await self.metadata()
        algorithms = ALLOWED_ALGORITHMS & set(
            metadata.get("id_token_signing_alg_values_supported", ["RS256"])
        )
        for refresh in (False, True):  # the provider may have rotated its keys: read them again once
            try:
                decoded = jwt.decode(token, await self._key_set(refresh), algorithms=sorted(algorithms))
                break
            except JoseError as exc:
                if refresh:
                    raise SignInRefused("erreur", f"signature: {type(exc).__name__}") from exc
        claims = decoded.claims
        options: dict[str, Any] = {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": self.settings.proconnect_client_id},
            "exp": {"essential": True},
            "sub": {"essential": True},
        }
        if nonce is not None:
            options["nonce"] = {"essential": True, "value": nonce}
        try:
            jwt.JWTClaimsRegistry(leeway=60, **options).validate(claims)
        except JoseError as exc:
            raise SignInRefused(
                "erreur", f"claims: {type(exc).__name__} {getattr(exc, 'claim', '')}"
            ) from exc
        return claims

    async def identity(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> Identity:
        metadata = await self.metadata()
        try:
            token = await self._token(
                metadata["token_endpoint"], code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
            )
        except SignInRefused:
            raise
        except Exception as exc:
            raise SignInRefused("erreur", f"token: {type(exc).__name__}") from exc
        if "id_token" not in token:
            raise SignInRefused("erreur", "token: no id_token")
        id_claims = await self._verified(token["id_token"], nonce=nonce)
        claims = dict(id_claims)
        if metadata.get("userinfo_endpoint"):
            claims |= await self._userinfo(metadata["userinfo_endpoint"], token["access_token"])
            if claims.get("sub") != id_claims["sub"]:
                raise SignInRefused("erreur", "userinfo: another subject")
        email = str(claims.get("email") or "").strip().lower()
        if "@" not in email:
            raise SignInRefused("courriel", "no e-mail")
        return Identity(
            subject=str(id_claims["sub"]),
            email=email,
            given_name=str(claims.get("given_name") or ""),
            usual_name=str(claims.get("usual_name") or claims.get("family_name") or ""),
            siret=str(claims["siret"]) if claims.get("siret") else None,
        )

    async def _userinfo(self, url: str, access_token: str) -> dict[str, Any]:
        """ProConnect answers with a signed JWT (application/jwt); other providers with JSON."""
        try:
            async with self._http() as http:
                response = await http.get(url, headers={"Authorization": f"Bearer {access_token}"})
                response.raise_for_status()
        except httpx.HTTPError as exc:
            raise SignInRefused("erreur", f"userinfo: {type(exc).__name__}") from exc
        if response.headers.get("content-type", "").startswith("application/jwt"):
            return await self._verified(response.text.strip(), nonce=None)
        try:
            return dict(response.json())
        except ValueError as exc:
            raise SignInRefused("erreur", "userinfo: not JSON") from exc
