"""Responses a service serialises itself: plain data (dicts, lists, datetimes, enums) that needs no validation
on its way out — long lists built from records validated when they were written."""

from typing import Any

import orjson
from fastapi.responses import Response


class PlainJSONResponse(Response):
    """JSON through orjson, without FastAPI's validation and serialisation of a response model (which, for a
    page of results, costs more than building it). A route returning it declares its `response_model`, so its
    documentation is unchanged; its tests check bodies against that model."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        # Datetimes as pydantic writes them (UTC with "Z"), so every route of a service writes them alike.
        return orjson.dumps(content, option=orjson.OPT_UTC_Z)
