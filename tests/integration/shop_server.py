"""Real ``shop serve`` processes for tests: start, wait until healthy, talk HTTP, find, stop.

Every server runs in a session of its own, so stopping it ends its gunicorn master and workers
and nothing else.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHOP = str(Path(sys.executable).with_name("shop"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    source: str | None = None,
) -> Answer:
    """One HTTP request on a fresh connection; JSON in and out.

    ``source`` is the loopback address to call from (127.0.0.2, ...): another client address,
    so another anonymous rate-limit budget.
    """
    sent = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if token:
        sent["Authorization"] = f"Bearer {token}"
    origin = (source, 0) if source else None
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=origin)
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        parsed = (
            json.loads(raw) if raw and "json" in (response.getheader("Content-Type") or "") else raw
        )
        return Answer(response.status, dict(response.getheaders()), parsed)
    finally:
        conn.close()


class ShopProcess:
    """``shop serve --workers N --port P`` with the given environment (``workers=None``: the
    default count)."""

    def __init__(self, env: dict[str, str], *, workers: int | None = 2, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        count = ["--workers", str(workers)] if workers is not None else []
        command = [SHOP, "serve", *count, "--port", str(self.port),
                   "--graceful-timeout", "5", *args]  # fmt: skip
        self.proc = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Answer:
        return call(self.port, method, path, body, **kwargs)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"shop serve exited early:\n{self.output()}")
            try:
                if self.call("GET", "/api/health/", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"shop serve did not become healthy:\n{self.output()}")

    def workers(self) -> list[int]:
        """The pids of the gunicorn master's children (its workers), read from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            ppid = int(text[text.rindex(")") + 2 :].split()[1])
            if ppid == self.proc.pid:
                found.append(int(stat.parent.name))
        return sorted(found)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL to the whole session if it lingers."""
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # the master still runs, so its group is still ours
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


def server_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """A clean environment for ``shop serve``: nothing inherited but PATH and HOME."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SHOP_DATABASE_URL": database_url,
        "SHOP_SECRET_KEY": "scale-out-secret-key-shared-by-every-server!",
        "SHOP_INSTANCE_PATH": str(instance),
        "SHOP_MEDIA_ROOT": str(instance / "media"),
    }
    env.update(extra)
    return env
