"""Fixed-window rate limits per caller: in-process by default, shared through Redis when configured."""

import math
import time
from typing import Protocol


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> int:
        """Counts one request; returns 0 when allowed, else the seconds to wait (for Retry-After)."""

    async def exceeded(self, key: str, limit: int, window_seconds: int = 60) -> int:
        """Like `hit` without counting: whether the key is over its limit in this window, and for how long."""

    async def close(self) -> None: ...


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> int:
        now = time.time()
        window = int(now // window_seconds)
        current_window, count = self._windows.get(key, (window, 0))
        if current_window != window:
            count = 0
            if len(self._windows) > 100_000:  # old windows of callers gone quiet
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        count += 1
        self._windows[key] = (window, count)
        if count <= limit:
            return 0
        return max(1, math.ceil((window + 1) * window_seconds - now))

    async def exceeded(self, key: str, limit: int, window_seconds: int = 60) -> int:
        now = time.time()
        window = int(now // window_seconds)
        current_window, count = self._windows.get(key, (window, 0))
        if current_window != window or count <= limit:
            return 0
        return max(1, math.ceil((window + 1) * window_seconds - now))

    async def close(self) -> None:
        return None


class RedisRateLimiter:
    """One INCR per request; the counter expires with its window, so several gateways share one limit."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)

    async def hit(self, key: str, limit: int, window_seconds: int = 60) -> int:
        now = time.time()
        window = int(now // window_seconds)
        redis_key = f"fne:rl:{key}:{window}"
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, window_seconds + 1)
            count, _ = await pipe.execute()
        if count <= limit:
            return 0
        return max(1, math.ceil((window + 1) * window_seconds - now))

    async def exceeded(self, key: str, limit: int, window_seconds: int = 60) -> int:
        now = time.time()
        window = int(now // window_seconds)
        count = int(await self._redis.get(f"fne:rl:{key}:{window}") or 0)
        if count <= limit:
            return 0
        return max(1, math.ceil((window + 1) * window_seconds - now))

    async def close(self) -> None:
        await self._redis.aclose()


def create_rate_limiter(redis_url: str | None) -> RateLimiter:
    return RedisRateLimiter(redis_url) if redis_url else MemoryRateLimiter()
