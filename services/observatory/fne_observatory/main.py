from fastapi import FastAPI

from fne_observatory.config import Settings
from fne_kernel.app import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="observatory",
        title="FNE Savoie — observatoire",
        description="Indicateurs territoriaux de l'inclusion numérique et tableau de bord de la feuille de route.",
        package="fne_observatory",
        settings=settings or Settings(),
    )
