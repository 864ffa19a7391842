"""samspill.core.cache: Django's Redis cache with one client per connection pool."""

from __future__ import annotations

import socket
import uuid

import pytest

from samspill.core.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def test_the_cache_keeps_one_client_for_its_pool():
    cache = RedisCache(REDIS_URL, {})

    # No connection is made here: a redis client borrows one from the pool per command.
    assert cache._cache.get_client(write=False) is cache._cache.get_client(write=True)


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_cache_stores_reads_and_forgets_like_djangos():
    cache = RedisCache(REDIS_URL, {})
    key = f"samspill-test-{uuid.uuid4().hex}"

    assert cache.get(key) is None
    cache.set(key, {"økt": [1, 2]}, timeout=30)
    assert cache.get(key) == {"økt": [1, 2]}
    assert cache.add(key, "another", timeout=30) is False
    cache.delete(key)
    assert cache.get(key, "gone") == "gone"
