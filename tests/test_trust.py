"""A casebook a reader can cite and check: the site's own address, or none at all, never a placeholder; and a way
to report an error in every case. Whole builds (the real MkDocs build), with CASEBOOK_* unset as on a laptop."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.site_helpers import FIXTURES, ROOT, TEST_SITE_URL, make_project

REPOSITORY = "https://github.com/edu-ministry/casebook"
HILLSIDE = "hillside-vocational-centre"   # a browser fixture whose source has no web address, only who holds it
TEXT_SUFFIXES = (".html", ".xml", ".json", ".csv", ".txt", ".js", ".css", ".gz")


def build_quietly(project: Path) -> subprocess.CompletedProcess:
    """`casebook build` without any CASEBOOK_* variable of the environment: only the configuration speaks."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CASEBOOK_")}
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def addressless(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real records, built with the repository's configuration as it is: no address."""
    project = make_project(tmp_path_factory.mktemp("addressless"), ROOT / "cases", site_url=None)
    return project / "site", build_quietly(project).stderr


@pytest.fixture(scope="module")
def addressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The browser fixtures at the test address, with a repository to report errors in."""
    project = make_project(tmp_path_factory.mktemp("addressed"), FIXTURES / "browser",
                           casebook={"repository": REPOSITORY})
    build_quietly(project)
    return project / "site"


def texts(site: Path) -> dict[Path, str]:
    return {path: path.read_bytes().decode("utf-8", "replace") for path in site.rglob("*")
            if path.is_file() and path.suffix in TEXT_SUFFIXES}


def case_ids(site: Path) -> list[str]:
    return sorted(path.parent.name for path in site.glob("cases/*/index.html"))


@pytest.mark.slow  # a whole build (MkDocs)
def test_a_build_without_an_address_names_none_and_says_so_once(addressless: tuple[Path, str]) -> None:
    site, stderr = addressless
    assert [path for path, text in texts(site).items() if "example.org" in text] == []
    assert stderr.count("notice: site_url is not set") == 1, stderr
    for lang in ("", "en/"):
        for name in ("sitemap.xml", "sitemap.xml.gz", "feed.xml"):
            assert not (site / lang / name).exists(), f"{lang}{name}"
        data = (site / lang / "data" / "index.html").read_text(encoding="utf-8")
        assert "feed.xml" not in data and "sitemap.xml" not in data   # not offered either
        for case_id in case_ids(site):
            html = (site / lang / "cases" / case_id / "index.html").read_text(encoding="utf-8")
            assert 'rel="canonical"' not in html and "og:url" not in html and "og:image" not in html
            citations = re.findall(r'<pre class="cb-citation"[^>]*><code>(.*?)</code></pre>', html, re.S)
            assert len(citations) == 2 and not any("http" in c for c in citations), citations
            bibtex = re.search(r'<pre class="cb-citation cb-bibtex"><code>@misc\{casebook-.*?\n\}', html, re.S).group(0)
            assert "url =" not in bibtex and bibtex.endswith("\n}"), bibtex
        about = (site / lang / "about" / "index.html").read_text(encoding="utf-8")
        cite = re.search(r'id="cite".*?<code>(.*?)</code>', about, re.S).group(1)
        assert "http" not in cite and ("案例库" in cite or "Casebook" in cite), cite
    rows = (site / "data" / "cases.csv").read_text(encoding="utf-8-sig").splitlines()
    header = rows[0].split(",")
    assert header[-2:] == ["url_zh", "url_en"] and all(row.endswith(",,") for row in rows[1:])


@pytest.mark.slow  # a whole build (MkDocs)
def test_the_english_404_without_an_address_links_under_en(addressless: tuple[Path, str]) -> None:
    site, _ = addressless
    html = (site / "en" / "404.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="(/[^"]*)"', html)
    assets = [link for link in links if "/assets/" in link]
    assert assets and all(link.startswith("/en/assets/") for link in assets), assets
    assert '<a href="/en/">Go to the home page</a>' in html and 'href="/en/about/"' in html
    for link in assets:   # each resolves to a file of the English site
        assert (site / link.removeprefix("/")).is_file(), link


@pytest.mark.slow  # a whole build (MkDocs)
def test_a_build_with_an_address_carries_it_everywhere(addressed: Path) -> None:
    site = addressed
    assert [path for path, text in texts(site).items() if "example.org" in text] == []
    for lang in ("", "en/"):
        root = f"{TEST_SITE_URL}{lang}"
        sitemap = (site / lang / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<loc>{root}cases/{HILLSIDE}/</loc>" in sitemap
        feed = ET.parse(site / lang / "feed.xml").getroot()
        ids = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")]
        assert f"{root}cases/{HILLSIDE}/" in ids
        html = (site / lang / "cases" / HILLSIDE / "index.html").read_text(encoding="utf-8")
        page = f"{root}cases/{HILLSIDE}/"
        assert f'<link rel="canonical" href="{page}">' in html
        assert f'<meta property="og:url" content="{page}">' in html
        assert f'<meta property="og:image" content="{root}assets/casebook-card.png">' in html
        bibtex = re.search(r'@misc\{casebook-.*?\n\}', html, re.S).group(0)
        assert f"url = {{{page}}}" in bibtex
        for cl in ("", "en/"):   # both citations of the case, each at its language's page
            assert f"{TEST_SITE_URL}{cl}cases/{HILLSIDE}/</code></pre>" in html
        about = (site / lang / "about" / "index.html").read_text(encoding="utf-8")
        assert root in re.search(r'id="cite".*?<code>(.*?)</code>', about, re.S).group(1)


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("lang", "words"), [("", "报告本案例的错误"), ("en/", "Report an error in this case")])
def test_every_case_reports_an_error_as_a_prefilled_issue(addressed: Path, lang: str, words: str) -> None:
    for case_id in case_ids(addressed):
        html = (addressed / lang / "cases" / case_id / "index.html").read_text(encoding="utf-8")
        href = re.search(rf'<a class="cb-report__link" href="([^"]+)">{words}</a>', html).group(1)
        address = urlsplit(href.replace("&amp;", "&"))
        assert f"{address.scheme}://{address.netloc}{address.path}" == f"{REPOSITORY}/issues/new"
        query = parse_qs(address.query)
        page = f"{TEST_SITE_URL}{lang}cases/{case_id}/"
        assert case_id in query["title"][0] and page in query["title"][0], query
        assert query["body"][0].startswith(("Page: " if lang else "页面：") + page + "\n\n"), query


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("lang", "held", "ask"), [("", "山麓职业教育中心办公室", "请联系本案例库"),
                                                   ("en/", "the office of Hillside Vocational Education Centre",
                                                    "write to the casebook")])
def test_a_source_without_an_address_says_who_holds_it(addressed: Path, lang: str, held: str, ask: str) -> None:
    html = (addressed / lang / "cases" / HILLSIDE / "index.html").read_text(encoding="utf-8")
    source = html[html.index('id="source"'):html.index('id="citation"')]
    assert f"<dd>{held}</dd>" in source
    assert ask not in source   # no contact configured here: nothing to write to


def test_a_local_address_gives_the_english_site_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build import english_address

    monkeypatch.delenv("CASEBOOK_SITE_URL_EN", raising=False)
    monkeypatch.setenv("CASEBOOK_SITE_URL", "https://casebook.test/library")
    assert english_address() == {"CASEBOOK_SITE_URL_EN": "https://casebook.test/library/en/"}
    monkeypatch.setenv("CASEBOOK_SITE_URL_EN", "https://en.casebook.test/")   # given: kept as it is
    assert english_address() == {}
    monkeypatch.delenv("CASEBOOK_SITE_URL")
    monkeypatch.delenv("CASEBOOK_SITE_URL_EN")
    assert english_address() == {}
