"""Where an :class:`~._queue.OfflineQueue` keeps the messages it has not delivered yet.

A store is a first-in, first-out list of messages (OCPP version, action, payload as JSON text,
failed attempts so far). :class:`MemoryStore` keeps them for the life of the process;
:class:`SqliteStore` in a SQLite file (standard library ``sqlite3``), committed before each
call returns, so they survive a restart of the station program (or its crash). Any object
with the methods of :class:`MessageStore` will do.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import sqlite3


@dataclass(frozen=True)
class StoredMessage:
    """One queued message."""

    id: int
    """Its place in the queue: ids grow with every message added."""
    version: str
    """The OCPP version it was written for (``"2.0.1"``)."""
    action: str
    payload: str
    """The request payload as JSON text."""
    failures: int = 0
    """Attempts so far that the other side failed to process (CALLERROR, no answer...)."""


class MessageStore(Protocol):
    """The store interface: a durable (or not) first-in, first-out list of messages."""

    def append(self, version: str, action: str, payload: str) -> int:
        """Add a message at the end; its id."""
        ...

    def first(self) -> StoredMessage | None:
        """The oldest message (None when the store is empty)."""
        ...

    def failed(self, message_id: int) -> int:
        """Count one more failed attempt of a message; the failures so far."""
        ...

    def remove(self, message_id: int) -> None:
        """Forget a message (delivered, or given up); unknown ids are ignored."""
        ...

    def messages(self) -> list[StoredMessage]:
        """Every message, oldest first."""
        ...

    def close(self) -> None:
        """Release what the store holds open (the messages stay where they are kept)."""
        ...


class MemoryStore:
    """Messages in memory: they survive a lost connection, not a restart."""

    def __init__(self) -> None:
        self._messages: dict[int, StoredMessage] = {}
        self._ids = itertools.count(1)

    def __len__(self) -> int:
        return len(self._messages)

    def append(self, version: str, action: str, payload: str) -> int:
        message = StoredMessage(next(self._ids), version, action, payload)
        self._messages[message.id] = message
        return message.id

    def first(self) -> StoredMessage | None:
        return next(iter(self._messages.values()), None)

    def failed(self, message_id: int) -> int:
        message = self._messages[message_id]
        self._messages[message_id] = replace(message, failures=message.failures + 1)
        return message.failures + 1

    def remove(self, message_id: int) -> None:
        self._messages.pop(message_id, None)

    def messages(self) -> list[StoredMessage]:
        return list(self._messages.values())

    def close(self) -> None:
        pass


class StoreError(Exception):
    """A store file that cannot be used (not a database, another program's, unreadable)."""


SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of a store file this module writes."""
TABLE = """CREATE TABLE IF NOT EXISTS ocpp_outgoing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0
)"""
COLUMNS = "id, version, action, payload, failures"


class SqliteStore:
    """Messages in a SQLite file, so that they survive a restart of the program.

    Every change is committed (``synchronous = FULL``) before the method returns. One
    process at a time should use a file: the queue sends its messages in order, and two
    queues sharing one would send each message twice. Raises :class:`StoreError` for a file
    that is no such store.
    """

    def __init__(self, path: str | Path) -> None:
        import sqlite3

        self.path = Path(path)
        try:
            self._db: sqlite3.Connection = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the message store: {exc}") from None
        try:
            self._prepare()
        except (sqlite3.Error, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path}: not a message store: {exc}") from None

    def _prepare(self) -> None:
        db = self._db
        db.execute("PRAGMA synchronous = FULL")
        found = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if found == 0 and tables - {"sqlite_sequence"}:
            raise StoreError(f"{self.path}: a SQLite file of another program (it has tables)")
        if found not in (0, SCHEMA_VERSION):
            raise StoreError(f"{self.path}: message store version {found}, not {SCHEMA_VERSION}")
        db.execute(TABLE)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM ocpp_outgoing").fetchone()[0])

    def append(self, version: str, action: str, payload: str) -> int:
        cursor = self._db.execute(
            "INSERT INTO ocpp_outgoing (version, action, payload) VALUES (?, ?, ?)",
            (version, action, payload),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def first(self) -> StoredMessage | None:
        row = self._db.execute(f"SELECT {COLUMNS} FROM ocpp_outgoing ORDER BY id LIMIT 1")
        found = row.fetchone()
        return None if found is None else _message(found)

    def failed(self, message_id: int) -> int:
        self._db.execute(
            "UPDATE ocpp_outgoing SET failures = failures + 1 WHERE id = ?", (message_id,)
        )
        row = self._db.execute("SELECT failures FROM ocpp_outgoing WHERE id = ?", (message_id,))
        return int(row.fetchone()[0])

    def remove(self, message_id: int) -> None:
        self._db.execute("DELETE FROM ocpp_outgoing WHERE id = ?", (message_id,))

    def messages(self) -> list[StoredMessage]:
        rows = self._db.execute(f"SELECT {COLUMNS} FROM ocpp_outgoing ORDER BY id")
        return [_message(row) for row in rows]

    def close(self) -> None:
        self._db.close()


def _message(row: tuple[Any, ...]) -> StoredMessage:
    message_id, version, action, payload, failures = row
    return StoredMessage(int(message_id), str(version), str(action), str(payload), int(failures))
