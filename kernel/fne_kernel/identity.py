"""Who is calling: the gateway authenticates, then vouches for the caller with a short-lived signed token.

The gateway signs with its Ed25519 private key; services hold only the public key, so no service can mint an
identity and a bare identity header forged by a client is worthless.
"""

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

IDENTITY_HEADER = "x-fne-identity"
ISSUER = "fne-gateway"
AUDIENCE = "fne-services"
ALGORITHM = "EdDSA"
TOKEN_LIFETIME_SECONDS = 60


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MEDIATOR = "mediator"


class Scope(StrEnum):
    DIRECTORY_WRITE = "directory:write"
    SYNC_RUN = "sync:run"
    OBSERVATORY_WRITE = "observatory:write"
    SURVEYS_WRITE = "surveys:write"
    SURVEYS_READ = "surveys:read"
    SURVEYS_EXPORT = "surveys:export"  # raw responses, row by row: each export is journaled
    NETWORK_WRITE = "network:write"  # the network's people, trainings and events
    USERS_MANAGE = "users:manage"
    KEYS_MANAGE = "keys:manage"


# Scopes an API key may carry: what external platforms do. Managing users and keys stays with people.
API_KEY_SCOPES = frozenset(
    {
        Scope.DIRECTORY_WRITE,
        Scope.SYNC_RUN,
        Scope.OBSERVATORY_WRITE,
        Scope.SURVEYS_WRITE,
        Scope.SURVEYS_READ,
        Scope.SURVEYS_EXPORT,
        Scope.NETWORK_WRITE,
    }
)

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset(Scope),
    Role.COORDINATOR: frozenset(
        {
            Scope.DIRECTORY_WRITE,
            Scope.SYNC_RUN,
            Scope.OBSERVATORY_WRITE,
            Scope.SURVEYS_WRITE,
            Scope.SURVEYS_READ,
            Scope.SURVEYS_EXPORT,
            Scope.NETWORK_WRITE,
        }
    ),
    Role.MEDIATOR: frozenset({Scope.SURVEYS_WRITE, Scope.SURVEYS_READ}),
}


@dataclass(frozen=True)
class Principal:
    """The caller as services see it. `kind` is "user", "api_key" or "anonymous"."""

    kind: str
    subject: str = ""
    name: str = ""
    role: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    def has_scopes(self, *required: str) -> bool:
        return all(scope in self.scopes for scope in required)

    def claims(self) -> dict[str, Any]:
        return {
            "sub": self.subject,
            "kind": self.kind,
            "name": self.name,
            "role": self.role,
            "scopes": sorted(self.scopes),
        }


ANONYMOUS = Principal(kind="anonymous")


class InvalidIdentity(Exception):
    pass


def generate_private_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )


def public_key_pem(private_key_pem: str) -> str:
    private_key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class IdentitySigner:
    """Gateway side. Tokens are reused for half their lifetime: signing on every request would cost
    throughput."""

    def __init__(self, private_key_pem: str, lifetime: int = TOKEN_LIFETIME_SECONDS) -> None:
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the identity private key must be an Ed25519 key")
        self._key = key
        self._lifetime = lifetime
        self._cache: dict[Principal, tuple[float, str]] = {}

    def token_for(self, principal: Principal) -> str:
        now = time.time()
        cached = self._cache.get(principal)
        if cached and cached[0] - now > self._lifetime / 2:
            return cached[1]
        expires = now + self._lifetime
        token = jwt.encode(
            {**principal.claims(), "iss": ISSUER, "aud": AUDIENCE, "iat": int(now), "exp": int(expires)},
            self._key,
            algorithm=ALGORITHM,
        )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[principal] = (expires, token)
        return token

    def forget(self, principal: Principal) -> None:
        self._cache.pop(principal, None)


class IdentityVerifier:
    """Service side. Verified tokens are remembered until they expire (an LRU bounded in size)."""

    def __init__(self, public_key_pem: str, cache_size: int = 4096) -> None:
        if not public_key_pem:
            raise ValueError("identity public key is not configured")
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the identity public key must be an Ed25519 key")
        self._key = key
        self._cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._cache_size = cache_size

    def verify(self, token: str) -> Principal:
        now = time.time()
        cached = self._cache.get(token)
        if cached is not None:
            if cached[0] > now:
                self._cache.move_to_end(token)
                return cached[1]
            del self._cache[token]
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "kind"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidIdentity("identity token expired") from exc
        except jwt.InvalidTokenError as exc:
            raise InvalidIdentity("identity token invalid") from exc
        principal = Principal(
            kind=claims["kind"],
            subject=claims["sub"],
            name=claims.get("name") or "",
            role=claims.get("role"),
            scopes=frozenset(claims.get("scopes") or ()),
        )
        self._cache[token] = (float(claims["exp"]), principal)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal
