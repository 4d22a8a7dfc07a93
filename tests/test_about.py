"""About and the footer: who publishes the casebook and how to reach them come from mkdocs.yml, never an example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site_helpers import FIXTURES, casebook, make_project

pytestmark = pytest.mark.slow  # whole builds (MkDocs), one per configuration

SETTINGS = ("extra.casebook.publisher", "extra.casebook.contact")
REPOSITORY_LINE = '    repository: !ENV [CASEBOOK_REPOSITORY, ""]\n'


def build_with(directory: Path, extra: str, repository: str = "") -> tuple[Path, str]:
    """Build the browse fixtures with ``extra`` lines added under extra.casebook (and the repository, when given);
    the site and the build's stderr."""
    project = make_project(directory, FIXTURES / "browse")
    config = project / "mkdocs.base.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("  casebook:\n") == 1 and text.count(REPOSITORY_LINE) == 1
    text = text.replace("  casebook:\n", "  casebook:\n" + extra)
    if repository:
        text = text.replace(REPOSITORY_LINE, f"    repository: {repository}\n")
    config.write_text(text, encoding="utf-8")
    result = casebook(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site", result.stderr


def article(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


@pytest.fixture(scope="module")
def unset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_with(tmp_path_factory.mktemp("unset"), "")


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_with(tmp_path_factory.mktemp("set"), "    publisher: Institute of Vocational Studies\n"
                                                         "    contact: casebook@vocational.test\n"
                                                         "    featured: [beta-school, no-such-case]\n")


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_with(tmp_path_factory.mktemp("bilingual"),
                      "    publisher: {zh: 职业教育研究所, en: Institute of Vocational Studies}\n"
                      "    contact: casebook@vocational.test\n", "https://github.com/example/casebook")


def test_each_site_names_the_publisher_in_its_language(bilingual: tuple[Path, str]) -> None:
    site, _ = bilingual
    assert "Institute of Vocational Studies publishes the casebook." in article(site, "en/about")
    assert "本案例库由职业教育研究所编辑出版。" in article(site, "about")
    for lang, name, other in (("en/", "Published by Institute of Vocational Studies", "职业教育研究所"),
                              ("", "出版：职业教育研究所", "Institute of Vocational Studies")):
        page = (site / f"{lang}cases/alpha-college/index.html").read_text(encoding="utf-8")
        footer = re.search(r'<div class="md-copyright cb-footer">(.*?)</div>', page, re.S).group(1)
        assert name in footer and other not in footer, footer
        # each citation style names the publisher in its own language, on both sites
        assert re.search(r'lang="zh"><code>职业教育研究所\. ', page) and re.search(
            r'lang="en"><code>Institute of Vocational Studies \(', page)


def test_an_error_is_reported_on_github_or_by_e_mail(bilingual: tuple[Path, str]) -> None:
    """A reader without a GitHub account can still write: the e-mail beside the issue link, its subject filled in."""
    site, _ = bilingual
    for lang, also in (("en/", "or <a class=\"cb-report__email\""), ("", "，或<a class=\"cb-report__email\"")):
        report = article(site, f"{lang}cases/alpha-college")
        report = report[report.index('<p class="cb-report">'):]
        report = report[:report.index("</p>")]
        assert '<a class="cb-report__link" href="https://github.com/example/casebook/issues/new?title=' in report
        assert also in report, report
        assert 'href="mailto:casebook@vocational.test?subject=' in report


def test_build_names_each_unset_setting_and_the_pages_leave_it_out(unset: tuple[Path, str]) -> None:
    site, stderr = unset
    for key in SETTINGS:
        assert f"notice: {key} is not set in mkdocs.base.yml" in stderr, stderr
    for lang in ("", "en/"):
        about = article(site, f"{lang}about")
        assert "mailto:" not in about and "publishes the casebook" not in about and "编辑出版" not in about
        assert "Published by" not in article(site, f"{lang}cases/alpha-college")
        assert "cb-report" not in article(site, f"{lang}cases/alpha-college")   # no repository, no contact: nowhere


def test_about_and_footer_carry_publisher_contact_and_licence(configured: tuple[Path, str]) -> None:
    site, stderr = configured
    assert "is not set" not in stderr or not any(key in stderr for key in SETTINGS), stderr
    assert "extra.casebook.featured in mkdocs.base.yml names 'no-such-case'" in stderr
    about = article(site, "en/about")
    assert "Institute of Vocational Studies publishes the casebook." in about
    assert '<a href="mailto:casebook@vocational.test">' in about
    # no repository: a case's error is reported by e-mail, its subject and text filled in
    report = ('<a class="cb-report__link" href="mailto:casebook@vocational.test?subject=Error%20in%20case%20'
              'alpha-college%3A%20https%3A//casebook.test/en/cases/alpha-college/&amp;body=Page%3A%20')
    assert report in article(site, "en/cases/alpha-college")
    # a source with no web address: a copy is asked for by e-mail, the subject naming the case and the source
    ask = ('<a class="cb-source-ask__link" href="mailto:casebook@vocational.test?subject=Copy%20of%20the%20source'
           '%20of%20case%20alpha-college%3A%20')
    assert ask in article(site, "en/cases/alpha-college")
    assert "Request a copy</a> from the casebook's editors (casebook@vocational.test)." in article(
        site, "en/cases/alpha-college").replace("&#39;", "'")
    for heading in ("How cases are chosen", "How each case is checked", "Errors and corrections", "Licence",
                    "Citing the casebook"):
        assert heading in about, heading
    assert "CC BY 4.0" in about and 'href="../guide/"' in about and 'href="../glossary/"' in about
    assert "出版：Institute of Vocational Studies" in (site / "cases" / "alpha-college" / "index.html").read_text(
        encoding="utf-8")
    footer = re.search(r'<div class="md-copyright cb-footer">(.*?)</div>', (site / "en" / "index.html").read_text(
        encoding="utf-8"), re.S).group(1)
    for part in ("Published by Institute of Vocational Studies", "Texts and data: CC BY 4.0", "Last updated",
                 'href="about/"'):
        assert part in footer, part
    newest = max(re.findall(r'^added: "([\d-]+)"', p.read_text(encoding="utf-8"), re.M)[0]
                 for p in (FIXTURES / "browse").glob("*.yaml"))
    assert f'<time datetime="{newest}">' in footer
    # the date written out as each language writes it, the Chinese with no space before it
    year, month, day = (int(part) for part in newest.split("-"))
    assert re.search(rf'Last updated <time datetime="{newest}">{day} [A-Z][a-z]+ {year}</time>', footer), footer
    zh_footer = (site / "index.html").read_text(encoding="utf-8")
    assert f'最近更新：<time datetime="{newest}">{year}年{month}月{day}日</time>' in zh_footer


def test_featured_cases_come_first_on_the_home_page(configured: tuple[Path, str]) -> None:
    site, _ = configured
    home = article(site, "en")
    featured = home[home.index('id="featured"'):home.index('id="newest"')]
    assert "beta-school" in featured and "alpha-college" not in featured
    assert "beta-school" not in home[home.index('id="newest"'):]
