from pydantic import BaseModel


class PixImportOut(BaseModel):
    importes: int
    non_partages: int
    deja_importes: int
    competences: list[str]
