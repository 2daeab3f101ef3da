import os

import pytest

from fne_gateway.ratelimit import MemoryRateLimiter, RedisRateLimiter

REDIS_URL = os.environ.get("FNE_TEST_REDIS_URL")


async def exercise(limiter) -> None:
    results = [await limiter.hit("ip:198.51.100.7", limit=3) for _ in range(5)]
    assert results[:3] == [0, 0, 0]
    assert all(1 <= wait <= 60 for wait in results[3:])
    assert await limiter.hit("ip:198.51.100.8", limit=3) == 0  # another caller has its own budget


async def test_memory_limiter_counts_per_caller():
    await exercise(MemoryRateLimiter())


@pytest.mark.skipif(not REDIS_URL, reason="FNE_TEST_REDIS_URL not set (CI sets it)")
async def test_redis_limiter_counts_per_caller_across_gateways():
    assert REDIS_URL is not None
    first, second = RedisRateLimiter(REDIS_URL), RedisRateLimiter(REDIS_URL)
    try:
        await first._redis.flushdb()
        await exercise(first)
        assert await second.hit("ip:198.51.100.7", limit=3) > 0  # the second gateway sees the first's count
    finally:
        await first.close()
        await second.close()
