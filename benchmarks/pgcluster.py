"""A throw-away PostgreSQL cluster for the journey: initdb in /tmp, a free loopback port, fsync off.

The binaries are found the way `.ci/run` finds them (the newest /usr/lib/postgresql/*/bin, so the
Debian `postgresql` package is all it needs). PostgreSQL refuses to run as root, so as root every
server program runs as the package's `postgres` user via `runuser`. The cluster can be stopped and
started again on the same port and data directory (the journey's database restart), and is always
removed by `remove()` (the context manager calls it, also on an error).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType


def find_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin with an initdb."""
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").is_file()]
    if not candidates:
        raise RuntimeError("no initdb under /usr/lib/postgresql/*/bin: install the Debian package postgresql")

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)

    return max(candidates, key=version)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """One cluster, owned by this process: `start()`, `stop()`/`start()` again, `remove()`."""

    def __init__(self, database: str = "ontwikkelscan_journey") -> None:
        self.bin = find_bin_dir()
        self.database = database
        self.as_root = os.geteuid() == 0
        # Under /tmp, not $TMPDIR: the postgres user must be able to enter it.
        self.dir = Path(tempfile.mkdtemp(prefix="ontwikkelscan-journey-pg.", dir="/tmp"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = 0
        self.running = False
        self.dir.chmod(0o700)
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")

    # --- running PostgreSQL programs ------------------------------------------------------------

    def _run(self, program: str, *args: str, check: bool = True, timeout: float = 120) -> str:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        # From a directory the postgres user can enter (runuser keeps the working directory).
        done = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            output = done.stderr.strip() or done.stdout.strip()
            raise RuntimeError(f"{program} failed ({done.returncode}): {output}\n{self.log_tail()}")
        return done.stdout

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def version(self) -> str:
        return self._run("postgres", "--version").split()[2]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"

    # --- life cycle -------------------------------------------------------------------------------

    def create(self) -> None:
        """initdb, start on a free port, create the database."""
        # Trust authentication: the server listens only on 127.0.0.1 and a private socket directory,
        # and lives for the length of one run.
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # Another process may take the port between asking and binding; try a few times.
        for _attempt in range(3):
            self.port = free_port()
            try:
                self.start()
                break
            except RuntimeError:
                continue
        else:
            raise RuntimeError(f"PostgreSQL did not start\n{self.log_tail()}")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database)

    def start(self) -> None:
        # No durability needed for a throw-away database: fsync off.
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options,
                  "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session (as an operator's restart does); `immediate` is a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def restart(self, pause: float) -> tuple[float, float]:
        """Stop (fast), wait `pause` seconds, start; returns the (down, up) moments (time.monotonic)."""
        down = time.monotonic()
        self.stop("fast")
        time.sleep(pause)
        self.start()
        return down, time.monotonic()

    def remove(self) -> None:
        if self.running:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        try:
            self.create()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.remove()
