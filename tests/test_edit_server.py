"""The edit server's local-backend protocol, checked against decap-server itself, its saves and its refusals."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.edit_server import EditSite, make_server
from generator.vocabulary import load_vocabulary
from tests.real_cases import ROOT

DECAP = ROOT / "tools" / "decap"
REAL_RECORDS = sorted((ROOT / "cases").glob("*.yaml"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's records and vocabulary."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy2(ROOT / "vocabulary.yaml", tmp_path / "vocabulary.yaml")
    return tmp_path


@contextlib.contextmanager
def edit_server(project: Path) -> Iterator[EditSite]:
    site = EditSite(project, project / "cases", load_vocabulary(project / "vocabulary.yaml"),
                    DECAP / "node_modules" / "decap-cms" / "dist")
    server = make_server(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def site(project: Path) -> Iterator[EditSite]:
    with edit_server(project) as running:
        yield running


def request(port: int, method: str, path: str, body: object = None, headers: dict | None = None,
            host: str | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Host": host or f"127.0.0.1:{port}", **({"Content-Type": "application/json"} if body is not None else {}),
            **(headers or {})}
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=sent)
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return answer


def api(site: EditSite, action: str, params: dict | None = None, **options) -> tuple[int, object]:
    body = {"action": action, "params": {"branch": "main", **(params or {})}}
    status, _, raw = request(site.port, "POST", f"/{site.token}/api/v1", body, **options)
    return status, json.loads(raw)


def form_save(site: EditSite, path: str, raw: str) -> tuple[int, object]:
    """A save exactly as Decap's proxy backend sends it."""
    return api(site, "persistEntry", {
        "dataFiles": [{"slug": Path(path).stem, "path": path, "raw": raw}], "assets": [],
        "options": {"collectionName": "cases", "commitMessage": f"Update Cases “{Path(path).stem}”",
                    "useWorkflow": False, "status": "draft"}})


def as_decap_writes(entry_text: str) -> str:
    """The entry's text as Decap writes it back after a save with nothing changed: its own YAML style."""
    with_form_fields = yaml.safe_load(entry_text)
    return yaml.safe_dump(with_form_fields, allow_unicode=True, sort_keys=False, width=80)


# --- the records -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("record", REAL_RECORDS, ids=lambda p: p.stem)
def test_saving_a_real_record_unchanged_through_the_protocol_leaves_it_byte_identical(site: EditSite, record: Path):
    path = f"cases/{record.name}"
    before = (site.cases_dir / record.name).read_bytes()
    status, entry = api(site, "getEntry", {"path": path})
    assert status == 200 and entry["file"]["id"] == hashlib.sha256(before).hexdigest()
    assert form_save(site, path, as_decap_writes(entry["data"])) == (200, {"message": "entry persisted"})
    assert (site.cases_dir / record.name).read_bytes() == before


def test_a_changed_title_changes_only_its_line(site: EditSite):
    path = "cases/hunan-industry-polytechnic.yaml"
    before = (site.root / path).read_text(encoding="utf-8")
    _, entry = api(site, "getEntry", {"path": path})
    data = yaml.safe_load(entry["data"])
    data["title"]["en"] = "Hunan Industry Polytechnic and Hongjiang Vocational Secondary School, twinned"
    assert form_save(site, path, yaml.safe_dump(data, allow_unicode=True))[0] == 200
    after = (site.root / path).read_text(encoding="utf-8")
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff == ["-  en: Hunan Industry Polytechnic twins with Hongjiang Vocational Secondary School",
                    "+  en: Hunan Industry Polytechnic and Hongjiang Vocational Secondary School, twinned"]


def test_a_save_over_a_file_changed_on_disk_is_refused(site: EditSite):
    path = "cases/hunan-industry-polytechnic.yaml"
    _, entry = api(site, "getEntry", {"path": path})
    changed_elsewhere = (site.root / path).read_text(encoding="utf-8") + "# a line another editor added\n"
    (site.root / path).write_text(changed_elsewhere, encoding="utf-8")
    data = yaml.safe_load(entry["data"])
    data["title"]["en"] = "Changed in the form"
    status, answer = form_save(site, path, yaml.safe_dump(data, allow_unicode=True))
    assert status == 409 and "changed on disk since you opened it" in answer["error"]
    assert (site.root / path).read_text(encoding="utf-8") == changed_elsewhere


