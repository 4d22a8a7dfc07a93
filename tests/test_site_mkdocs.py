"""`mkdocs build --strict` on the base configuration builds the same Chinese site as `casebook build`."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.csp import add_policies
from generator.sitedir import SITE_MARKER
from tests.site_helpers import FIXTURES, build, make_project
from tests.site_html import tree_digest

RECORDS = [FIXTURES / "cases" / "lakeside-polytechnic.yaml", FIXTURES / "minimal" / "minimal-college.yaml",
           FIXTURES / "pending" / "pending-college.yaml"]


def newest_added_epoch() -> int:
    newest = max(yaml.safe_load(path.read_text(encoding="utf-8"))["added"] for path in RECORDS)
    return int(datetime.datetime.fromisoformat(newest).replace(tzinfo=datetime.UTC).timestamp())


@pytest.mark.slow  # whole builds (casebook and plain MkDocs)
def test_plain_mkdocs_build_matches_casebook_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", RECORDS)
    site = build(project)
    # Everything but the search index, which `casebook build` makes with Pagefind after MkDocs (generator/search.py),
    # and the marker that says a build made the folder (generator/sitedir.py)
    expected = {name: digest for name, digest in tree_digest(site).items()
                if not name.startswith(("en/", "pagefind/")) and name != SITE_MARKER}
    (project / "build").rename(tmp_path / "casebook-build")  # the hook must generate the pages itself
    (project / "build" / "docs" / "zh").mkdir(parents=True)  # MkDocs checks docs_dir exists before any hook runs

    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEBOOK_")}
    # The build date is the one thing a plain build cannot know: casebook takes it from the newest record.
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=str(newest_added_epoch()))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "plain"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    # the Content-Security-Policy is added to the built pages, whatever built them
    add_policies(project / "plain", project / "site_overrides")
    plain = tree_digest(project / "plain")
    assert (project / "build" / "docs" / "zh" / "cases" / "pending-college" / "index.md").is_file()
    assert sorted(set(plain) ^ set(expected)) == []
    assert [name for name in expected if plain[name] != expected[name]] == []
    with (project / "plain" / "sitemap.xml").open(encoding="utf-8") as sitemap:
        assert "<lastmod>2026-11-20</lastmod>" in sitemap.read()


def test_the_configurations_are_plain_yaml_that_any_tool_reads(monkeypatch) -> None:
    """No tag runs code while the configuration loads: safe YAML plus MkDocs' documented !ENV reads both files."""
    from yaml_env_tag import add_env_tag

    class Loader(yaml.SafeLoader):
        pass

    add_env_tag(Loader)
    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("CASEBOOK_SITE_URL", "https://example.github.io/casebook/")
    zh = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    en = yaml.load((root / "mkdocs.en.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert zh["site_url"] == "https://example.github.io/casebook/"
    assert en["site_url"] is None  # its own variable, unset here: no address, and no placeholder for one
    assert (zh["docs_dir"], en["docs_dir"]) == ("build/docs/zh", "build/docs/en")
