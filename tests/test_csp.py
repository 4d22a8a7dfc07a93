"""generator/csp.py on small pages: which scripts are hashed, and where the policy goes (the built site and the
browser tests check it on every real page)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from generator.csp import PolicyFailed, inline_script_hashes, shipped_scripts, with_policy
from tests.site_helpers import FIXTURES, ROOT, casebook, make_project


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_only_scripts_the_browser_runs_inline_are_hashed_each_once() -> None:
    page = ("<script>a()</script><script data-src=x>b()</script><script src=x.js></script>"
            '<script type="application/json">{"c": 1}</script><script type=module>d()</script>'
            "<SCRIPT>a()</SCRIPT><script>\r\ne('中')\r\n</script>")
    assert inline_script_hashes(page) == [sha256("a()"), sha256("b()"), sha256("d()"), sha256("\ne('中')\n")]


def test_policy_goes_right_after_the_charset_else_first_in_head() -> None:
    page = '<!doctype html><html><head>\n<meta charset="utf-8">\n<title>x</title><script>a()</script></head></html>'
    result = with_policy(page)
    assert result.startswith('<!doctype html><html><head>\n<meta charset="utf-8">\n<meta http-equiv='
                             '"Content-Security-Policy" content="default-src \'self\'; script-src \'self\' '
                             + sha256("a()") + " 'wasm-unsafe-eval'; style-src 'self';")
    assert with_policy("<html><head><title>x</title></head></html>").startswith(
        '<html><head>\n<meta http-equiv="Content-Security-Policy" content="default-src')


def test_a_page_without_head_is_refused_with_a_message() -> None:
    with pytest.raises(PolicyFailed, match="x.html has no <head>"):
        with_policy("<p>no head</p>", "x.html")


# --- only the scripts the project ships (issue 21, attack 1) ----------------------------------------------------

SHIPPED = shipped_scripts(ROOT / "site_overrides")
FIRST_PAINT = next(iter(SHIPPED))


def built_page(content: str) -> str:
    """A page as Material lays it out: the theme's inline scripts in <head> and after the content."""
    return ('<!doctype html><html><head><meta charset="utf-8"><script>__md_scope=new URL(".",location)</script>'
            '</head><body><script>var palette=1</script><div class="md-content" data-md-component="content">'
            f'<article class="md-content__inner md-typeset">{content}</article></div>'
            '<script id="__config" type="application/json">{"base": "."}</script>'
            '<script src="assets/javascripts/bundle.js"></script></body></html>')


def test_the_finder_first_paint_script_is_the_one_the_project_ships() -> None:
    assert len(SHIPPED) == 1
    assert "cb-finder__drawer" in FIRST_PAINT


def test_the_theme_scripts_and_the_shipped_one_are_hashed() -> None:
    page = built_page(f"<h1>Cases</h1><script>{FIRST_PAINT}</script>")
    assert with_policy(page, "cases/index.html", SHIPPED).count("'sha256-") == 3
    assert inline_script_hashes(page) == [sha256('__md_scope=new URL(".",location)'), sha256("var palette=1"),
                                          sha256(FIRST_PAINT)]


@pytest.mark.parametrize("content", [
    # the review's stored XSS: an indicator id written raw into a chart's attributes
    '<svg aria-labelledby="chart-x"><script>alert(document.domain)</script>-title"></svg>',
    "<p>a</p><SCRIPT type=module>alert(1)</SCRIPT>",
    '<script src="assets/evil.js"></script>',       # the site's own origin: 'self' would allow it
    '<script type="text/plain">not run, but no template writes it</script>',
    "<script>alert(1)",                               # never closed: a browser still runs it
    f"<script>{FIRST_PAINT} alert(1)</script>",       # the shipped script, changed
])
def test_a_script_in_the_content_that_no_template_writes_fails_the_page(content: str) -> None:
    with pytest.raises(PolicyFailed, match="compare/index.html: a script in the page's content that no template"):
        with_policy(built_page(content), "compare/index.html", SHIPPED)


def test_a_page_without_content_has_only_the_theme_scripts() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><script>a()</script></body></html>'
    assert sha256("a()") in with_policy(page, "404.html", SHIPPED)


@pytest.mark.slow  # a whole build (MkDocs)
def test_the_build_refuses_a_page_whose_content_holds_a_script_no_template_writes(tmp_path: Path) -> None:
    """A theme override that writes page data into a script (a title, which an editor types) makes a script the
    project does not ship as it stands: the build fails, names the page, and publishes nothing."""
    project = make_project(tmp_path / "project", FIXTURES / "cases")
    main = project / "site_overrides" / "main.html"
    template = main.read_text(encoding="utf-8")
    assert template.count("{% block content %}\n") == 1, "the override's content block moved: inject elsewhere"
    main.write_text(template.replace(
        "{% block content %}\n",
        '{% block content %}\n  <script>document.title = "{{ page.title }}";</script>\n'), encoding="utf-8")
    result = casebook(project, "build", "-q")
    assert result.returncode != 0
    assert "a script in the page's content that no template of the project writes: '<script>document.title" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()
