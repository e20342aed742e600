"""Sliding-window rate limits kept in the memory of the server process (login
failures, password reset requests), keyed by a user name, an e-mail address or a
client address. They start empty when the server starts.
"""
from __future__ import annotations

import collections
import math
import threading
import time
from typing import Callable, Hashable


class RateLimiter:
    """At most ``limit`` events per key in any ``window`` seconds.

    :param limit: events allowed per key and window; 0 or less means no limit
    :param window: the length of the sliding window, in seconds
    :param clock: a monotonic clock in seconds (tests pass a fake one)
    :param max_keys: above this many keys, the keys without recent events are dropped,
        then the oldest ones, so that memory stays bounded under a flood of names
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 50_000):
        self.limit = int(limit)
        self.window = float(window)
        self.clock = clock
        self.max_keys = max_keys
        self._events: dict[Hashable, collections.deque] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """False when there is no limit."""
        return self.limit > 0 and self.window > 0

    def _recent(self, key: Hashable, now: float) -> collections.deque:
        events = self._events.get(key)
        if events is None:
            return collections.deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def _wait(self, events: collections.deque, now: float) -> float:
        if len(events) < self.limit:
            return 0.0
        return max(events[len(events) - self.limit] + self.window - now, 0.001)

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` may have another event (0: now)."""
        if not self.enabled:
            return 0.0
        with self._lock:
            now = self.clock()
            return self._wait(self._recent(key, now), now)

    def acquire(self, key: Hashable) -> float:
        """Record an event for ``key`` if the limit allows it and return 0; otherwise
        record nothing and return the seconds to wait."""
        if not self.enabled:
            return 0.0
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            wait = self._wait(events, now)
            if wait:
                return wait
            if key not in self._events:
                self._prune(now)
                self._events[key] = events
            events.append(now)
            return 0.0

    def release(self, key: Hashable) -> None:
        """Forget the last event of ``key`` (an attempt that turned out fine)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()
                if not events:
                    del self._events[key]

    def _prune(self, now: float) -> None:
        if len(self._events) < self.max_keys:
            return
        for key in list(self._events):
            self._recent(key, now)
        while len(self._events) >= self.max_keys:  # the oldest keys go first
            del self._events[next(iter(self._events))]


def seconds(wait: float) -> int:
    """A wait as a whole number of seconds for a ``Retry-After`` header (at least 1)."""
    return max(1, math.ceil(wait))
