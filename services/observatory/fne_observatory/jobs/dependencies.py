import asyncio
from typing import Annotated

from fastapi import Depends, Request


def running_tasks(request: Request) -> dict[str, asyncio.Task[None]]:
    """The jobs this process runs, by id (a cancellation stops its task at once)."""
    tasks: dict[str, asyncio.Task[None]] = request.app.state.computation_tasks
    return tasks


RunningTasks = Annotated[dict[str, asyncio.Task[None]], Depends(running_tasks)]
