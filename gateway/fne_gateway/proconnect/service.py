"""Signing in with ProConnect: the flow's one-time record, and the account an identity maps to."""

import hmac
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth.models import User
from fne_gateway.auth.service import sha256
from fne_gateway.proconnect.client import Authorization, Identity
from fne_gateway.proconnect.exceptions import SignInRefused
from fne_gateway.proconnect.models import ProConnectIdentity, SignInFlow
from fne_kernel.db import utcnow
from fne_kernel.identity import Role

FLOW_LIFETIME = timedelta(minutes=10)


async def start_flow(session: AsyncSession, authorization: Authorization) -> None:
    now = utcnow()
    await session.execute(delete(SignInFlow).where(SignInFlow.expires_at < now))  # abandoned sign-ins
    session.add(
        SignInFlow(
            state_hash=sha256(authorization.state),
            nonce=authorization.nonce,
            code_verifier=authorization.code_verifier,
            expires_at=now + FLOW_LIFETIME,
        )
    )
    await session.flush()


async def take_flow(session: AsyncSession, state: str, cookie_state: str | None) -> SignInFlow:
    """The flow this return belongs to, consumed: a replayed or forged return (state not from this browser,
    unknown, used or expired) is refused."""
    if not cookie_state or not hmac.compare_digest(state.encode(), cookie_state.encode()):
        raise SignInRefused("erreur", "state does not match this browser's")
    flow = await session.get(SignInFlow, sha256(state))
    if flow is None:
        raise SignInRefused("erreur", "unknown or used state")
    await session.delete(flow)
    await session.flush()
    if flow.expires_at <= utcnow():
        raise SignInRefused("expire", "flow expired")
    return flow


async def account_for(session: AsyncSession, identity: Identity) -> User:
    """The account with this e-mail, or a new one awaiting an administrator (inactive, no password)."""
    now = utcnow()
    user = await session.scalar(select(User).where(User.email == identity.email))
    if user is None:
        name = " ".join(filter(None, (identity.given_name, identity.usual_name))) or identity.email
        user = User(
            email=identity.email,
            display_name=name[:120],
            role=Role.MEDIATOR.value,
            active=False,
            pending=True,
            created_at=now,
            password_hash=None,
        )
        session.add(user)
        await session.flush()
    known = await session.get(ProConnectIdentity, identity.subject)
    if known is None:
        session.add(
            ProConnectIdentity(
                subject=identity.subject,
                user_id=user.id,
                first_seen_at=now,
                last_seen_at=now,
                organisation_siret=identity.siret,
            )
        )
    else:
        known.user_id, known.last_seen_at, known.organisation_siret = user.id, now, identity.siret
    if user.pending:
        raise_after_flush = "attente"
    elif not user.active:
        raise_after_flush = "desactive"
    else:
        user.last_login_at = now
        await session.flush()
        return user
    await session.flush()
    raise SignInRefused(raise_after_flush, "account not usable yet")


async def approve(session: AsyncSession, user: User, role: Role, *, by: str) -> User:
    user.role, user.active, user.pending = role.value, True, False
    user.updated_at, user.updated_by = utcnow(), by
    await session.flush()
    return user
