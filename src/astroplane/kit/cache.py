"""A per-process cache of rarely-changing rows, valid while the authz epoch stands still.

Rows whose tables bump the epoch when they change (users, tokens, organizations, role bindings...)
can be cached here: every request reads the epoch first (auth does), and a new epoch empties the
cache. Entries may be newer than their epoch, never older, because a request reads the epoch
before the data. A request that itself changed such rows bypasses the cache until it commits.
"""

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy.orm import Session

SESSION_KEY = "epoch_cache"
_MISSING = object()


class EpochCache:
    MAX_ENTRIES = 50_000

    def __init__(self) -> None:
        self.epoch: int | None = None
        self._entries: dict[tuple[str, Hashable], Any] = {}
        # called when the epoch moves: other per-process caches tied to it (the test clock)
        self.on_change: list[Callable[[], None]] = []

    def sync(self, epoch: int) -> None:
        if epoch != self.epoch:
            self._entries.clear()
            self.epoch = epoch
            for listener in self.on_change:
                listener()

    def get(self, namespace: str, key: Hashable) -> Any:
        return self._entries.get((namespace, key), _MISSING)

    def known(self, namespace: str, key: Hashable, epoch: int) -> Any:
        """The entry when this cache stands at `epoch` and holds it, else None (hot reads, kit.hot)."""
        if epoch != self.epoch:
            return None
        return self._entries.get((namespace, key))

    def put(self, namespace: str, key: Hashable, value: Any) -> None:
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[(namespace, key)] = value


def attach(session: Session, cache: EpochCache) -> None:
    session.info[SESSION_KEY] = cache


def _usable(session: Session) -> EpochCache | None:
    cache: EpochCache | None = session.info.get(SESSION_KEY)
    if cache is None or cache.epoch is None or session.info.get("authz_bumped"):
        return None
    return cache


def known(session: Session, namespace: str, key: Hashable) -> Any:
    """What the session's epoch cache holds for `key`, or None (absent, or no trustworthy cache)."""
    cache = _usable(session)
    if cache is None:
        return None
    value = cache.get(namespace, key)
    return None if value is _MISSING else value


def remember(session: Session, namespace: str, key: Hashable, value: Any) -> None:
    """Keep `value` in the session's epoch cache, when it has a trustworthy one (see `cached`)."""
    cache = _usable(session)
    if cache is not None:
        cache.put(namespace, key, value)


def cached(session: Session, namespace: str, key: Hashable, load: Callable[[], Any]) -> Any:
    """`load()` through the session's epoch cache, when it has one and has not changed authz rows."""
    cache = _usable(session)
    if cache is None:
        return load()
    value = cache.get(namespace, key)
    if value is _MISSING:
        value = load()
        cache.put(namespace, key, value)
    return value


def current_epoch(session: Session) -> int | None:
    """The authz epoch this request read, or None when it has no trustworthy one."""
    cache: EpochCache | None = session.info.get(SESSION_KEY)
    if cache is None or session.info.get("authz_bumped"):
        return None
    return cache.epoch


class ResponseCache:
    """Serialized responses of one resource, reused while the entity's version stands still.

    The version is whatever the caller reads before rendering (row timestamps plus the authz epoch,
    which covers the author profiles a response embeds). A body is stored under the version read
    before it was rendered, so it is never older than its version; replicas each keep their own.
    """

    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[Hashable, bytes]] = {}

    def get(self, key: Hashable, version: Hashable) -> bytes | None:
        entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] == version else None

    def put(self, key: Hashable, version: Hashable, body: bytes) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (version, body)
