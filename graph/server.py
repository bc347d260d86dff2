"""The embedded default: a real Neo4j Community server assembled from Maven Central.

`assemble()` copies the jars once into a cache directory (a dependency-only pom.xml and
`mvn dependency:copy-dependencies`); `start()` writes `neo4j.conf`, sets the initial password,
starts `org.neo4j.server.CommunityEntryPoint` in the background and waits until Bolt answers;
`stop()` shuts it down (SIGTERM: Neo4j checkpoints and exits cleanly).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from casegraph.core.errors import Neo4jSetupError, Neo4jUnavailableError
from casegraph.core.settings import Settings

log = logging.getLogger(__name__)

POM_DIR = Path(__file__).with_name("neo4j")
JVM_OPENS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
]


@dataclass(frozen=True)
class ServerLayout:
    home: Path
    lib: Path
    plugins: Path

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "casegraph-neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"


def layout(settings: Settings) -> ServerLayout:
    dist = settings.cache_dir.resolve() / f"neo4j-{settings.neo4j_version}"
    return ServerLayout(home=settings.neo4j_home.resolve(), lib=dist / "lib", plugins=dist / "plugins")


def _mvn_copy(pom: Path, out: Path, version: str) -> None:
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jSetupError("Maven (mvn) is not installed: it is needed once to fetch Neo4j from Maven Central")
    if not shutil.which("java"):
        raise Neo4jSetupError("Java 17+ is not installed: the embedded Neo4j needs it")
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
           f"-DoutputDirectory={tmp}", "-DincludeScope=runtime", f"-Dneo4j.version={version}"]
    log.info("fetching Neo4j %s from Maven Central (once)...", version)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise Neo4jSetupError("could not fetch Neo4j with Maven: " + " | ".join(tail))
    # Rename last, so an interrupted download is never mistaken for a complete one.
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)


def assemble(settings: Settings) -> ServerLayout:
    lay = layout(settings)
    if not (lay.lib.is_dir() and any(lay.lib.glob("neo4j-server-*.jar"))):
        lay.lib.parent.mkdir(parents=True, exist_ok=True)
        _mvn_copy(POM_DIR / "pom.xml", lay.lib, settings.neo4j_version)
    if settings.neo4j_apoc and not any(lay.plugins.glob("apoc-*.jar")):
        _mvn_copy(POM_DIR / "pom-apoc.xml", lay.plugins, settings.neo4j_version)
    lay.plugins.mkdir(parents=True, exist_ok=True)
    return lay


def render_conf(settings: Settings, lay: ServerLayout) -> str:
    home = lay.home
    lines = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{settings.neo4j_bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{settings.neo4j_bolt_port}",
        "server.http.enabled": "true",
        "server.http.listen_address": f"127.0.0.1:{settings.neo4j_http_port}",
        "server.http.advertised_address": f"127.0.0.1:{settings.neo4j_http_port}",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "dbms.usage_report.enabled": "false",
        "client.allow_telemetry": "false",
        "server.memory.heap.initial_size": settings.neo4j_heap,
        "server.memory.heap.max_size": settings.neo4j_heap,
        "server.memory.pagecache.size": settings.neo4j_pagecache,
        "db.transaction.timeout": "120s",
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.plugins": str(lay.plugins),
        "server.directories.import": str(home / "import"),
        "server.directories.transaction.logs.root": str(home / "data" / "transactions"),
    }
    if settings.neo4j_apoc:
        lines["dbms.security.procedures.unrestricted"] = "apoc.*"
    body = "\n".join(f"{k}={v}" for k, v in lines.items())
    return f"# Written by `casegraph neo4j start`; edits are overwritten.\n{body}\n"


def _classpath(lay: ServerLayout) -> str:
    return f"{lay.plugins}/*:{lay.conf_dir}/*:{lay.lib}/*"


def _java_env(lay: ServerLayout) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(lay.home), "NEO4J_CONF": str(lay.conf_dir)}


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def read_pid(lay: ServerLayout) -> int | None:
    try:
        pid = int(lay.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def _set_initial_password(settings: Settings, lay: ServerLayout) -> None:
    # Only possible before the first start: Neo4j stores it in the system database then.
    if (lay.home / "data" / "databases" / "system").exists():
        return
    cmd = ["java", "-cp", _classpath(lay), "org.neo4j.cli.AdminTool", "dbms", "set-initial-password",
           settings.password()]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_java_env(lay))
    if proc.returncode != 0:
        raise Neo4jSetupError(f"could not set the initial Neo4j password: {proc.stderr.strip()[-300:]}")


def start(settings: Settings, wait: bool = True) -> int:
    """Start the embedded server (no-op if ours is already running). Returns its pid."""
    if not settings.embedded:
        raise Neo4jSetupError(f"NEO4J_URI is set ({settings.neo4j_uri}): casegraph uses that server, not its own")
    lay = assemble(settings)
    pid = read_pid(lay)
    if pid:
        log.info("Neo4j already running (pid %s)", pid)
        return pid
    for port in (settings.neo4j_bolt_port, settings.neo4j_http_port):
        if _port_in_use(port):
            raise Neo4jSetupError(
                f"port {port} on 127.0.0.1 is already in use by another program: stop it or set "
                "CASEGRAPH_NEO4J_BOLT_PORT / CASEGRAPH_NEO4J_HTTP_PORT to free ports"
            )
    for sub in ("conf", "data", "logs", "run", "import"):
        (lay.home / sub).mkdir(parents=True, exist_ok=True)
    (lay.conf_dir / "neo4j.conf").write_text(render_conf(settings, lay))
    _set_initial_password(settings, lay)
    cmd = [
        "java", f"-Xms{settings.neo4j_heap}", f"-Xmx{settings.neo4j_heap}", "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8", *JVM_OPENS,
        "-cp", _classpath(lay), "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={lay.home}", f"--config-dir={lay.conf_dir}", "--console-mode",
    ]
    with open(lay.log_file, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=_java_env(lay), start_new_session=True)
    lay.pid_file.write_text(str(proc.pid))
    log.info("Neo4j starting (pid %s), log: %s", proc.pid, lay.log_file)
    if wait:
        wait_until_ready(settings, proc=proc)
    return proc.pid


def wait_until_ready(settings: Settings, proc: subprocess.Popen[bytes] | None = None) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    deadline = time.monotonic() + settings.neo4j_start_timeout
    lay = layout(settings)
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise Neo4jSetupError(f"Neo4j exited during start-up (code {proc.returncode}); last log lines: "
                                  + " | ".join(_log_tail(lay)))
        try:
            with GraphDatabase.driver(settings.bolt_uri, auth=(settings.neo4j_user, settings.password())) as d:
                d.verify_connectivity()
                d.execute_query("RETURN 1", database_=settings.neo4j_database)
            log.info("Neo4j is ready at %s", settings.bolt_uri)
            return
        except AuthError as exc:
            raise Neo4jSetupError(f"Neo4j refused the password: {exc.message}") from None
        except (ServiceUnavailable, OSError, Exception) as exc:  # noqa: B014 - anything before Bolt answers
            log.debug("waiting for Neo4j: %s", exc)
            time.sleep(1.0)
    raise Neo4jUnavailableError(f"Neo4j did not answer on {settings.bolt_uri} within "
                                f"{settings.neo4j_start_timeout:.0f}s; see {lay.log_file}")


def _log_tail(lay: ServerLayout, n: int = 5) -> list[str]:
    try:
        return lay.log_file.read_text(errors="replace").strip().splitlines()[-n:]
    except OSError:
        return []


def stop(settings: Settings, timeout: float = 60.0) -> bool:
    """Stop the embedded server. Returns False if it was not running."""
    lay = layout(settings)
    pid = read_pid(lay)
    if not pid:
        lay.pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        _reap(pid)
        time.sleep(0.3)
    else:
        log.warning("Neo4j (pid %s) did not stop in %.0fs: killing it", pid, timeout)
        os.kill(pid, signal.SIGKILL)
        _reap(pid)
    lay.pid_file.unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    # When we started it in this process, collect the zombie so kill(pid, 0) stops succeeding.
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str
    embedded: bool
    answering: bool
    version: str | None
    message: str


def status(settings: Settings) -> ServerStatus:
    from graph.db import server_version

    pid = read_pid(layout(settings)) if settings.embedded else None
    try:
        version = server_version(settings)
        return ServerStatus(True, pid, settings.bolt_uri, settings.embedded, True, version,
                            f"Neo4j {version} answering at {settings.bolt_uri}")
    except Neo4jUnavailableError as exc:
        return ServerStatus(bool(pid), pid, settings.bolt_uri, settings.embedded, False, None, str(exc))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def temporary_server(base: Settings | None = None, heap: str | None = None,
                     pagecache: str | None = None) -> Iterator[Settings]:
    """A throw-away embedded Neo4j on free ports in a temporary home (benchmarks, tests); the jar
    cache is shared with `base`, so nothing is downloaded twice."""
    import tempfile

    from graph.db import apply_schema, close_drivers

    base = base or Settings()
    with tempfile.TemporaryDirectory(prefix="casegraph-neo4j-") as tmp:
        settings = base.model_copy(update={
            "neo4j_uri": None,
            "work_dir": Path(tmp),
            "cache_dir": base.cache_dir.resolve(),
            "neo4j_bolt_port": free_port(),
            "neo4j_http_port": free_port(),
            "neo4j_password": SecretStr(secrets.token_hex(12)),
            "neo4j_heap": heap or base.neo4j_heap,
            "neo4j_pagecache": pagecache or base.neo4j_pagecache,
        })
        try:
            start(settings)  # a server that never became ready is stopped too, not left running
            apply_schema(settings)
            yield settings
        finally:
            close_drivers()
            stop(settings)
