"""Accounts, sessions and API keys. Functions take the request's session and only flush()."""

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth.exceptions import (
    AccountDeactivated,
    ApiKeyNotFound,
    EmailAlreadyUsed,
    InvalidCredentials,
    InvalidPasswordToken,
    LastActiveAdmin,
    UserNotFound,
)
from fne_gateway.auth.models import ApiKey, User, UserSession
from fne_gateway.auth.passwords import off_the_loop
from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Role
from fne_kernel.pagination import PageRequest

API_KEY_PREFIX = "fne_"
# argon2id, 64 MiB, 3 passes, one lane: one core per hash (the default's 4 lanes take 4 threads, i.e. every
# core of a small server); hashes made with other parameters still verify, and are redone at the next login.
password_hasher = PasswordHasher(parallelism=1)
# Verified against when the e-mail is unknown, so a login takes as long whether or not the account exists.
_DUMMY_HASH = password_hasher.hash(secrets.token_urlsafe(16))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    display_name: str,
    role: Role,
    password: str | None = None,
    created_by: str | None = None,
) -> User:
    """Without a password the account can sign in only once its holder has set one with a one-time link."""
    now = utcnow()
    hashed = await off_the_loop(password_hasher.hash, password) if password else None
    user = User(
        email=email.lower(),
        display_name=display_name,
        role=role.value,
        active=True,
        created_at=now,
        created_by=created_by,
        password_hash=hashed,
        password_changed_at=now if password else None,
    )
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise EmailAlreadyUsed(f"Un compte existe déjà pour {email}") from exc
    return user


async def list_users(
    session: AsyncSession, paging: PageRequest, *, role: Role | None = None, active: bool | None = None
) -> tuple[list[User], int]:
    query = select(User)
    if role is not None:
        query = query.where(User.role == role.value)
    if active is not None:
        query = query.where(User.active.is_(active))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    users = await session.scalars(
        query.order_by(User.created_at, User.id).offset(paging.offset).limit(paging.size)
    )
    return list(users), total or 0


async def get_user(session: AsyncSession, user_id: str) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


async def _keep_an_active_admin(session: AsyncSession, user: User) -> None:
    """Refuses a change that would leave no active admin. The admins' rows are locked (PostgreSQL), so two
    admins demoting each other at the same moment cannot both succeed."""
    if user.role != Role.ADMIN or not user.active:
        return
    admins = await session.scalars(
        select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True)).with_for_update()
    )
    if not [admin for admin in admins if admin != user.id]:
        raise LastActiveAdmin()


def _touch(user: User, by: str) -> None:
    user.updated_at = utcnow()
    user.updated_by = by


async def update_user(
    session: AsyncSession, user: User, *, by: str, display_name: str | None = None, role: Role | None = None
) -> User:
    if role is not None and role.value != user.role:
        await _keep_an_active_admin(session, user)
        user.role = role.value
    if display_name is not None:
        user.display_name = display_name
    _touch(user, by)
    await session.flush()
    return user


async def set_active(session: AsyncSession, user: User, active: bool, *, by: str) -> list[str]:
    """Deactivation ends the account's sessions at once; returns their hashes, for the credentials cache."""
    if active == user.active:
        return []
    revoked: list[str] = []
    if not active:
        await _keep_an_active_admin(session, user)
        revoked = await revoke_sessions(session, user.id)
    user.active = active
    if active:
        user.pending = False  # reactivating an account awaiting a role grants it the role it holds
    _touch(user, by)
    await session.flush()
    return revoked


async def session_hashes(session: AsyncSession, user_id: str) -> list[str]:
    return list(await session.scalars(select(UserSession.token_hash).where(UserSession.user_id == user_id)))


async def revoke_sessions(session: AsyncSession, user_id: str, *, keep: str | None = None) -> list[str]:
    hashes = [token_hash for token_hash in await session_hashes(session, user_id) if token_hash != keep]
    if hashes:
        await session.execute(delete(UserSession).where(UserSession.token_hash.in_(hashes)))
    return hashes


async def issue_password_token(
    session: AsyncSession, user: User, lifetime: timedelta, *, by: str | None
) -> str:
    """A one-time link to set the account's password (invitation or reset), shown once; only its hash is kept.
    The current password, if any, keeps working until the link is used."""
    if not user.active:
        raise AccountDeactivated("Réactivez le compte avant de lui envoyer un lien.")
    token = secrets.token_urlsafe(32)
    user.password_token_hash = sha256(token)
    user.password_token_expires_at = utcnow() + lifetime
    if by is not None:
        _touch(user, by)
    await session.flush()
    return token


async def _set_password(user: User, password: str) -> None:
    user.password_hash = await off_the_loop(password_hasher.hash, password)
    user.password_changed_at = utcnow()
    user.password_token_hash = user.password_token_expires_at = None


async def redeem_password_token(session: AsyncSession, token: str, password: str) -> list[str]:
    """Sets the password and ends every session of the account (a reset may follow a leak)."""
    user = await session.scalar(select(User).where(User.password_token_hash == sha256(token)))
    if user is None or user.password_token_expires_at is None or user.password_token_expires_at <= utcnow():
        raise InvalidPasswordToken()
    if not user.active:
        raise AccountDeactivated()
    await _set_password(user, password)
    revoked = await revoke_sessions(session, user.id)
    await session.flush()
    return revoked


async def change_password(
    session: AsyncSession, user: User, *, current: str, new: str, keep_session: str
) -> list[str]:
    """The caller's own change: the current password proves it is them; their other sessions end."""
    try:
        await off_the_loop(password_hasher.verify, user.password_hash or _DUMMY_HASH, current)
    except VerificationError as exc:
        raise InvalidInput([field_error("current_password", "Mot de passe actuel incorrect")]) from exc
    if current == new:
        raise InvalidInput([field_error("new_password", "Le nouveau mot de passe doit différer de l'actuel")])
    await _set_password(user, new)
    _touch(user, user.id)
    revoked = await revoke_sessions(session, user.id, keep=keep_session)
    await session.flush()
    return revoked


async def check_password(session: AsyncSession, email: str, password: str) -> User:
    user = await session.scalar(select(User).where(User.email == email.lower()))
    hashed = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        await off_the_loop(password_hasher.verify, hashed, password)
    except VerificationError as exc:
        raise InvalidCredentials() from exc
    if user is None or user.password_hash is None:
        raise InvalidCredentials()
    # Said only to whoever knows the password: the account's state is not disclosed to a guesser.
    if not user.active:
        raise AccountDeactivated()
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = await off_the_loop(password_hasher.hash, password)
    user.last_login_at = utcnow()
    await session.flush()
    return user


async def open_session(session: AsyncSession, user: User, lifetime: timedelta) -> tuple[str, UserSession]:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    user_session = UserSession(
        token_hash=sha256(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(user_session)
    await session.flush()
    return token, user_session


async def close_session(session: AsyncSession, token: str) -> str:
    token_hash = sha256(token)
    await session.execute(delete(UserSession).where(UserSession.token_hash == token_hash))
    return token_hash


async def create_api_key(
    session: AsyncSession,
    *,
    name: str,
    scopes: list[str],
    created_by: str | None,
    expires_at: datetime | None,
) -> tuple[ApiKey, str]:
    prefix = secrets.token_hex(4)
    secret = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        name=name,
        prefix=prefix,
        key_hash=sha256(secret),
        scopes=sorted(set(scopes)),
        created_by=created_by,
        created_at=utcnow(),
        expires_at=expires_at,
    )
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
