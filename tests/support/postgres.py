"""A throwaway PostgreSQL server for tests and benchmarks.

``postgres_cluster()`` starts a private cluster in a fresh temporary folder, listening on
127.0.0.1 at a free port and on a private unix-socket folder, and always stops it and removes
the folder when the block ends. As root (CI runs as root) the server runs as the ``postgres``
system user through ``runuser``, because initdb and postgres refuse to run as root.

When ``COCREA_TEST_POSTGRES_URL`` is set, that existing server is used instead: tests then
create and drop their databases on it, and nothing is started or stopped.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

EXTERNAL_URL_ENV = "COCREA_TEST_POSTGRES_URL"
"""Environment variable naming an existing server's admin URL, to use instead of starting one."""

SERVER_USER = "postgres"
"""System user that runs initdb and the server when this process is root."""

_DEBIAN_ROOT = Path("/usr/lib/postgresql")
_READY_TIMEOUT_S = 60.0
_COMMAND_TIMEOUT_S = 120.0
_START_ATTEMPTS = 3
_LOG_TAIL_LINES = 40


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL server can be had: no binaries, and no external server given."""


class PostgresStartError(RuntimeError):
    """The throwaway server failed to initialise or start; the message ends with its log."""


def find_bindir() -> Path | None:
    """Return the folder holding ``initdb`` and ``pg_ctl``, or None when there is none.

    Looks at ``pg_config --bindir``, then the newest Debian ``/usr/lib/postgresql/<v>/bin``,
    then ``PATH``.
    """
    for find in (_bindir_from_pg_config, _newest_debian_bindir, _bindir_from_path):
        candidate = find()
        if candidate is not None and _has_server_binaries(candidate):
            return candidate
    return None


def postgres_available() -> bool:
    """Tell whether ``postgres_cluster()`` can work: an external URL or local binaries."""
    return bool(os.environ.get(EXTERNAL_URL_ENV)) or find_bindir() is not None


class PostgresCluster:
    """A running PostgreSQL server on which tests create and drop their own databases."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        """SQLAlchemy URL of the ``postgres`` database, as a superuser."""

    def url_for(self, name: str) -> str:
        """Return the SQLAlchemy URL of database ``name`` on this server."""
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create_database(self, name: str) -> str:
        """Create an empty database ``name`` and return its SQLAlchemy URL."""
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def copy_database(self, source: str, name: str) -> str:
        """Create database ``name`` as a copy of ``source`` (no session may be on it); its URL."""
        self._execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(source)))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, ending any session still connected to it."""
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def set_for_database(self, name: str, setting: str, value: str) -> None:
        """Give database ``name`` its own default for ``setting`` (new sessions take it)."""
        self._execute(sql.SQL("ALTER DATABASE {} SET {} = {}").format(
            sql.Identifier(name), sql.Identifier(setting), sql.Literal(value)))

    def _execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(_libpq_url(self.admin_url), autocommit=True) as connection:
            connection.execute(statement)


@contextlib.contextmanager
def postgres_cluster(durable: bool = False) -> Iterator[PostgresCluster]:
    """Yield a PostgreSQL server for the block; a started one is stopped and removed after.

    A fast cluster (the default) runs with fsync, synchronous commit and full-page writes off;
    ``durable=True`` keeps PostgreSQL's defaults, for benchmarks.

    Raises:
        PostgresUnavailableError: no external URL is set and no server binaries are found.
        PostgresStartError: the server did not initialise or start.
    """
    external = os.environ.get(EXTERNAL_URL_ENV)
    if external:
        yield PostgresCluster(_as_psycopg_url(external))
        return
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailableError(
            "no PostgreSQL server binaries (initdb, pg_ctl) found via pg_config, "
            f"{_DEBIAN_ROOT}/<version>/bin or PATH; install PostgreSQL or set {EXTERNAL_URL_ENV}"
        )
    with _temporary_server(_Server(bindir, _Layout.create()), durable=durable) as admin_url:
        yield PostgresCluster(admin_url)


@dataclass(frozen=True)
class _Layout:
    """The temporary folder of one throwaway cluster."""

    root: Path

    @classmethod
    def create(cls) -> _Layout:
        return cls(Path(tempfile.mkdtemp(prefix="cocrea-pg-")))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sockets"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-_LOG_TAIL_LINES:]) or "(server log is empty)"