def test_the_form_saving_twice_from_the_version_it_opened_keeps_both_changes(site: EditSite):
    """Decap keeps the version it opened until the case is reloaded: its second save is laid over its first."""
    path = "cases/hunan-industry-polytechnic.yaml"
    _, entry = api(site, "getEntry", {"path": path})
    data = yaml.safe_load(entry["data"])
    data["title"]["en"] = "First change"
    assert form_save(site, path, yaml.safe_dump(data, allow_unicode=True))[0] == 200
    data["reporter"]["city"]["en"] = "Changsha city"
    assert form_save(site, path, yaml.safe_dump(data, allow_unicode=True))[0] == 200
    text = (site.root / path).read_text(encoding="utf-8")
    assert "  en: First change\n" in text and "city: {zh: 长沙市, en: Changsha city}" in text


def test_two_tabs_saving_the_same_case_keep_each_others_changes_or_are_refused(site: EditSite):
    path = "cases/hunan-industry-polytechnic.yaml"
    _, entry = api(site, "getEntry", {"path": path})
    first, second = yaml.safe_load(entry["data"]), yaml.safe_load(entry["data"])
    first["title"]["en"] = "Changed in the first tab"
    assert form_save(site, path, yaml.safe_dump(first, allow_unicode=True))[0] == 200
    second["source"]["issued"] = "2018"
    assert form_save(site, path, yaml.safe_dump(second, allow_unicode=True))[0] == 200
    text = (site.root / path).read_text(encoding="utf-8")
    assert "  en: Changed in the first tab\n" in text and '  issued: "2018"\n' in text
    second["title"]["en"] = "Changed in the second tab as well"
    status, answer = form_save(site, path, yaml.safe_dump(second, allow_unicode=True))
    assert status == 409 and "title.en was changed by another save since you opened the case" in answer["error"]
    assert (site.root / path).read_text(encoding="utf-8") == text


def test_a_save_casebook_validate_would_refuse_is_not_written_and_says_why(site: EditSite):
    path = "cases/hunan-industry-polytechnic.yaml"
    before = (site.root / path).read_bytes()
    _, entry = api(site, "getEntry", {"path": path})
    data = yaml.safe_load(entry["data"])
    data["added"] = "2016-13"
    data["measures"][0]["theme"] = "governance-and-mechanism"
    status, answer = form_save(site, path, yaml.safe_dump(data, allow_unicode=True))
    assert status == 422
    assert "casebook validate` would refuse it" in answer["error"]
    assert "• added: " in answer["error"]
    assert "• measures[0].theme: unknown value 'governance-and-mechanism' — did you mean " \
           "'governance-and-mechanisms'?" in answer["error"]
    assert (site.root / path).read_bytes() == before


def test_a_new_case_is_written_with_the_schema_line_and_refused_over_an_existing_one(site: EditSite):
    record = {"case_id": "new-college", "opened_sha256": "", "schema": 1, "added": "2026-01-02",
              "title": {"zh": "新案例"}, "summary": {"zh": "摘要"},
              "reporter": {"name": {"zh": "新学院"}, "kind": "higher-vocational-college", "province": "CN-HN"},
              "source": {"title": {"zh": "材料"}, "kind": "experience-report", "issued": "2020",
                         "period": {"from": 2019}},
              "partners": [{"id": "a-school", "name": {"zh": "学校"}, "kind": "secondary-vocational-school",
                            "region": {"province": "CN-HN"}, "relationship": ["twinning"]}],
              "translation": {"en": "pending"}}
    assert form_save(site, "cases/new-college.yaml", yaml.safe_dump(record, allow_unicode=True))[0] == 200
    written = (site.cases_dir / "new-college.yaml").read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=../case.schema.json\nschema: 1\nadded: \"2026-01-02\"\n")
    assert "case_id" not in written and "opened_sha256" not in written
    status, answer = form_save(site, "cases/hunan-industry-polytechnic.yaml",
                               yaml.safe_dump({**record, "case_id": "hunan-industry-polytechnic"}))
    assert status == 409 and "already exists" in answer["error"]


