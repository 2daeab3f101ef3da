"""Page/size pagination with a total: the envelope of every list of the surveys service."""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def _page_request(page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                  size: Annotated[int, Query(ge=1, le=200)] = 50) -> PageRequest:
    return PageRequest(page, size)


PageParams = Annotated[PageRequest, Depends(_page_request)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Nombre total d'éléments, toutes pages confondues")
    page: int
    size: int
