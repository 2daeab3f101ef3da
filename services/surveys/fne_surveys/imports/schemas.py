from pydantic import BaseModel


class PixImportOut(BaseModel):
    imported: int
    not_shared: int
    already_imported: int
    competences: list[str]
