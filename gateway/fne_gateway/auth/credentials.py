"""Resolves the credentials of a request to a Principal, on the hot path of every proxied call.

Lookups are cached for a few seconds. A revocation or logout through this gateway evicts its entry at once;
other gateway replicas see it when their entry expires (`GATEWAY_CREDENTIALS_CACHE_SECONDS`).
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_gateway.auth.models import ApiKey, User, UserSession
from fne_gateway.auth.service import API_KEY_PREFIX, sha256
from fne_kernel.db import utcnow
from fne_kernel.identity import ROLE_SCOPES, Principal, Role

LAST_USED_RESOLUTION = timedelta(minutes=1)
T = TypeVar("T")


@dataclass(frozen=True)
class SessionCredentials:
    principal: Principal
    csrf_token: str


def user_principal(user: User) -> Principal:
    return Principal(
        kind="user",
        subject=user.id,
        name=user.display_name,
        role=user.role,
        scopes=frozenset(ROLE_SCOPES[Role(user.role)]),
    )


class CredentialResolver:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], cache_seconds: float) -> None:
        self.sessions = sessions
        self.cache_seconds = cache_seconds
        self._api_keys: dict[str, tuple[float, Principal | None]] = {}
        self._user_sessions: dict[str, tuple[float, SessionCredentials | None]] = {}
        self._last_used_written: dict[str, float] = {}

    async def api_key(self, secret: str) -> Principal | None:
        if not secret.startswith(API_KEY_PREFIX):
            return None
        principal = await self._cached(self._api_keys, sha256(secret), self._load_api_key)
        if principal is not None:
            await self._touch(principal.subject, time.monotonic())
        return principal

    async def _load_api_key(self, key_hash: str) -> Principal | None:
        async with self.sessions() as session:
            api_key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))
        if api_key is None or api_key.revoked_at is not None:
            return None
        if api_key.expires_at is not None and api_key.expires_at <= utcnow():
            return None
        return Principal(
            kind="api_key", subject=api_key.id, name=api_key.name, scopes=frozenset(api_key.scopes)
        )

    async def _touch(self, key_id: str, now: float) -> None:
        """Records the key's last use at most once a minute per key: one small write, not one per request."""
        if now - self._last_used_written.get(key_id, -1e9) < LAST_USED_RESOLUTION.total_seconds():
            return
        self._last_used_written[key_id] = now
        async with self.sessions() as session, session.begin():
            await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow()))

    async def user_session(self, token: str) -> SessionCredentials | None:
        return await self._cached(self._user_sessions, sha256(token), self._load_session)

    async def _load_session(self, token_hash: str) -> SessionCredentials | None:
        async with self.sessions() as session:
            row = (
                await session.execute(
                    select(UserSession, User)
                    .join(User, User.id == UserSession.user_id)
                    .where(UserSession.token_hash == token_hash)
                )
            ).first()
        if row is None:
            return None
        user_session, user = row
        if not user.active or user_session.expires_at <= utcnow():
            return None
        return SessionCredentials(principal=user_principal(user), csrf_token=user_session.csrf_token)

    def forget_api_key(self, key_hash: str) -> None:
        self._api_keys.pop(key_hash, None)

    def forget_session(self, token_hash: str) -> None:
        self._user_sessions.pop(token_hash, None)

    def forget_sessions(self, token_hashes: list[str]) -> None:
        for token_hash in token_hashes:
            self.forget_session(token_hash)

    async def _cached(
        self, cache: dict[str, tuple[float, T | None]], key: str, load: Callable[[str], Awaitable[T | None]]
    ) -> T | None:
        now = time.monotonic()
        cached = cache.get(key)
        if cached is None or cached[0] < now:
            if len(cache) >= 50_000:  # bounded: a flood of random keys must not grow memory without end
                cache.clear()
            cached = cache[key] = (now + self.cache_seconds, await load(key))
        return cached[1]
