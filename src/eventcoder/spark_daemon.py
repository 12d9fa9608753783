"""The Python daemon of Spark executors for eventcoder: it loads the coding engine once, then forks.

PySpark starts one daemon per executor (``python -m pyspark.daemon``) and forks a Python worker
from it for each task slot. With ``spark.python.daemon.module=eventcoder.spark_daemon`` (set by
:func:`eventcoder.spark_engine.spark_context`) the daemon first imports the stages and loads the
spaCy model, lexicons and gazetteer of the prefilter mode in ``EVENTCODER_PREFILTER`` (else
``settings.PREFILTER``), so every worker starts with them in (copy-on-write) memory instead of
loading them itself. Nothing in the loading starts a thread, which the daemon requires before it
forks.

**Preloading while the JVM starts (local mode).** The JVM asks for the daemon only when the first
Python task runs, so its ~2 s of loading would sit on the run's critical path. In ``local[N]`` the
driver therefore first starts a *zygote* (:func:`start_zygote`): a process that loads the engine
while the JVM starts, then waits on a Unix socket named in ``EVENTCODER_SPARK_ZYGOTE``. When the
JVM launches this module as its daemon, the launched process hands the zygote its standard
streams (the JVM's pipes) and environment (:func:`_hand_over`); the zygote takes them and runs
PySpark's daemon loop, so the JVM talks to an already loaded daemon. The launched process stays
as its stand-in until the zygote ends, and passes a SIGTERM on. Without a zygote (a cluster, a
second session, a zygote that failed) the launched process loads the engine and runs the loop
itself, as before. The zygote leaves when the driver does (its standard input is the driver's pipe).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

#: Names the Unix socket of a zygote waiting to become the executors' daemon.
ZYGOTE_ENV = "EVENTCODER_SPARK_ZYGOTE"
#: Seconds the launched daemon waits for a zygote that has not yet opened its socket.
_BIND_WAIT = 10.0
_HEADER = 16  # bytes of the handover's first message: the length of the JSON that follows


def preload() -> None:
    """Load the engine the coding partitions will use (spark_engine._engine keeps it) and the
    MinHash permutations of their LSH band keys."""
    from . import settings
    from .merge import prepare_recycled
    from .spark_engine import RECYCLED_NUM_PERM, _engine

    mode = os.environ.get("EVENTCODER_PREFILTER", settings.PREFILTER or "off")
    _engine(None if mode == "off" else mode).load()
    prepare_recycled(RECYCLED_NUM_PERM)


def start_zygote() -> subprocess.Popen[bytes]:
    """Start a zygote that preloads the engine now and becomes the daemon the JVM asks for later;
    names its socket in this process's environment, which the JVM (started next) inherits."""
    path = Path(tempfile.mkdtemp(prefix="eventcoder-zygote-")) / "daemon.sock"
    # PySpark gives its Python workers PYTHONHASHSEED (0 unless set); a seed is fixed at start-up
    env = dict(os.environ, PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"))
    proc = subprocess.Popen([sys.executable, "-m", "eventcoder.spark_daemon", "--zygote", str(path)],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    os.environ[ZYGOTE_ENV] = str(path)
    return proc


def _zygote(path: str) -> None:
    """Zygote side: listen, load, wait for the JVM's launched daemon (or the driver's exit), then
    take over the launched process's streams, environment and directory and run PySpark's daemon."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    try:
        preload()
        from pyspark import daemon
    except Exception:  # the launched process connects, sees the socket close, and loads itself
        _remove(path)
        sys.exit(1)
    while True:
        ready, _, _ = select.select([server, 0], [], [])
        if 0 in ready and not os.read(0, 1):  # the driver ended before its JVM asked for a daemon
            _remove(path)
            return
        if server in ready:
            break
    conn, _ = server.accept()
    _remove(path)
    server.close()
    header, fds, _, _ = socket.recv_fds(conn, _HEADER, 3)
    size, payload = int(header.decode()), b""
    while len(payload) < size:
        chunk = conn.recv(size - len(payload))
        if not chunk:
            sys.exit(1)
        payload += chunk
    state = json.loads(payload)
    for target, fd in enumerate(fds):  # the JVM's pipes: requests in, the port out, logs
        os.dup2(fd, target)
        os.close(fd)
    os.environ.update(state["env"])  # the worker secret, SPARK_* settings, as the JVM set them
    os.chdir(state["cwd"])
    conn.sendall(str(os.getpid()).encode())
    daemon.manager()  # never returns: exits when the JVM closes our standard input


def _remove(path: str) -> None:
    """Remove the zygote's socket and its temporary directory."""
    os.unlink(path)
    os.rmdir(os.path.dirname(path))


def _hand_over(path: str) -> bool:
    """Launched side: give the zygote this process's streams, environment and directory, then stand
    in for it until it ends (forwarding SIGTERM). False when no zygote takes over."""
    import time

    deadline = time.monotonic() + _BIND_WAIT
    while not os.path.exists(path) and os.path.isdir(os.path.dirname(path)) and time.monotonic() < deadline:
        time.sleep(0.01)  # the zygote is still starting (its directory goes when it quits)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        payload = json.dumps({"env": dict(os.environ), "cwd": os.getcwd()}).encode()
        socket.send_fds(conn, [str(len(payload)).encode().ljust(_HEADER)], [0, 1, 2])
        conn.sendall(payload)
        pid = int(conn.recv(32) or b"0")  # waits while the zygote finishes loading
    except (OSError, ValueError):
        return False
    if not pid:
        return False

    def forward(signum: int, _frame: object) -> None:
        os.kill(pid, signum)
        os._exit(0)

    signal.signal(signal.SIGTERM, forward)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # only the zygote holds the JVM's pipes now
        os.dup2(devnull, fd)
    while conn.recv(1):  # the zygote (and its forked workers) keep the connection until they end
        pass
    return True


def main(argv: list[str]) -> None:
    """``python -m eventcoder.spark_daemon [--zygote SOCKET]``."""
    if len(argv) == 2 and argv[0] == "--zygote":
        _zygote(argv[1])
        return
    path = os.environ.get(ZYGOTE_ENV)
    if path and _hand_over(path):
        return
    from pyspark import daemon

    preload()
    daemon.manager()


if __name__ == "__main__":
    main(sys.argv[1:])
