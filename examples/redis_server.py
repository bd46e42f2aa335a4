"""A throwaway Redis for the cluster's tests and benchmark: Debian's ``redis-server`` on
127.0.0.1 and a free port, persistence off, in a temporary folder, stopped on exit.

    with RedisServer() as url:   # redis://127.0.0.1:<port>/0
        ...
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis

INSTALL = "make setup (apt-get install -y redis-server)"
"""How a machine gets ``redis-server``."""


def free_port() -> int:
    """A TCP port nothing listens on now (redis-server cannot take port 0 itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """``redis-server`` started on entry (retried on another port if it loses a race for one),
    stopped on exit; ``url`` is where it listens."""

    def __init__(self, *, start_timeout: float = 10.0, attempts: int = 5) -> None:
        self.start_timeout = start_timeout
        self.attempts = attempts
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> str:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(f"redis-server is not installed: run {INSTALL}")
        self._folder = tempfile.TemporaryDirectory(prefix="redis-")
        failures = []
        for _ in range(self.attempts):
            port = free_port()
            log = Path(self._folder.name, f"redis-{port}.log")
            self._process = subprocess.Popen(
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                 "--appendonly", "no", "--dir", self._folder.name, "--logfile", str(log)],
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
            if self._wait_until_listening(port):
                self.url = f"redis://127.0.0.1:{port}/0"
                return self.url
            self._stop()
            said = log.read_text(errors="replace").strip() if log.exists() else ""
            failures.append(said.splitlines()[-1] if said else f"port {port}: no log")
        self.__exit__(None, None, None)
        raise RuntimeError(f"redis-server did not start: {failures}")

    def _wait_until_listening(self, port: int) -> bool:
        """Is our process (not another one that holds the port) answering on ``port``?"""
        assert self._process is not None
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=self.start_timeout)
        deadline = time.monotonic() + self.start_timeout
        try:
            while time.monotonic() < deadline and self._process.poll() is None:
                try:
                    return bool(client.info("server")["process_id"] == self._process.pid)
                except redis.ConnectionError:
                    time.sleep(0.02)
            return False
        finally:
            client.close()

    def _stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        self._process = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
