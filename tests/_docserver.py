"""Code run as ``python -c`` or ``python -m`` would run it, in processes forked from a warm one.

A fresh interpreter that imports the package takes about 0.6 s; most documentation blocks
take a fraction of that to run. A *server* is a fresh ``python`` that has imported some
modules (those every block or command imports) and then waits on a Unix socket. Each request
brings the code (Python source, or a module and its arguments) and the requester's working
directory, environment and standard streams (file descriptors passed over the socket). The
server forks a *worker*, which takes on the directory, environment and streams, runs the
code as ``__main__`` and exits with the status the interpreter would give: 0, SystemExit's
code, or 1 after the traceback of an uncaught exception. The server replies with that status
(-N: killed by signal N), or kills the worker if the requester goes away first (its
timeout).

Servers come in *stages* (``serve PATH MODULES [PATH MODULES]...``): each imports its modules
on top of the stage before, in a process forked from that one's, and answers on its own
socket; so that requests which need few modules do not find more loaded than they import.

Every worker starts from its server's state, never from another request's: what a block
changes (a module's attributes, a cache, the environment, the directory) ends with it. A
request whose environment changes what python reads as it starts (``PYTHON*``, the locale,
the time zone, matplotlib's settings) runs in a fresh interpreter instead.

The *client* (``python -I -S _docserver.py client MODULE ARGS...``) stands in for a command:
it sends its own directory, environment and streams, and exits with the reply. Its start is
most of a command's cost, so this module imports only cheap parts of the standard library.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import gc
import importlib
import marshal
import os
import runpy
import select
import signal
import socket
import struct
import sys
import types

TYPE_CHECKING = False  # typing is imported for the type checker only: the client's start
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, NoReturn

#: The environment variable that names the server's socket to the client.
SOCKET = "DOCSERVER_SOCKET"
#: What the server prints once its first stage is ready for requests.
READY = "ready"
_HEADER = struct.Struct("!I")  # the length of the request that follows (marshal's format)
_STATUS = struct.Struct("!i")  # the worker's exit status; -N: killed by signal N
#: The environment variables that a request may not change from the server's without a
#: fresh interpreter: those read as python starts and as the preloaded modules are imported.
_STARTUP = ("PYTHON", "LC_", "LANG", "TZ", "MPL")


def request(
    path: str, message: dict[str, Any], streams: Sequence[int], timeout: float | None = None
) -> int:
    """Run ``message`` in a worker of the server at ``path``, with ``streams`` as its stdin,
    stdout and stderr; its exit status, -N if signal N killed it.

    ``message`` has ``cwd``, ``env`` and either ``code`` (Python source, run as ``python -c``)
    or ``module`` and ``argv`` (run as ``python -m module argv...``).

    Raises:
        TimeoutError: no status within ``timeout`` seconds; the worker is killed.
        ConnectionError: the server went away without a status.
    """
    data = marshal.dumps(message)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        socket.send_fds(sock, [_HEADER.pack(len(data))], list(streams))
        sock.sendall(data)
        (status,) = _STATUS.unpack(_read(sock, _STATUS.size))
    return int(status)


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError(f"closed after {len(data)} of {size} bytes")
        data += chunk
    return data


def client(module: str, argv: Sequence[str]) -> NoReturn:
    """Run ``python -m module argv...`` in the server named by :data:`SOCKET`, with this
    process's directory, environment and streams; exit with its status (as a shell would
    report a signal: 128 + N)."""
    message = {"module": module, "argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ)}
    status = request(os.environ[SOCKET], message, (0, 1, 2))
    sys.exit(status if status >= 0 else 128 - status)


def serve(stages: Sequence[tuple[str, Sequence[str]]]) -> NoReturn:
    """Serve requests on a Unix socket per stage until stdin closes: each stage a path and
    modules to import (each one that is installed) on top of the stage before, its server
    forked from that stage's. Every socket listens from the start (a request waits until its
    stage is ready); :data:`READY` is printed once the first stage is."""
    sys.path.pop(0)  # this file's directory: a worker puts its own first entry back
    listeners = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in stages]
    for listener, (path, _) in zip(listeners, stages, strict=True):
        listener.bind(path)
        listener.listen(16)
    listener, after = _stage(stages, listeners)
    gc.freeze()  # the workers' collections leave the imported modules' objects alone
    wake, woken = os.pipe()  # SIGCHLD writes to it, so that select wakes when a worker ends
    os.set_blocking(wake, False)
    os.set_blocking(woken, False)
    signal.set_wakeup_fd(woken)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    workers: dict[int, socket.socket | None] = {}  # each one's requester (None: gone)
    if listener is listeners[0]:
        print(READY, flush=True)
    while True:
        waiting = {conn.fileno(): pid for pid, conn in workers.items() if conn}
        ready, _, _ = select.select([listener, sys.stdin, wake, *waiting], [], [], 1.0)
        with contextlib.suppress(BlockingIOError):
            os.read(wake, 4096)
        _reply(workers)
        if sys.stdin in ready:  # end of file: the session is over
            break
        for pid in (waiting[fd] for fd in ready if fd in waiting):
            _drop_if_gone(workers, pid)
        if listener in ready:
            _start(listener, workers)
    os.unlink(listener.getsockname())
    for pid in workers:  # requests still running when the session ends
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    if after:  # the next stage's server: it has seen the end of stdin too
        with contextlib.suppress(ChildProcessError):
            os.waitpid(after, 0)
    os._exit(0)  # nothing to flush, and no need to tear the imported modules down


def _stage(
    stages: Sequence[tuple[str, Sequence[str]]], listeners: Sequence[socket.socket]
) -> tuple[socket.socket, int]:
    """Import each stage's modules in turn, forking after each for the next stage: the
    socket of the stage this process serves (the others closed), and the process id of the
    next stage's server (0 for the last stage)."""
    for number, ((_, preload), listener) in enumerate(zip(stages, listeners, strict=True), 1):
        for name in filter(None, preload):
            with contextlib.suppress(ImportError):  # an extra not installed: blocks skip
                importlib.import_module(name)
        after = 0 if number == len(stages) else os.fork()
        if number == len(stages) or after:  # the parent serves this stage; its child goes on
            for other in listeners:
                if other is not listener:
                    other.close()
            return listener, after
    raise ValueError("a server needs at least one stage")


