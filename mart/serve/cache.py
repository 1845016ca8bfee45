"""SizedCache: a least-recently-used cache bounded by the bytes of what it holds."""

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class SizedCache(Generic[K, V]):
    """Entries in least-recently-used order, evicted once their sizes pass limit bytes.

    What clients send is its key: an entry larger than an eighth of the limit is not kept at
    all, so a few huge query texts cannot push out everything else, or hold memory after their
    session has gone.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: K, value: V, size: int) -> None:
        if size > self.limit // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.limit:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.size -= evicted

    def __len__(self) -> int:
        return len(self._entries)
