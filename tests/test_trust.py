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
PUBLISHER = "Institute of Vocational Studies"
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
    """The browser fixtures at the test address, with a publisher and a repository to report errors in."""
    project = make_project(tmp_path_factory.mktemp("addressed"), FIXTURES / "browser",
                           casebook={"repository": REPOSITORY, "publisher": PUBLISHER})
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
        citations = dict(re.findall(r'<pre class="cb-citation" lang="(\w+)"><code>(.*?)</code></pre>', html, re.S))
        for cl, path in (("zh", ""), ("en", "en/")):   # both citations of the case, each at its language's page
            assert f"{TEST_SITE_URL}{path}cases/{HILLSIDE}/" in citations[cl], citations
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


def citations_of(html: str) -> dict[str, str]:
    """The case's citations by language, as a reader copies them before casebook.js adds the date of access."""
    found = re.findall(r'<pre class="cb-citation" lang="(\w+)"><code>(.*?)</code></pre>', html, re.S)
    return {lang: re.sub(r"<[^>]+>", "", text).replace("&#39;", "'") for lang, text in found}


@pytest.mark.parametrize("lang", ["", "en/"])
def test_a_case_is_cited_with_its_publisher_year_address_and_a_date_of_access(addressed: Path, lang: str) -> None:
    html = (addressed / lang / "cases" / HILLSIDE / "index.html").read_text(encoding="utf-8")
    title = ("山麓职业教育中心对口支援案例", "Hillside Vocational Education Centre in paired support")
    citations = citations_of(html)
    # GB/T 7714: responsible party. title[EB/OL]//the casebook. (date added)[date of access]. address.
    assert citations["zh"] == (f"{PUBLISHER}. {title[0]}[EB/OL]//职业教育帮扶案例库. (2026-11-15). "
                               f"{TEST_SITE_URL}cases/{HILLSIDE}/."), citations
    # Harvard: author (year) title. site. Available at: address (Accessed: date).
    assert citations["en"] == (f"{PUBLISHER} (2026) {title[1]}. Vocational Education Assistance Casebook. "
                               f"Available at: {TEST_SITE_URL}en/cases/{HILLSIDE}/"), citations
    # the date of access, in each style's form, is the reader's: casebook.js writes it where these spans stand
    assert re.findall(r'<span class="cb-accessed" data-accessed="([^"]*)" data-date-style="(\w+)">', html)[:3] == [
        ("[{date}]", "iso"), (" (Accessed: {date}).", "long"), (",&#10;  urldate = {{date}}", "iso")]
    bibtex = re.search(r"@misc\{casebook-.*?\n\}", html, re.S).group(0)
    for field in (f"author = {{{{{PUBLISHER}}}}}", "year = {2026}", "date = {2026-11-15}",
                  f"publisher = {{{PUBLISHER}}}", "howpublished = {"):
        assert field in bibtex, bibtex


def test_without_an_address_a_citation_has_no_date_of_access(addressless: tuple[Path, str]) -> None:
    site, _ = addressless
    for lang in ("", "en/"):
        for case_id in case_ids(site):
            html = (site / lang / "cases" / case_id / "index.html").read_text(encoding="utf-8")
            assert "cb-accessed" not in html   # nothing was read online: nothing to date
            citations = citations_of(html)
            assert citations["zh"].startswith("职业教育帮扶案例库. ") and citations["zh"].endswith(").")
            assert citations["en"].startswith("Vocational Education Assistance Casebook (2026) ")


@pytest.mark.parametrize(("lang", "added", "history"), [("", "2026年11月15日收录", "本记录修改历史"),
                                                        ("en/", "Added to the casebook 15 November 2026",
                                                         "History of this record")])
def test_a_case_links_to_its_records_history(addressed: Path, addressless: tuple[Path, str], lang: str, added: str,
                                             history: str) -> None:
    for case_id in case_ids(addressed):
        html = (addressed / lang / "cases" / case_id / "index.html").read_text(encoding="utf-8")
        line = re.search(r'<p class="cb-record-history">(.*?)</p>', html).group(1)
        history_link = f'href="{REPOSITORY}/commits/main/cases/{case_id}.yaml">{history}</a>'
        assert f'<a class="cb-record-history__link" {history_link}' in line
    html = (addressed / lang / "cases" / HILLSIDE / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="cb-record-history">(.*?)<', html).group(1).startswith(added)
    site, _ = addressless   # no repository: the date the record gives, and no link to a history nobody can see
    for case_id in case_ids(site):
        html = (site / lang / "cases" / case_id / "index.html").read_text(encoding="utf-8")
        assert "cb-record-history__link" not in html and '<p class="cb-record-history">' in html


@pytest.mark.parametrize(("lang", "words"), [("", "本库不转载该来源文献。"),
                                             ("en/", "The casebook does not reproduce this source.")])
def test_a_copy_of_an_offline_source_is_requested_through_the_repository(addressed: Path, lang: str,
                                                                         words: str) -> None:
    html = (addressed / lang / "cases" / HILLSIDE / "index.html").read_text(encoding="utf-8")
    ask = re.search(r'<p class="cb-source-ask">(.*?)</p>', html).group(1)
    assert ask.startswith(words)
    href = re.search(r'<a class="cb-source-ask__link" href="([^"]+)">', ask).group(1)
    address = urlsplit(href.replace("&amp;", "&"))
    assert f"{address.scheme}://{address.netloc}{address.path}" == f"{REPOSITORY}/issues/new"
    query = parse_qs(address.query)
    assert HILLSIDE in query["title"][0] and "山麓职业教育中心" in query["title"][0], query
    assert f"{TEST_SITE_URL}{lang}cases/{HILLSIDE}/" in query["body"][0], query


@pytest.mark.parametrize(("lang", "method", "corrections", "history"), [
    ("", "案例如何核实", "纠错与更正", "本记录修改历史"),
    ("en/", "How each case is checked", "Errors and corrections", "History of this record")])
def test_about_says_how_a_case_is_checked_and_corrected(addressed: Path, lang: str, method: str, corrections: str,
                                                        history: str) -> None:
    html = (addressed / lang / "about" / "index.html").read_text(encoding="utf-8")
    checked = html[html.index('id="method"'):html.index('id="errors"')]
    assert method in checked and checked.count("<li><strong>") == 6
    for fact in ("14", "“来源位置：…”" if not lang else "“In the source: …”"):
        assert fact in checked, fact
    fixed = html[html.index('id="errors"'):html.index('id="licence"')]
    assert corrections in fixed and f"“{history}”" in fixed and f'href="{REPOSITORY}/issues"' in fixed
