"""The Python daemon of Spark executors for eventcoder: it loads the coding engine once, then forks.

PySpark starts one daemon per executor (``python -m pyspark.daemon``) and forks a Python worker
from it for each task slot. With ``spark.python.daemon.module=eventcoder.engines.spark_daemon`` (set by
:func:`eventcoder.engines.spark.spark_context`) the daemon first imports the stages and loads the
spaCy model, lexicons and gazetteer of the prefilter mode in ``EVENTCODER_PREFILTER`` (else
``settings.PREFILTER``), so every worker starts with them in (copy-on-write) memory instead of
loading them itself. Nothing in the loading starts a thread, which the daemon requires before it
forks.

**Preloading while the JVM starts (local mode).** The JVM asks for the daemon only when the first
Python task runs, so its ~2 s of loading would sit on the run's critical path. In ``local[N]`` the
driver therefore first starts a *zygote* (:func:`start_zygote`): a process that loads the engine
while the JVM starts, then accepts on a Unix socket (bound by the driver, named in
``EVENTCODER_SPARK_ZYGOTE``). When the JVM launches this module as its daemon, the launched
process hands the zygote its standard streams (the JVM's pipes) and environment
(:func:`_hand_over`); the zygote takes them and runs PySpark's daemon loop, so the JVM talks to an
already loaded daemon. The launched process stays as its stand-in until the zygote ends, and
passes a SIGTERM on. Without a zygote (a cluster, a
second session, a zygote that died: nothing listens, the connection is refused) the launched
process loads the engine and runs the loop itself, as before. An unused zygote leaves when the
driver does (its standard input is the driver's pipe).
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

#: Names the Unix socket of a zygote waiting to become the executors' daemon.
ZYGOTE_ENV = "EVENTCODER_SPARK_ZYGOTE"
_HEADER = 16  # bytes of the handover's first message: the length of the JSON that follows


def preload() -> None:
    """Load the engine the coding partitions will use (spark_executor.engine keeps it) and the
    MinHash permutations of their LSH band keys."""
    from eventcoder.util.threads import loading

    with loading():  # the imports (spaCy, scipy) too
        from eventcoder import settings
        from eventcoder.engines.spark_executor import RECYCLED_NUM_PERM, engine
        from eventcoder.pipeline.merge import prepare_recycled

        mode = os.environ.get("EVENTCODER_PREFILTER", settings.PREFILTER or "off")
        engine(None if mode == "off" else mode).load()
        prepare_recycled(RECYCLED_NUM_PERM)


def start_zygote() -> subprocess.Popen[bytes]:
    """Start a zygote that preloads the engine now and becomes the daemon the JVM asks for later;
    names its socket in this process's environment, which the JVM (started next) inherits.

    The socket listens before the zygote starts (this process binds it and hands it over), so the
    launched daemon can always connect at once: while the zygote loads, its connection waits in
    the backlog; if the zygote has died, nothing listens and it is refused at once."""
    import atexit
    import shutil

    directory = tempfile.mkdtemp(prefix="eventcoder-zygote-")
    atexit.register(shutil.rmtree, directory, True)  # left behind only if the zygote died
    path = os.path.join(directory, "daemon.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
        server.listen(1)
        # PySpark gives its Python workers PYTHONHASHSEED (0 unless set); a seed is fixed at start-up
        env = dict(os.environ, PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"))
        proc = subprocess.Popen(
            [sys.executable, "-m", "eventcoder.engines.spark_daemon", "--zygote", str(server.fileno()), path],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            pass_fds=[server.fileno()])
    finally:
        server.close()  # the zygote holds the only copy
    os.environ[ZYGOTE_ENV] = path
    return proc


def _zygote(fd: int, path: str) -> None:
    """Zygote side: load, wait for the JVM's launched daemon (or the driver's exit), then take over
    the launched process's streams, environment and directory and run PySpark's daemon."""
    server = socket.socket(fileno=fd)
    try:
        preload()
        from pyspark import daemon
    except Exception:  # the launched process is refused (or sees its connection close) and loads itself
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
    for target, received in enumerate(fds):  # the JVM's pipes: requests in, the port out, logs
        os.dup2(received, target)
        os.close(received)
    os.environ.update(state["env"])  # the worker secret, SPARK_* settings, as the JVM set them
    os.chdir(state["cwd"])
    conn.sendall(str(os.getpid()).encode())
    daemon.manager()  # never returns: exits when the JVM closes our standard input


def _remove(path: str) -> None:
    """Remove the zygote's socket and its temporary directory (if still there)."""
    import shutil

    shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def _hand_over(path: str) -> bool:
    """Launched side: give the zygote this process's streams, environment and directory, then stand
    in for it until it ends (forwarding SIGTERM). False when no zygote takes over."""
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
    """``python -m eventcoder.engines.spark_daemon [--zygote FD SOCKET]``."""
    if len(argv) == 3 and argv[0] == "--zygote":
        _zygote(int(argv[1]), argv[2])
        return
    path = os.environ.get(ZYGOTE_ENV)
    if path and _hand_over(path):
        return
    from pyspark import daemon

    preload()
    daemon.manager()


if __name__ == "__main__":
    main(sys.argv[1:])
