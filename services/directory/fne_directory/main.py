from fastapi import FastAPI

from fne_directory.config import Settings
from fne_kernel.app import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="directory",
        title="FNE Savoie — annuaire",
        description="Lieux de médiation numérique : recherche, fiches, exports aux formats nationaux.",
        package="fne_directory",
        settings=settings or Settings(),
    )
