from fastapi import FastAPI

from fne_surveys.config import Settings
from fne_kernel.app import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="surveys",
        title="FNE Savoie — questionnaires",
        description="Mesure de l'autonomie numérique : questionnaires, réponses pseudonymes, agrégats sûrs.",
        package="fne_surveys",
        settings=settings or Settings(),
    )
