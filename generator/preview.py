"""What `casebook serve` adds to MkDocs' preview server, through its documented ``on_serve`` event and the server's
public methods only (mkdocs_hook.on_serve): a guard in front of its WSGI application, and a watch on the cases
folder that survives the folder being moved away and back.

The guard. The preview serves drafts and, on /problems/, the project's local paths. A page on another site can
reach it through DNS rebinding (a name of its own that resolves to 127.0.0.1): the browser then sends that name as
the Host, so only the preview's own names are answered, and the others get 403 with a message. A path with a NUL
byte or bytes that are no UTF-8 is answered 400 (MkDocs' server failed on it with a traceback and 500).

The cases folder. MkDocs' watcher stops for good when the folder it watches disappears, and says nothing; a watch on
the folder that holds it notices the cases folder going and coming back, says so, watches it again and has the
preview regenerated (by a file the preview writes into a folder the server watches: its public ``watch``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .errors import display_path
from .write import replace_file

ALLOWED_HOSTS = "CASEBOOK_ALLOW_HOSTS"  # `casebook serve --allow-host NAME`: names added, comma-separated
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::", "[::]")  # listening on every address names no host a browser would send
log = logging.getLogger("mkdocs.casebook.preview")

App = Callable[[dict, Callable], Iterable[bytes]]


def allowed_names(listen_host: str, extra: Iterable[str] = ()) -> set[str]:
    """The host names the preview answers to: its local names, the ``-a`` host unless a wildcard, and ``extra``."""
    host = f"[{listen_host}]" if ":" in listen_host and not listen_host.startswith("[") else listen_host
    names = {*LOCAL_NAMES, *(name.strip().lower() for name in extra if name.strip())}
    if host.lower() not in WILDCARDS:
        names.add(host.lower())
    return names


def host_allowed(header: str, names: set[str], port: int) -> bool:
    """Whether a request's Host header names the preview: one of ``names``, with the port it listens on."""
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header.partition("]")
        name, port_text = name + "]", rest.removeprefix(":") if rest.startswith(":") else None
        if rest and port_text is None:
            return False
    else:
        name, colon, port_text = header.partition(":")
        port_text = port_text if colon else None
    if port_text is None:
        return name in names and port == 80
    return name in names and port_text == str(port)


def guarded(app: App, names: set[str], port: int) -> App:
    """``app`` behind the guard: 403 for a Host that is not the preview's, 400 for a path that is not text."""
    shown = ", ".join(f"{name}:{port}" for name in sorted(names))

    def guard(environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "")
        if not host_allowed(host, names, port):
            log.info(f"refused a request for the host {host!r}: not a name of the preview")
            return _answer(start_response, "403 Forbidden",
                           f"This preview answers only requests addressed to {shown}; this one was addressed to "
                           f"{host!r}. A page of another site must not read the preview. To open it under another "
                           "name, start it with `casebook serve --allow-host NAME`.\n")
        path = environ.get("PATH_INFO", "").encode("latin-1")  # WSGI gives the path's bytes as Latin-1 text
        try:
            if b"\0" in path:
                raise ValueError
            path.decode("utf-8")
        except ValueError:
            return _answer(start_response, "400 Bad Request",
                           "The address holds a NUL byte or bytes that are not UTF-8 text: no page has such a path.\n")
        return app(environ, start_response)

    return guard


def _answer(start_response: Callable, status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class CasesWatch(FileSystemEventHandler):
    """Watches the folder that holds the cases folder: when the cases folder goes, says so and has the preview
    show it; when it comes back, watches it again (MkDocs' watch of it has stopped) and has the preview regenerated.
    """

    def __init__(self, server, cases_dir: Path, wake_dir: Path) -> None:
        self.server, self.cases_dir, self.wake = server, cases_dir, wake_dir / "wake"
        self.present = cases_dir.is_dir()
        self.lock = threading.Lock()
        wake_dir.mkdir(parents=True, exist_ok=True)
        server.watch(str(wake_dir))
        server.observer.schedule(self, str(cases_dir.parent), recursive=False)

    def on_any_event(self, event: FileSystemEvent) -> None:
        with self.lock:
            present = self.cases_dir.is_dir()
            if present == self.present:
                return
            self.present = present
            shown = display_path(self.cases_dir)
            if present:
                log.info(f"the cases folder {shown} is back: watching it again and regenerating the preview")
                self.server.unwatch(str(self.cases_dir))
                self.server.watch(str(self.cases_dir))
            else:
                log.warning(f"the cases folder {shown} was moved away or removed: the preview keeps the pages it "
                            "last made and says so until the folder is back")
            replace_file(self.wake, str(os.getpid()).encode() + os.urandom(8).hex().encode())  # a change to see
