"""The preview command: build, serve, rebuild on every change, and stop cleanly on a signal.

A failed rebuild keeps the last good output on disk (the build guarantees that), so the
server keeps serving it and sends the problems to open pages, which draw them as an overlay.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import queue
import shutil
import signal
import socket
import sys
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import load_config
from ..problems import ConfigError, format_text, sorted_problems
from ..vocab.locations import CACHE_DIR
from .http import Audience, Responder
from .listen import Listener, open_listener
from .stream import PreviewState, problems_payload
from .watch import SiteWatcher


def serve(
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = False,
    open_browser: bool = False,
    out_dir: Path | None = None,
    quiet: bool = False,
) -> int:
    """Build the site, serve it, rebuild on change and reload open pages; the exit status."""
    site_dir = site_dir.resolve()
    try:
        config = load_config(site_dir)
    except ConfigError as exc:
        print(format_text(sorted_problems(exc.problems)), file=sys.stderr)
        return 2
    scratch = None if out_dir is not None else Path(tempfile.mkdtemp(prefix="counterpoint-serve-"))
    root = (out_dir if out_dir is not None else scratch / "public").resolve()
    try:
        try:
            sock = open_listener(host, port)
        except OSError as exc:
            print(_bind_error(host, port, exc), file=sys.stderr)
            return 2
        state = PreviewState(root, config.base_path)
        listener = Listener(sock, Responder(state, Audience.of(host, sock.getsockname()[1])).answer)
        with _stop_on_sigterm():
            return _run(listener, state, site_dir, config.output, drafts, open_browser, quiet,
                        keep_state=out_dir is not None)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(
    listener: Listener,
    state: PreviewState,
    site_dir: Path,
    output: str,
    drafts: bool,
    open_browser: bool,
    quiet: bool,
    keep_state: bool = True,
) -> int:
    """Build, then serve until Ctrl-C, rebuilding whenever the watcher reports a change.

    `keep_state`: write each build's state to the site's cache; not for a throwaway output
    folder, so that the state of the last `build` into the real one is kept.
    """
    from ..build import Memory  # imported here: the build pipeline is heavy and serving is rare

    # each build hands the next the parsed, linked site
    memory = Memory(watched=True, persist=keep_state)
    changes: queue.Queue[set[Path]] = queue.Queue()
    ignored = (state.root, (site_dir / output).resolve(), site_dir / CACHE_DIR)
    watcher = SiteWatcher(site_dir, ignored, changes.put)
    try:
        watcher.start()  # before the first build: an edit made while it runs is not lost
        if not rebuild(site_dir, state, drafts=drafts, quiet=quiet, first=True, memory=memory):
            return 2
        listener.start()
        host, _port = listener.address
        url = _display_url(listener, state.base_path)
        print(f"Serving {url} (Ctrl-C to stop)", flush=True)
        if not _is_loopback(listener):
            print(f"warning: the preview is reachable from other machines on the network; it answers "
                  f"requests addressed to {host} (or localhost) only", file=sys.stderr)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        warm = False
        while True:
            try:
                # A timeout, because Ctrl-C may be delivered to another thread: a blocked main
                # thread would only see it at the next change. Until every card is rendered,
                # idle time goes to rendering them, a few at a time, so edits render less.
                changed = changes.get(timeout=0.25 if warm else 0)
            except queue.Empty:
                _search(memory, quiet)  # writes the search index once made
                warm = warm or memory.warm(0.02)
                continue
            while not changes.empty():
                changed |= changes.get_nowait()
            if not quiet:
                names = sorted(str(p.relative_to(site_dir)) for p in changed if p.is_relative_to(site_dir))
                print(f"Changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}", flush=True)
            memory.touch(p.relative_to(site_dir).as_posix() for p in changed if p.is_relative_to(site_dir))
            rebuild(site_dir, state, drafts=drafts, quiet=quiet, memory=memory)
            warm = False
    except KeyboardInterrupt:
        _ignore_interrupts()
        print("\nStopped.", flush=True)
        return 0
    finally:
        watcher.stop_event.set()
        state.close()
        listener.close()
        watcher.stop()


def rebuild(site_dir: Path, state: PreviewState, *, drafts: bool, quiet: bool, first: bool = False,
            memory: Any = None) -> bool:
    """Build once and tell open pages; False only for a broken site.toml on the first build.

    `memory` (a build.Memory) carries what one build learned to the next.
    """
    from ..build import build_site  # imported here: the build pipeline is heavy and serving is rare

    try:
        result = build_site(site_dir, out_dir=state.root, drafts=drafts, serving=True, memory=memory)
    except ConfigError as exc:
        print(format_text(sorted_problems(exc.problems)), file=sys.stderr, flush=True)
        if first:
            return False
        state.failed(problems_payload(exc.problems))
        print("Build failed: still serving the last good build.", file=sys.stderr, flush=True)
        return True
    except Exception as exc:  # a bug in the build must not take the preview down
        traceback.print_exc()
        state.failed(
            {
                "problems": [
                    {
                        "path": "(counterpoint)",
                        "line": 1,
                        "column": 1,
                        "severity": "error",
                        "message": f"internal error: {type(exc).__name__}: {exc}",
                        "hint": None,
                    }
                ],
                "count": "the build crashed; see the terminal",
            }
        )
        return True
    problems = sorted_problems(result.problems)
    if result.ok:
        if problems and not quiet:
            print(format_text(problems), file=sys.stderr, flush=True)
        if not quiet:
            print(
                f"Built in {result.seconds:.2f} s ({result.written} written, {result.unchanged} unchanged)",
                flush=True,
            )
        state.built(_base_path(site_dir, state.base_path))
        _search(memory, quiet)  # after the reload: the search index is made beside the next builds
        note = memory.save() if memory is not None else None  # after the reload: the state is for next time
        if note and not quiet:
            print(f"note: {note}", file=sys.stderr, flush=True)
    else:
        print(format_text(problems), file=sys.stderr, flush=True)
        state.failed(problems_payload(problems))
        note = "still serving the last good build" if state.has_output() else "nothing to serve yet"
        print(f"Build failed: {note}.", file=sys.stderr, flush=True)
    if memory is not None:
        memory.tidy()  # after the pages were told: off the path of the reload
    return True


def _search(memory: Any, quiet: bool) -> None:
    """Start or finish bringing the search index up to date (Memory.search); say what it warned of."""
    if memory is None:
        return
    try:
        later = memory.search()
    except Exception:  # a bug in the refresh must not take the preview down
        traceback.print_exc()
        memory.state = None  # the next build starts afresh
        return
    if later and not quiet:
        print(format_text(sorted_problems(later)), file=sys.stderr, flush=True)
    note = memory.save()
    if note and not quiet:
        print(f"note: {note}", file=sys.stderr, flush=True)


def _base_path(site_dir: Path, fallback: str) -> str:
    """The base path now in site.toml (it may have been edited), or the one served so far."""
    try:
        return load_config(site_dir).base_path
    except ConfigError:
        return fallback


def _display_url(listener: Listener, base_path: str) -> str:
    host, port = listener.address
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{shown}:{port}{base_path}"


def _is_loopback(listener: Listener) -> bool:
    try:
        return ipaddress.ip_address(listener.address[0]).is_loopback
    except ValueError:
        return False


def _bind_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"error: port {port} on {host} is already in use (another 'counterpoint serve'?); "
            f"stop it or choose another port with --port"
        )
    if exc.errno == errno.EACCES:
        return f"error: not allowed to listen on port {port}; choose a port above 1023 with --port"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"error: cannot listen on host '{host}': {exc.strerror or exc}"
    return f"error: cannot listen on {host}:{port}: {exc.strerror or exc}"


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so the temporary output is removed either way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = {
        signal.SIGINT: signal.getsignal(signal.SIGINT),
        signal.SIGTERM: signal.signal(signal.SIGTERM, interrupt),
    }
    try:
        yield
    finally:
        # Once stopping, interrupts stay ignored: the temporary output is still to be removed,
        # and a second Ctrl-C soon after the first must not cut that short.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            for number, handler in previous.items():
                signal.signal(number, handler)


def _ignore_interrupts() -> None:
    """While shutting down, a second Ctrl-C must not interrupt the cleanup with a traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
