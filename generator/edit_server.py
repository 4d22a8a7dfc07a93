"""`casebook edit`: the local server behind the browser form (Decap CMS), owned by Casebook.

It serves the form page and speaks the protocol of Decap's local backend (the one ``decap-server`` speaks: POST
``/api/v1`` with an action and its params), so every read and every write of a record passes through here: a save
is checked as ``casebook validate`` checks a file and is written only when it passes, into the existing text
(edit_splice.py), and only when the file is still the one the form opened.

Safe on localhost: it listens on 127.0.0.1 only; answers only requests whose Host (and Origin, when sent) is
127.0.0.1 or localhost with its port, so a web page elsewhere cannot reach it, not even through DNS rebinding;
every address carries a token made at each start (``/<token>/admin/``, and the API at ``/<token>/api/v1``, which
the generated config gives Decap as its documented ``local_backend.url``); sends no CORS header at all; writes only
``cases/<id>.yaml``, never through a symbolic link; and deletes a record only when asked twice.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import stat
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .csp import EDIT_FORM_POLICY
from .edit_config import CASE_ID_FIELD, KEPT_OUT, OPENED_FIELD, form_config
from .edit_splice import MergeConflict, SpliceError, merge_saves, prune, splice
from .errors import Problem
from .load import MAX_FILE_BYTES, LoadError, format_loc, load_text, read_file
from .schema import CASE_ID_RE, MAX_ID_LENGTH, RESERVED_CASE_IDS, is_case_id, reserved_id_message
from .validate import check_file
from .vocabulary import Vocabulary
from .write import replace_file

PAGE = Path(__file__).resolve().parent.parent / "templates" / "edit_form.html"
MAX_REQUEST_BYTES = 4 * MAX_FILE_BYTES  # a record as JSON, escaped, with room to spare
DELETE_CONFIRM_SECONDS = 120
KEPT_VERSIONS = 2000  # versions of records kept in memory to lay a second save over the first (a few MB each 1,000)
_ASSET = re.compile(r"[A-Za-z0-9_.-]+\.(js|css|wasm|map|txt)")
_CONTENT_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                  "wasm": "application/wasm", "map": "application/json", "txt": "text/plain; charset=utf-8"}


class Refused(Exception):
    """A request the server answers with an error the form shows (``{"error": message}``)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class EditSite:
    """What one run of `casebook edit` serves: the project's records, the form and its token."""

    root: Path
    cases_dir: Path
    vocabulary: Vocabulary
    decap_dist: Path
    report: Callable[[str], None] = lambda message: None  # each save, deletion and refusal, for the terminal
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    port: int = 0
    _delete_requests: dict[str, float] = field(default_factory=dict)
    # Each version of a record this run served or wrote, by its sha256 (the last few thousand), and the versions
    # it wrote itself: a form that saves twice from the version it opened has its second save laid over the first.
    _versions: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    _written: set[str] = field(default_factory=set)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def folder(self) -> str:
        """The records' folder as the form names it, relative to the project."""
        return self.cases_dir.resolve().relative_to(self.root.resolve()).as_posix()

    def address(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{self.token}/admin/"

    def config(self) -> dict[str, Any]:
        """config.yml: the generated collection, with Decap's local backend pointed at this server."""
        collection = {**form_config(self.vocabulary), "folder": self.folder}
        return {
            "backend": {"name": "git-gateway"},  # never reached: the local backend below answers first
            "local_backend": {"url": f"http://127.0.0.1:{self.port}/{self.token}/api/v1",
                              "allowed_hosts": ["127.0.0.1", "localhost"]},
            "publish_mode": "simple",
            "media_folder": f"{self.folder}/.media",  # Decap requires one; the casebook keeps no media
            "locale": "en",
            "show_preview_links": False,  # Decap's preview is no page of the site: `casebook serve` shows those
            "collections": [collection],
        }

    # --- the records -----------------------------------------------------------------------------------------

    def case_path(self, relative: Any) -> Path:
        """The record a form path (``cases/<id>.yaml``) names; anything else is refused."""
        prefix = self.folder + "/"
        if not isinstance(relative, str) or not relative.startswith(prefix) or not relative.endswith(".yaml"):
            raise Refused(f"only records {prefix}<id>.yaml can be read or written here, not {relative!r}", 403)
        case_id = relative[len(prefix):-len(".yaml")]
        if not CASE_ID_RE.fullmatch(case_id) or len(case_id) > MAX_ID_LENGTH:
            raise Refused(f"{case_id[:60]!r} is not a case id: use lower-case ascii letters, digits and hyphens, "
                          f"at most {MAX_ID_LENGTH}", 403)
        if case_id in RESERVED_CASE_IDS:
            raise Refused(reserved_id_message(case_id), 403)
        if self.cases_dir.is_symlink():
            raise Refused(f"{self.folder}/ is a symbolic link: the form writes only into a real folder", 403)
        return self.cases_dir / f"{case_id}.yaml"

    def entry(self, relative: str, label: str | None = None) -> dict[str, Any]:
        """A record as decap-server gives it: its text and the sha256 of its bytes (null for no readable file).

        The text gets two lines of the form's own at its end (the case id and that sha256), so that a save says
        which version of the file it started from; they are never written back.
        """
        path = self.case_path(relative)
        file: dict[str, Any] = {"path": relative}
        if label is not None:
            file["label"] = label
        try:
            raw = read_file(path)
        except LoadError:
            return {"data": None, "file": {**file, "id": None}}
        sha = self.remember(raw)
        text = raw.decode("utf-8", errors="replace")
        own = yaml.safe_dump({CASE_ID_FIELD: path.stem, OPENED_FIELD: sha}, sort_keys=False)
        return {"data": text + ("" if text.endswith("\n") or not text else "\n") + own, "file": {**file, "id": sha}}

    def remember(self, raw: bytes) -> str:
        sha = hashlib.sha256(raw).hexdigest()
        with self._lock:
            self._versions[sha] = raw
            self._versions.move_to_end(sha)
            while len(self._versions) > KEPT_VERSIONS:
                self._versions.popitem(last=False)
        return sha

    def entries_in(self, folder: Any, extension: Any) -> list[dict[str, Any]]:
        if folder != self.folder or not self.cases_dir.is_dir():
            return []
        names = sorted(p.name for p in self.cases_dir.iterdir()
                       if p.name.endswith(f".{extension}") and is_case_id(p.stem)
                       and stat.S_ISREG(p.lstat().st_mode))
        return [self.entry(f"{self.folder}/{name}") for name in names]

    def persist(self, params: dict[str, Any]) -> dict[str, str]:
        files = params.get("dataFiles") or [params.get("entry")]
        if len(files) != 1 or not isinstance(files[0], dict):
            raise Refused("a save holds one record")
        data_file = files[0]
        if params.get("assets"):
            raise Refused("the casebook keeps no media: a record cannot carry uploaded files")
        if data_file.get("newPath"):
            raise Refused("a case cannot be renamed here: rename its file, then reload the form")
        path = self.case_path(data_file.get("path"))
        raw = data_file.get("raw")
        if not isinstance(raw, str):
            raise Refused("the save carries no record")
        try:
            sent = load_text(path, raw).data
        except LoadError as exc:
            raise Refused(f"the form sent a record that is not YAML: {exc.problem.message}") from None
        if not isinstance(sent, dict):
            raise Refused("the form sent a record that is not a mapping of fields")
        case_id = sent.pop(CASE_ID_FIELD, None)
        opened = sent.pop(OPENED_FIELD, None) or None
        if case_id not in (None, path.stem):
            raise Refused(f"the case id is the file name, {path.stem}: it cannot be changed here "
                          "(rename the file, then reload the form)")
        with self._lock:
            return self._write_checked(path, sent, opened)

    def _write_checked(self, path: Path, sent: dict[str, Any], opened: str | None) -> dict[str, str]:
        shown = f"{self.folder}/{path.name}"
        try:
            current: bytes | None = read_file(path)
        except LoadError as exc:
            if path.exists() or path.is_symlink():
                raise Refused(f"{shown}: {exc.problem.message}", 409) from None
            current = None
        if current is not None and opened is None:
            raise Refused(f"{shown} already exists: choose another case id, or open that case to edit it", 409)
        if current is None and opened is not None:
            raise Refused(f"{shown} was removed or renamed since you opened it: nothing was written", 409)
        text = current.decode("utf-8") if current is not None else _new_record_text(self.root, self.cases_dir)
        if current is not None:
            old = load_text(path, text).data
            if isinstance(old, dict):
                for key in [*KEPT_OUT, *(k for k in old if k not in sent and k not in self.form_fields)]:
                    if key in old:
                        sent[key] = old[key]  # what the form does not show stays as the file has it
            current_sha = hashlib.sha256(current).hexdigest()
            if not hmac.compare_digest(current_sha, opened or ""):
                sent = self.over_own_save(path, opened, old, sent, current_sha)
        try:
            new_text = splice(text, sent)
        except (SpliceError, LoadError, yaml.YAMLError) as exc:
            raise Refused(f"{shown}: the change could not be written into the file's text ({exc}); "
                          "nothing was written") from None
        problems = self.problems(path, new_text)
        if problems:
            raise Refused(f"{shown} was not saved: `casebook validate` would refuse it.\n" + "\n".join(
                f"• {p.field or '(record)'}: {p.message}" + (f" — {p.hint}" if p.hint else "") for p in problems))
        if new_text.encode("utf-8") != current:
            replace_file(path, new_text.encode("utf-8"))  # never through a link: read_file refused one above
            self._written.add(self.remember(new_text.encode("utf-8")))
            self.report(f"saved {shown}")
        return {"message": "entry persisted"}

    def over_own_save(self, path: Path, opened: str | None, current: Any, sent: dict, current_sha: str) -> Any:
        """The form's changes since the version it opened, laid over the file, when only this server has saved
        the file since then (the same form saving twice, or a second tab); else the save is refused."""
        shown = f"{self.folder}/{path.name}"
        base_raw = self._versions.get(opened or "")
        if current_sha not in self._written or base_raw is None:
            raise Refused(f"{shown} changed on disk since you opened it (another editor or program saved it): "
                          "nothing was written. Copy your changes, reload the case, and make them again.", 409)
        try:
            return merge_saves(prune(load_text(path, base_raw.decode("utf-8")).data), prune(current), prune(sent))
        except MergeConflict as exc:
            raise Refused(f"{shown}: {format_loc(exc.loc) or 'the record'} was changed by another save since you "
                          "opened the case, differently: nothing was written. Reload the case and make your "
                          "change again.", 409) from None

    @functools.cached_property
    def form_fields(self) -> set[str]:
        """The fields the form shows: made once, as the vocabulary is fixed for the server's life (a save asks for
        each key of the record)."""
        return {f["name"] for f in form_config(self.vocabulary)["fields"]}

    def problems(self, path: Path, text: str) -> list[Problem]:
        try:
            doc = load_text(path, text)
        except LoadError as exc:
            return [exc.problem]
        return list(check_file(path, doc, self.vocabulary).problems)

    def delete(self, paths: Any) -> dict[str, str]:
        """Deletes the records only when the same deletion is asked for a second time within two minutes."""
        if not isinstance(paths, list) or not paths:
            raise Refused("nothing to delete")
        targets = [self.case_path(p) for p in paths]
        key = "\n".join(sorted(paths))
        now = time.monotonic()
        with self._lock:
            asked = self._delete_requests.pop(key, None)
            if asked is None or now - asked > DELETE_CONFIRM_SECONDS:
                self._delete_requests[key] = now
                raise Refused(f"Deleting {', '.join(paths)} removes the case from the casebook. To confirm, choose "
                              f"Delete again within {DELETE_CONFIRM_SECONDS // 60} minutes.", 409)
            for target in targets:
                if target.is_symlink() or (target.exists() and not target.is_file()):
                    raise Refused(f"{target.name} is not a record file: nothing was deleted", 403)
            for target in targets:
                target.unlink(missing_ok=True)
                self.report(f"deleted {self.folder}/{target.name}")
        return {"message": f"deleted files {', '.join(paths)}"}

    def api(self, body: Any) -> tuple[int, Any]:
        """One call of the local-backend protocol: (status, JSON answer)."""
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            return 422, {"error": '"action" is required'}
        action, params = body["action"], body.get("params") or {}
        if not isinstance(params, dict):
            return 422, {"error": '"params" must be of type object'}
        try:
            if action == "info":
                return 200, {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
            if action == "entriesByFolder":
                return 200, self.entries_in(params.get("folder"), params.get("extension"))
            if action == "entriesByFiles":
                files = params.get("files") or []
                return 200, [self.entry(f.get("path"), f.get("label")) for f in files if isinstance(f, dict)]
            if action == "getEntry":
                return 200, self.entry(params.get("path"))
            if action == "persistEntry":
                return 200, self.persist(params)
            if action == "getMedia":
                return 200, []
            if action in ("getMediaFile", "persistMedia"):
                raise Refused("the casebook keeps no media")
            if action == "deleteFile":
                return 200, self.delete([params.get("path")])
            if action == "deleteFiles":
                return 200, self.delete(params.get("paths"))
            if action == "getDeployPreview":
                return 200, None
        except Refused as exc:
            if action in ("persistEntry", "deleteFile", "deleteFiles"):
                self.report(f"refused: {exc}")
            return exc.status, {"error": str(exc)}
        return 422, {"error": f"Unknown action {action}"}


def _new_record_text(root: Path, cases_dir: Path) -> str:
    """What a new record starts with: the line that gives editors' YAML tools the schema (as `casebook new`)."""
    schema = os.path.relpath(root / "case.schema.json", cases_dir)
    return f"# yaml-language-server: $schema={schema}\n"


class EditHandler(http.server.BaseHTTPRequestHandler):
    """The form's pages and API; every request is checked before anything is read."""

    site: EditSite
    server_version = "casebook-edit"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def allowed(self) -> str | None:
        """The rest of the path after the token, or None when the request is refused (already answered)."""
        port = self.site.port
        hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        if self.headers.get("Host") not in hosts:
            return self.refuse(421, "this server answers only to 127.0.0.1 and localhost")
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{host}" for host in hosts}:
            return self.refuse(403, "requests from other sites are refused")
        prefix = f"/{self.site.token}/"
        path = urlsplit(self.path).path
        if not hmac.compare_digest(path[:len(prefix)].encode(), prefix.encode()):
            return self.refuse(404, "open the address `casebook edit` printed: it carries this run's token")
        return path[len(prefix):]

    def refuse(self, status: int, message: str) -> None:
        self.send(status, json.dumps({"error": message}).encode(), "application/json")
        return None

    def send(self, status: int, body: bytes, content_type: str, policy: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if policy:
            self.send_header("Content-Security-Policy", EDIT_FORM_POLICY)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        rest = self.allowed()
        if rest is None:
            return
        if rest in ("admin/", "admin/index.html"):
            self.send(200, PAGE.read_bytes(), "text/html; charset=utf-8", policy=True)
        elif rest == "admin/config.yml":
            text = yaml.safe_dump(self.site.config(), allow_unicode=True, sort_keys=False)
            self.send(200, text.encode("utf-8"), "text/yaml; charset=utf-8")
        elif rest.startswith("admin/") and _ASSET.fullmatch(rest[len("admin/"):]) \
                and (self.site.decap_dist / rest[len("admin/"):]).is_file():
            name = rest[len("admin/"):]
            self.send(200, (self.site.decap_dist / name).read_bytes(), _CONTENT_TYPES[name.rsplit(".", 1)[1]])
        else:
            self.refuse(404, "not found")

    def do_POST(self) -> None:
        rest = self.allowed()
        if rest is None:
            return
        if rest != "api/v1":
            self.refuse(404, "not found")
            return
        if self.headers.get_content_type() != "application/json":
            self.refuse(415, "send JSON")  # a form or a simple request from another page never gets this far
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self.refuse(413, "the request is too large for a record")
            return
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            self.refuse(400, "the request is not JSON")
            return
        status, answer = self.site.api(body)
        self.send(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def do_OPTIONS(self) -> None:  # no CORS preflight is ever granted
        if self.allowed() is not None:
            self.refuse(403, "requests from other sites are refused")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS


def make_server(site: EditSite, port: int = 0) -> http.server.ThreadingHTTPServer:
    """The server on 127.0.0.1 (``port`` 0: a free one); ``site.port`` is set to the port it got."""
    handler = type("BoundEditHandler", (EditHandler,), {"site": site})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    return server
