"""Page/size pagination with a total: the envelope every service's lists share."""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Keeps offsets far within the 64-bit range databases accept: an absurd page is an empty page, not an error.
MAX_PAGE = 1_000_000

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


async def page_request(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Numéro de page, à partir de 1")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Éléments par page")] = DEFAULT_PAGE_SIZE,
) -> PageRequest:
    return PageRequest(page=page, size=size)


PageParams = Annotated[PageRequest, Depends(page_request)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Nombre total d'éléments, toutes pages confondues")
    page: int
    size: int

    @classmethod
    def of(cls, items: list[T], total: int, request: PageRequest) -> "Page[T]":
        return cls(items=items, total=total, page=request.page, size=request.size)
