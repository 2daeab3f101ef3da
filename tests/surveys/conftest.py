from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.identity import Principal, Role
from fne_surveys.config import Settings
from fne_surveys.main import create_app
from fne_surveys.questionnaires.catalogue import install
from tests.support import app_in_rolled_back_transaction, asgi_client, identity_header, user_principal

PSEUDONYM_KEY = "clé de test des pseudonymes, assez longue pour passer"


@pytest.fixture
async def surveys_settings(databases, identity_keys) -> Settings:
    return Settings(
        database_url=await databases.migrated("fne_surveys", "surveys"),
        identity_public_key=identity_keys[1],
        access_log=False,
        pseudonym_key=PSEUDONYM_KEY,
        install_shipped_questionnaires=False,
    )


@pytest.fixture
async def surveys_app(surveys_settings: Settings) -> AsyncIterator[FastAPI]:
    """The surveys service with every database access inside one transaction, rolled back after the test."""
    async with app_in_rolled_back_transaction(create_app(surveys_settings)) as app:
        yield app


@pytest.fixture
async def surveys(surveys_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(surveys_app, "http://surveys") as client:
        yield client


@pytest.fixture
async def db(surveys_app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with surveys_app.state.sessions() as session:
        yield session


@pytest.fixture
async def shipped(surveys_app: FastAPI) -> dict[str, str]:
    """The three ready questionnaires, published: code → questionnaire id."""
    async with surveys_app.state.sessions() as session, session.begin():
        installed = await install(session, surveys_app.state.frameworks)
    return {questionnaire.code: questionnaire.id for questionnaire in installed}


@pytest.fixture
def coordinator(identity_keys) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


@pytest.fixture
def mediator(identity_keys) -> dict[str, str]:
    return identity_header(
        identity_keys[0],
        Principal(
            kind="user",
            subject="mediatrice-1",
            name="Inès",
            role="mediator",
            scopes=frozenset({"surveys:write", "surveys:read"}),
        ),
    )


@pytest.fixture
def reader_key(identity_keys) -> dict[str, str]:
    return identity_header(
        identity_keys[0],
        Principal(
            kind="api_key", subject="observatoire", name="Observatoire", scopes=frozenset({"surveys:read"})
        ),
    )


# Tokens for tests that submit some fifty responses first: on a busy machine that outlasts the usual minute.
PATIENT = timedelta(minutes=20)


@pytest.fixture
def patient_coordinator(identity_keys) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR), PATIENT)


@pytest.fixture
def patient_mediator(identity_keys) -> dict[str, str]:
    principal = Principal(
        kind="user",
        subject="mediatrice-1",
        name="Inès",
        role="mediator",
        scopes=frozenset({"surveys:write", "surveys:read"}),
    )
    return identity_header(identity_keys[0], principal, PATIENT)
