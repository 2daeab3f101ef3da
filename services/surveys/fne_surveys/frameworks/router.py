from fastapi import APIRouter, Depends

from fne_kernel.access import public
from fne_surveys.dependencies import FrameworksDep
from fne_surveys.frameworks.exceptions import FrameworkNotFound
from fne_surveys.frameworks.models import Framework

router = APIRouter(prefix="/referentiels", tags=["référentiels"])


@router.get("", dependencies=[Depends(public)])
async def list_frameworks(frameworks: FrameworksDep) -> list[Framework]:
    """Every framework of dimensions, each version: PIX/CRCN, the capacity web, the national autonomy
    scale…"""
    return frameworks.all()


@router.get("/{code}/{version}", dependencies=[Depends(public)])
async def read_framework(code: str, version: str, frameworks: FrameworksDep) -> Framework:
    """One version of a framework: dimensions (with DigComp codes), levels, answer scale."""
    framework = frameworks.get(code, version)
    if framework is None:
        raise FrameworkNotFound(f"Aucun référentiel {code}@{version}")
    return framework
