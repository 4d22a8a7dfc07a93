"""The Markdown stand-in MkDocs converts for a generated HTML page: its sections' headings with their ids, as text."""

from __future__ import annotations

import markdown

from generator.html_body import stand_in

BODY = ('<h1>Title</h1>\n<h2 id="summary">Summary<a class="headerlink" href="#summary" title="Link">¶</a></h2>\n'
        '<p>text</p>\n<h3 id="m-1">A &amp; B *not em* <span>x</span> {: onclick=alert(1) }'
        '<a class="headerlink" href="#m-1" title="Link">¶</a></h3>\n'
        '<h4 id="deep">Too deep<a class="headerlink" href="#deep" title="Link">¶</a></h4>\n')


def convert(text: str) -> tuple[str, list[dict]]:
    md = markdown.Markdown(extensions=["attr_list", "toc"])
    return md.convert(text), md.toc_tokens


def test_the_table_of_contents_has_the_sections_and_their_parts_with_the_pages_ids() -> None:
    _, tokens = convert(stand_in(BODY))
    assert [(t["level"], t["id"]) for t in tokens] == [(2, "summary")]
    assert [(t["level"], t["id"], t["name"]) for t in tokens[0]["children"]] == [
        (3, "m-1", "A &amp; B *not em* x {: onclick=alert(1) }")]


def test_text_in_a_heading_stays_text() -> None:
    """Braces, asterisks and markup in a heading's text make no attribute, emphasis or element."""
    html, _ = convert(stand_in(BODY))
    assert 'onclick="' not in html and "{: onclick=alert(1) }</h3>" in html
    assert "<em>" not in html and "<span>" not in html
