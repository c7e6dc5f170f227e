"""Sign-in throttling: at most N failures per username + address within a sliding window.

Storage is the database (shared by every worker on it) or Redis, chosen by
GOVERNANCE_THROTTLE_STORAGE. There is no permanent lockout: old failures age out.
"""

from __future__ import annotations

import functools
import hashlib
import time
import uuid
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from governance.db_base import utcnow
from governance.roles.models import LoginAttempt


def throttle_key(username: str, address: str) -> str:
    raw = f"{username.strip().lower()}|{address}".encode()
    return hashlib.sha256(raw).hexdigest()


class DatabaseThrottle:
    def __init__(self, session: Session, max_failures: int, window_seconds: int):
        self.session = session
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)

    def blocked(self, key: str) -> bool:
        since = utcnow() - self.window
        count = self.session.scalar(
            select(func.count()).where(LoginAttempt.key == key, LoginAttempt.at > since)
        )
        return (count or 0) >= self.max_failures

    def record_failure(self, key: str) -> None:
        now = utcnow()
        self.session.add(LoginAttempt(key=key, at=now))
        # Keep the table small: drop what no window will look at again.
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - 10 * self.window))

    def clear(self, key: str) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))


@functools.cache
def _redis_client(url: str):
    """One client (and connection pool) per URL and process, reused by every sign-in rather
    than a new pool and connection per request; redis-py's pool starts afresh after a fork."""
    import redis

    return redis.Redis.from_url(url)


class RedisThrottle:
    def __init__(self, url: str, max_failures: int, window_seconds: int):
        self.client = _redis_client(url)
        self.max_failures = max_failures
        self.window_seconds = window_seconds

    def _name(self, key: str) -> str:
        return f"styringsrommet:login-failures:{key}"

    def blocked(self, key: str) -> bool:
        name = self._name(key)
        self.client.zremrangebyscore(name, 0, time.time() - self.window_seconds)
        return self.client.zcard(name) >= self.max_failures

    def record_failure(self, key: str) -> None:
        name = self._name(key)
        now = time.time()
        pipe = self.client.pipeline()
        pipe.zadd(name, {uuid.uuid4().hex: now})
        pipe.expire(name, self.window_seconds * 2)
        pipe.execute()

    def clear(self, key: str) -> None:
        self.client.delete(self._name(key))


def make_throttle(storage: str, session: Session, max_failures: int, window_seconds: int):
    if storage.startswith(("redis://", "rediss://", "unix://")):
        return RedisThrottle(storage, max_failures, window_seconds)
    if storage != "database":
        raise ValueError("GOVERNANCE_THROTTLE_STORAGE must be 'database' or a redis:// URL")
    return DatabaseThrottle(session, max_failures, window_seconds)
