"""Accounts, sessions and API keys. Functions take the request's session and only flush()."""

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth.exceptions import ApiKeyNotFound, EmailAlreadyUsed, InvalidCredentials
from fne_gateway.auth.models import ApiKey, User, UserSession
from fne_kernel.db import utcnow
from fne_kernel.identity import Role

API_KEY_PREFIX = "fne_"
password_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the e-mail is unknown, so a login takes as long whether or not the account exists.
_DUMMY_HASH = password_hasher.hash(secrets.token_urlsafe(16))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def create_user(session: AsyncSession, *, email: str, display_name: str, password: str, role: Role) -> User:
    user = User(email=email.lower(), display_name=display_name, password_hash=password_hasher.hash(password),
                role=role.value, active=True, created_at=utcnow())
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise EmailAlreadyUsed(f"Un compte existe déjà pour {email}") from exc
    return user


async def list_users(session: AsyncSession) -> list[User]:
    return list(await session.scalars(select(User).order_by(User.created_at, User.id)))


async def check_password(session: AsyncSession, email: str, password: str) -> User:
    user = await session.scalar(select(User).where(User.email == email.lower()))
    try:
        password_hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except VerificationError as exc:
        raise InvalidCredentials() from exc
    if user is None or not user.active:
        raise InvalidCredentials()
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(password)
    user.last_login_at = utcnow()
    await session.flush()
    return user


async def open_session(session: AsyncSession, user: User, lifetime: timedelta) -> tuple[str, UserSession]:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    user_session = UserSession(token_hash=sha256(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                               created_at=now, expires_at=now + lifetime)
    session.add(user_session)
    await session.flush()
    return token, user_session


async def close_session(session: AsyncSession, token: str) -> str:
    token_hash = sha256(token)
    await session.execute(delete(UserSession).where(UserSession.token_hash == token_hash))
    return token_hash


async def create_api_key(
    session: AsyncSession, *, name: str, scopes: list[str], created_by: str | None, expires_at: datetime | None
) -> tuple[ApiKey, str]:
    prefix = secrets.token_hex(4)
    secret = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey(name=name, prefix=prefix, key_hash=sha256(secret), scopes=sorted(set(scopes)),
                     created_by=created_by, created_at=utcnow(), expires_at=expires_at)
    session.add(api_key)
    await session.flush()
    return api_key, secret


async def list_api_keys(session: AsyncSession) -> list[ApiKey]:
    return list(await session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


async def revoke_api_key(session: AsyncSession, key_id: str) -> ApiKey:
    api_key = await session.get(ApiKey, key_id)
    if api_key is None:
        raise ApiKeyNotFound()
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        await session.flush()
    return api_key