@dataclass(frozen=True)
class _Server:
    """Server binaries and the folder they work in."""

    bindir: Path
    layout: _Layout

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a server program, as the ``postgres`` user when this process is root."""
        command = [str(self.bindir / program), *args]
        if _is_root():
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(
            command,
            cwd=self.layout.root,
            capture_output=True,
            text=True,
            check=False,
            timeout=_COMMAND_TIMEOUT_S,
        )


@contextlib.contextmanager
def _temporary_server(server: _Server, *, durable: bool) -> Iterator[str]:
    """Initialise, start and finally stop a cluster; yield its admin URL."""
    try:
        _prepare_folder(server.layout)
        _initdb(server)
        try:
            port = _start(server, durable=durable)
            admin_url = f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{port}/postgres"
            _wait_until_ready(admin_url, server.layout)
            yield admin_url
        finally:
            _stop(server)
    finally:
        shutil.rmtree(server.layout.root, ignore_errors=True)


def _prepare_folder(layout: _Layout) -> None:
    layout.sockets.mkdir(mode=0o700)
    if _is_root():
        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise PostgresUnavailableError(
                f"running as root, PostgreSQL must run as the {SERVER_USER!r} system user, "
                "which does not exist"
            ) from None
        for folder in (layout.root, layout.sockets):
            os.chown(folder, user.pw_uid, user.pw_gid)


def _initdb(server: _Server) -> None:
    result = server.run(
        "initdb",
        "-D", str(server.layout.data),
        "-A", "trust",
        "-U", SERVER_USER,
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    )  # fmt: skip
    if result.returncode != 0:
        raise PostgresStartError(f"initdb failed:\n{result.stdout}{result.stderr}")


def _start(server: _Server, *, durable: bool) -> int:
    """Start the server on a free loopback port, retrying if another process takes it first."""
    for _attempt in range(_START_ATTEMPTS):
        port = _free_loopback_port()
        result = server.run(
            "pg_ctl", "start", "-w",
            "-t", str(int(_READY_TIMEOUT_S)),
            "-D", str(server.layout.data),
            "-l", str(server.layout.log),
            "-o", _server_options(port, server.layout.sockets, durable=durable),
        )  # fmt: skip
        if result.returncode == 0:
            return port
        if "could not bind" not in server.layout.log_tail():
            break
    raise PostgresStartError(
        f"pg_ctl start failed:\n{result.stdout}{result.stderr}\n"
        f"server log ({server.layout.log}):\n{server.layout.log_tail()}"
    )


def _server_options(port: int, sockets: Path, *, durable: bool) -> str:
    settings = {
        "listen_addresses": "127.0.0.1",
        "port": str(port),
        "unix_socket_directories": str(sockets),
        "max_connections": "200",
    }
    if not durable:
        settings |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
    return " ".join(f"-c {shlex.quote(f'{key}={value}')}" for key, value in settings.items())


def _wait_until_ready(admin_url: str, layout: _Layout) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while True:
        try:
            with psycopg.connect(_libpq_url(admin_url), connect_timeout=5):
                return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise PostgresStartError(
                    f"server did not accept connections within {_READY_TIMEOUT_S:.0f} s "
                    f"({error}); server log ({layout.log}):\n{layout.log_tail()}"
                ) from error
        time.sleep(0.1)


def _stop(server: _Server) -> None:
    if not (server.layout.data / "postmaster.pid").exists():
        return
    result = server.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(server.layout.data))
    if result.returncode != 0:
        warnings.warn(
            f"could not stop the test PostgreSQL server in {server.layout.data}:\n"
            f"{result.stdout}{result.stderr}",
            RuntimeWarning,
            stacklevel=2,
        )


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _is_root() -> bool:
    return os.geteuid() == 0


def _as_psycopg_url(url: str) -> str:
    """Return ``url`` as a SQLAlchemy URL that uses the psycopg 3 driver."""
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _libpq_url(url: str) -> str:
    """Return a SQLAlchemy URL as a libpq connection URI that psycopg accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _bindir_from_pg_config() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    result = subprocess.run(
        [pg_config, "--bindir"], capture_output=True, text=True, check=False, timeout=30
    )
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _newest_debian_bindir() -> Path | None:
    def version(bindir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in bindir.parent.name.split("."))

    versioned = [
        bindir
        for bindir in _DEBIAN_ROOT.glob("*/bin")
        if bindir.parent.name.replace(".", "").isdigit()
    ]
    return max(versioned, key=version, default=None)


def _bindir_from_path() -> Path | None:
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _has_server_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / program, os.X_OK) for program in ("initdb", "pg_ctl"))