def _start(listener: socket.socket, workers: dict[int, socket.socket | None]) -> None:
    """Accept a request and fork its worker (a broken request is said in the log)."""
    conn, _ = listener.accept()
    try:
        conn.settimeout(10)  # a requester sends its request at once
        head, streams, _, _ = socket.recv_fds(conn, _HEADER.size, 3)
        if len(head) != _HEADER.size or len(streams) != 3:
            raise ValueError(f"a request needs a header and 3 streams: {head!r}, {streams}")
        message = marshal.loads(_read(conn, _HEADER.unpack(head)[0]))
    except (OSError, ValueError, EOFError, TypeError):
        sys.excepthook(*sys.exc_info())
        conn.close()
        return
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        for other in (listener, conn, *filter(None, workers.values())):
            other.close()
        _work(message, streams)
    with contextlib.suppress(OSError):  # the worker's own group, whichever runs first
        os.setpgid(pid, pid)
    for fd in streams:
        os.close(fd)
    workers[pid] = conn


def _reply(workers: dict[int, socket.socket | None]) -> None:
    """Send each ended worker's exit status to its requester, if it is still there."""
    with contextlib.suppress(ChildProcessError):
        while (ended := os.waitpid(-1, os.WNOHANG))[0]:
            conn = workers.pop(ended[0], None)
            if conn is not None:
                with contextlib.suppress(OSError), conn:
                    conn.sendall(_STATUS.pack(os.waitstatus_to_exitcode(ended[1])))


def _drop_if_gone(workers: dict[int, socket.socket | None], pid: int) -> None:
    """Kill the worker ``pid`` if its requester went away (its timeout)."""
    conn = workers[pid]
    if conn is not None and _gone(conn):
        conn.close()
        workers[pid] = None
        with contextlib.suppress(ProcessLookupError):  # it has just ended
            os.killpg(pid, signal.SIGKILL)


def _gone(conn: socket.socket) -> bool:
    """Whether the requester closed its end (it sends nothing after its request)."""
    try:
        return not conn.recv(1)
    except ConnectionResetError:
        return True


def _work(message: dict[str, Any], streams: Sequence[int]) -> NoReturn:
    """Become the request's process, run its code and exit as the interpreter would."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    for target, fd in enumerate(streams):
        os.dup2(fd, target)
    for fd in streams:
        os.close(fd)
    os.chdir(message["cwd"])
    if _startup(message["env"]) != _startup(os.environ):  # a fresh interpreter would differ
        command = ["-c", message["code"]] if "code" in message else ["-m", message["module"]]
        argv = [sys.executable, *command, *message.get("argv", ())]
        os.execve(sys.executable, argv, message["env"])
    os.environ.clear()
    os.environ.update(message["env"])
    status = _run(message)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, as at an interpreter's exit
            stream.flush()
    os._exit(status)


def _startup(env: Mapping[str, str]) -> dict[str, str]:
    """The variables of ``env`` that python reads as it starts, or that the imported modules
    read as they are imported (locale, time zone, matplotlib's settings)."""
    return {name: value for name, value in env.items() if name.startswith(_STARTUP)}


def _run(message: dict[str, Any]) -> int:
    """Run the request's code as ``__main__``, as ``python -c`` or ``python -m`` would; its
    exit status."""
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = main
    try:
        if "code" in message:
            sys.argv[:] = ["-c"]
            sys.path.insert(0, "")
            exec(compile(message["code"], "<string>", "exec"), main.__dict__)
        else:
            sys.argv[:] = ["-m", *message["argv"]]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(message["module"], run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        return _exit_status(stop.code)
    except BaseException as error:  # its traceback from the code's frame, as python's
        assert error.__traceback__ is not None
        error = error.with_traceback(error.__traceback__.tb_next)
        sys.excepthook(type(error), error, error.__traceback__)
        return 1
    return 0


def _exit_status(code: object) -> int:
    """The status of ``SystemExit(code)``: None is 0, an int itself, anything else is
    printed to stderr and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "serve":  # serve PATH MODULE,MODULE... [PATH MODULE,MODULE...]...
        paths, modules = sys.argv[2::2], sys.argv[3::2]
        serve([(path, names.split(",")) for path, names in zip(paths, modules, strict=True)])
    else:
        client(sys.argv[2], sys.argv[3:])