def test_tables_the_form_does_not_show_are_kept(site: EditSite):
    path = "cases/tianjin-vocational-institute.yaml"
    before = (site.root / path).read_text(encoding="utf-8")
    assert "\ntables:" in before
    _, entry = api(site, "getEntry", {"path": path})
    data = yaml.safe_load(entry["data"])
    del data["tables"]
    assert form_save(site, path, yaml.safe_dump(data, allow_unicode=True))[0] == 200
    assert (site.root / path).read_text(encoding="utf-8") == before


def test_only_case_records_are_written_and_never_through_a_link(site: EditSite, tmp_path: Path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("kept: true\n")
    (site.cases_dir / "linked.yaml").symlink_to(outside)
    for path in ("cases/../outside.yaml", "vocabulary.yaml", "cases/Upper.yaml", "cases/linked.yaml",
                 "cases/sub/x.yaml", "/etc/passwd"):
        status, answer = form_save(site, path, "schema: 1\n")
        assert status in (403, 409), (path, answer)
    assert outside.read_text() == "kept: true\n"
    assert api(site, "getEntry", {"path": "cases/linked.yaml"})[1]["data"] is None


def test_a_record_is_deleted_only_when_asked_twice(site: EditSite):
    path = "cases/hunan-industry-polytechnic.yaml"
    status, answer = api(site, "deleteFiles", {"paths": [path], "options": {"commitMessage": "Delete"}})
    assert status == 409 and "choose Delete again" in answer["error"]
    assert (site.root / path).exists()
    status, answer = api(site, "deleteFiles", {"paths": [path], "options": {"commitMessage": "Delete"}})
    assert status == 200 and not (site.root / path).exists()


# --- who may ask -------------------------------------------------------------------------------------------------

def test_a_foreign_host_or_origin_or_a_missing_token_is_refused(site: EditSite):
    body = {"action": "getEntry", "params": {"branch": "main", "path": "cases/hunan-industry-polytechnic.yaml"}}
    api_path = f"/{site.token}/api/v1"
    assert request(site.port, "POST", api_path, body, host=f"evil.example:{site.port}")[0] == 421
    assert request(site.port, "POST", api_path, body, host="127.0.0.1:1")[0] == 421
    assert request(site.port, "POST", api_path, body, headers={"Origin": "http://evil.example"})[0] == 403
    assert request(site.port, "POST", api_path, body, headers={"Origin": f"http://127.0.0.1:{site.port + 1}"})[0] \
        == 403
    assert request(site.port, "POST", "/api/v1", body)[0] == 404
    assert request(site.port, "POST", f"/{site.token[:-1]}x/api/v1", body)[0] == 404
    assert request(site.port, "GET", "/admin/")[0] == 404
    assert request(site.port, "GET", "/admin/config.yml")[0] == 404
    status, headers, _ = request(site.port, "OPTIONS", api_path, headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert status == 403 and not any(name.lower().startswith("access-control-") for name in headers)
    assert request(site.port, "POST", api_path, body, host=f"localhost:{site.port}",
                   headers={"Origin": f"http://localhost:{site.port}"})[0] == 200


def test_the_form_page_carries_its_own_policy_and_no_cors(site: EditSite):
    status, headers, page = request(site.port, "GET", f"/{site.token}/admin/")
    assert status == 200 and b'<script src="decap-cms.js"></script>' in page
    policy = headers["Content-Security-Policy"]
    assert "'unsafe-eval'" in policy and "frame-ancestors 'none'" in policy and "connect-src 'self'" in policy
    status, headers, text = request(site.port, "GET", f"/{site.token}/admin/config.yml")
    config = yaml.safe_load(text)
    assert config["local_backend"]["url"] == f"http://127.0.0.1:{site.port}/{site.token}/api/v1"
    assert not any(name.lower().startswith("access-control-") for name in headers)


def test_the_server_listens_on_127_0_0_1_only(site: EditSite):
    with pytest.raises(OSError), socket.create_connection(("::1", site.port), timeout=2):
        pass
    assert request(site.port, "POST", f"/{site.token}/api/v1", {"action": "info"})[0] == 200


# --- the same protocol as decap-server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def decap_server(project: Path) -> Iterator[int]:
    """The locked decap-server (its file-system mode) serving ``project`` on 127.0.0.1."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "LOG_LEVEL": "error",
           "GIT_REPO_DIRECTORY": str(project)}
    process = subprocess.Popen(["node", str(DECAP / "node_modules" / "decap-server" / "dist" / "index.js")],
                               cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def both(site: EditSite, reference: int, action: str, params: dict | None = None) -> tuple[tuple, tuple]:
    body = {"action": action, "params": {"branch": "main", **(params or {})}}
    ours = request(site.port, "POST", f"/{site.token}/api/v1", body)
    theirs = request(reference, "POST", "/api/v1", body, host=f"127.0.0.1:{reference}")
    return (ours[0], json.loads(ours[2])), (theirs[0], json.loads(theirs[2]))


@pytest.mark.slow  # decap-server in its own process
def test_the_protocol_answers_as_decap_server_does(site: EditSite, project: Path):
    with decap_server(project) as reference:
        ours, theirs = both(site, reference, "info")
        assert ours[0] == theirs[0] == 200
        assert ours[1] == {**theirs[1], "repo": project.name}

        ours, theirs = both(site, reference, "entriesByFolder", {"folder": "cases", "extension": "yaml", "depth": 1})
        assert ours[0] == theirs[0] == 200
        assert [e["file"] for e in ours[1]] == [e["file"] for e in theirs[1]]
        for mine, reference_entry in zip(ours[1], theirs[1], strict=True):
            assert mine["data"].startswith(reference_entry["data"])  # then the form's two lines of its own

        files = [{"path": "cases/hunan-industry-polytechnic.yaml", "label": "Hunan"}, {"path": "cases/none.yaml"}]
        ours, theirs = both(site, reference, "entriesByFiles", {"files": files})
        assert [e["file"] for e in ours[1]] == [e["file"] for e in theirs[1]]
        assert ours[1][1]["data"] is theirs[1][1]["data"] is None

        ours, theirs = both(site, reference, "getEntry", {"path": "cases/tianjin-vocational-institute.yaml"})
        assert ours[1]["file"] == theirs[1]["file"]

        ours, theirs = both(site, reference, "getMedia", {"mediaFolder": "cases/.media"})
        assert ours == theirs == (200, [])
        assert both(site, reference, "getDeployPreview", {"collection": "cases", "slug": "x"}) == ((200, None),) * 2
        ours, theirs = both(site, reference, "noSuchAction")
        assert ours[0] == 422 and ours[1] == {"error": "Unknown action noSuchAction"}
        assert theirs[0] == 422  # decap-server's schema check words it its own way

        path = "cases/hunan-industry-polytechnic.yaml"
        before = (project / path).read_text(encoding="utf-8")
        _, entry = api(site, "getEntry", {"path": path})
        assert form_save(site, path, as_decap_writes(entry["data"])) == (200, {"message": "entry persisted"})
        assert (project / path).read_text(encoding="utf-8") == before  # ours: nothing changed, nothing written
        raw = as_decap_writes(before)
        save = {"dataFiles": [{"slug": "hunan-industry-polytechnic", "path": path, "raw": raw}], "assets": [],
                "options": {"collectionName": "cases", "commitMessage": "Update", "useWorkflow": False,
                            "status": "draft"}}
        reference_answer = request(reference, "POST", "/api/v1", {"action": "persistEntry",
                                                                   "params": {"branch": "main", **save}},
                                   host=f"127.0.0.1:{reference}")
        assert (reference_answer[0], json.loads(reference_answer[2])) == (200, {"message": "entry persisted"})
        assert (project / path).read_text(encoding="utf-8") == raw != before  # decap-server writes the raw whole


def test_a_file_no_case_id_names_is_left_out_of_the_list_not_a_refusal_of_it(site: EditSite, project: Path):
    """The list of cases is what the form opens on: a reserved or over-long name beside the records (a file an editor
    saved by hand) is left out, and the records are still listed."""
    (project / "cases" / "page.yaml").write_text("schema: 1\n", encoding="utf-8")
    (project / "cases" / f"{'a' * 101}.yaml").write_text("schema: 1\n", encoding="utf-8")
    status, entries = api(site, "entriesByFolder", {"folder": "cases", "extension": "yaml", "depth": 1})
    paths = [entry["file"]["path"] for entry in entries]
    assert status == 200 and paths and "cases/page.yaml" not in paths
    assert all(len(path) < 110 for path in paths)
