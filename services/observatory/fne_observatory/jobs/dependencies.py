import asyncio
from typing import Annotated

from fastapi import Depends, Request

from fne_observatory.dependencies import computation_tasks_of


def running_tasks(request: Request) -> dict[str, asyncio.Task[None]]:
    """The jobs this process runs, by id (a cancellation stops its task at once)."""
    return computation_tasks_of(request.app)


RunningTasks = Annotated[dict[str, asyncio.Task[None]], Depends(running_tasks)]
