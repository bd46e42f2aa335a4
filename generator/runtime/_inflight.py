"""How many of a dispatcher's own CALLs may wait for their answers at once.

OCPP-J: a side should not send a CALL while an earlier CALL of its own is unanswered. The
dispatcher takes a slot before it sends a CALL and gives it back when the answer (a CALLRESULT,
a CALLERROR, an invalid answer) arrives, the call times out or fails; further calls wait for a
slot in the order they came.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable


class CallSlots:
    """At most ``limit`` holders at once (None: no limit); waiters are served first come, first
    served. A waiter that is cancelled leaves the line (a slot it was just given passes on)."""

    def __init__(self, limit: int | None = 1) -> None:
        if limit is not None and (type(limit) is not int or limit < 1):
            raise ValueError(f"max_calls_in_flight must be a positive int or None, not {limit!r}")
        self.limit = limit
        self.busy = 0
        """Slots held now."""
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        """Calls waiting for a slot."""
        return sum(1 for waiter in self._waiters if not waiter.done())

    def _free(self) -> bool:
        return self.limit is None or self.busy < self.limit

    async def acquire(self) -> None:
        """Wait for a slot (in order); raises what :meth:`fail_waiters` gives."""
        if self._free() and not self._waiters:
            self.busy += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            granted = waiter.done() and not waiter.cancelled() and waiter.exception() is None
            if granted:  # given a slot, then cancelled before it could use it: pass it on
                self.release()
            else:
                self._forget(waiter)
            raise

    def release(self) -> None:
        """Give a slot back; the longest waiter gets it."""
        self.busy -= 1
        while self._waiters and self._free():
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.busy += 1
                waiter.set_result(None)

    def fail_waiters(self, error: Callable[[], BaseException]) -> None:
        """Every waiter raises a new ``error()`` (the connection it waited to use is gone)."""
        waiters, self._waiters = self._waiters, deque()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(error())

    def _forget(self, waiter: asyncio.Future[None]) -> None:
        with contextlib.suppress(ValueError):  # already taken off the line
            self._waiters.remove(waiter)
