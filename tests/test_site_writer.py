"""The writer of the generated tree (generator/write.py) and the escaping of editor-typed text (filters.escape_inline,
used where a template is not autoescaped: the guide's Markdown, the SVG charts and the feed)."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest

from generator.filters import escape_inline
from generator.write import WriteError, safe_join, write_tree
from tests.site_html import parse

# --- write_tree -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", ["../outside.md", "cases/../../outside.md", "a/../../b.md", "/etc/passwd",
                                      "/tmp/absolute.md", "", ".."])
def test_writer_refuses_paths_outside_its_root(tmp_path: Path, relative: str) -> None:
    root = tmp_path / "docs"
    with pytest.raises(WriteError):
        write_tree(root, [("index.md", "home"), (relative, "escaped"), ("after.md", "after")])
    # pages are written as they come: what came before stays inside the root, nothing after the refusal is written
    assert not (tmp_path / "outside.md").exists() and not (tmp_path / "b.md").exists()
    assert not (root / "after.md").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file() and "escaped" in p.read_text(encoding="utf-8")] == []


def test_safe_join_keeps_ordinary_paths_inside(tmp_path: Path) -> None:
    assert safe_join(tmp_path, "cases/a.md") == tmp_path / "cases" / "a.md"
    assert safe_join(tmp_path, "./cases/a.md") == tmp_path / "cases" / "a.md"


@pytest.mark.parametrize("pages", [[("cases/a.md", "one"), ("cases/a.md", "two")],
                                   [("cases/a.md", "one"), ("cases/./a.md", "two")],
                                   [("cases/a.md", "same"), ("cases//a.md", "same")]])
def test_writer_refuses_two_pages_at_one_path(tmp_path: Path, pages: list[tuple[str, str]]) -> None:
    root = tmp_path / "docs"
    with pytest.raises(WriteError, match="two pages"):
        write_tree(root, pages)
    assert (root / "cases" / "a.md").read_text(encoding="utf-8") == pages[0][1], "the second never replaces the first"


def test_writer_writes_pages_as_utf8(tmp_path: Path) -> None:
    report = write_tree(tmp_path, [("index.md", "首页\n"), ("cases/a.md", "# A\n")])
    assert (tmp_path / "index.md").read_bytes() == "首页\n".encode()
    assert (tmp_path / "cases" / "a.md").read_text(encoding="utf-8") == "# A\n"
    assert sorted(report.written) == ["cases/a.md", "index.md"] and report.unchanged == 0
    assert not list(tmp_path.rglob("*.tmp"))


def test_writer_rewrites_only_changed_files(tmp_path: Path) -> None:
    write_tree(tmp_path, [("same.md", "unchanged"), ("cases/changed.md", "old")])
    same, changed = tmp_path / "same.md", tmp_path / "cases" / "changed.md"
    past = 1_000_000_000
    for path in (same, changed):
        os.utime(path, ns=(past * 10**9, past * 10**9))
    before = same.stat()
    report = write_tree(tmp_path, [("same.md", "unchanged"), ("cases/changed.md", "new")])
    after = same.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    assert changed.read_text(encoding="utf-8") == "new" and changed.stat().st_mtime_ns != past * 10**9
    assert report.written == ["cases/changed.md"] and report.unchanged == 1 and report.removed == []


def test_writer_removes_stale_files_and_empty_directories(tmp_path: Path) -> None:
    write_tree(tmp_path, [("index.md", "home"), ("cases/a.md", "a"), ("cases/b.md", "b"), ("old/only.md", "x")])
    report = write_tree(tmp_path, [("index.md", "home"), ("cases/a.md", "a")])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["cases", "cases/a.md",
                                                                                         "index.md"]
    assert sorted(report.removed) == ["cases/b.md", "old/only.md"]


def test_writer_without_prune_keeps_other_files(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("kept", encoding="utf-8")
    write_tree(tmp_path, [("jieba_user_dict.txt", "词 1 nz\n")], prune=False)
    assert (tmp_path / "docs" / "page.md").read_text(encoding="utf-8") == "kept"
    assert (tmp_path / "jieba_user_dict.txt").read_text(encoding="utf-8") == "词 1 nz\n"


# --- escape_inline ----------------------------------------------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "# heading", "## 标题 #", "a | b",
            "[x](javascript:alert(1))", '{: onclick="alert(1)" }', '--8<-- "/etc/passwd"', "{{ 7*7 }}",
            "{% raw %}{% if %}{% endraw %}", "*em* _em_ `code` ~~del~~ \\*", "- item", "+ item", "1. item", "2) item",
            "=====", "---", "> quote", "!!! warning", "&amp; &#60; &", "<!-- comment -->", "![i](x.png)",
            "<https://example.org>", "    indented code"]
MARKDOWN = ["tables", "admonition", "attr_list", "md_in_html", "toc", "def_list", "abbr", "footnotes"]


def render(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=MARKDOWN)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_inline_shows_the_payload_as_a_paragraph(payload: str) -> None:
    escaped = escape_inline(payload)
    assert not set("<>[]{}|`*_#") & set(escaped.replace("&#", "").replace(";", ""))
    doc = parse(render(escaped))
    assert [e.tag for e in doc.iter()] == ["#document", "p"], render(escaped)
    assert doc.text() == " ".join(payload.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_inline_keeps_table_cells_and_headings_whole(payload: str) -> None:
    cell = escape_inline(payload + "\nsecond line")
    table = parse(render(f"| head | other |\n| --- | --- |\n| {cell} | 2 |\n"))
    cells = [td.text() for td in table.find_all("td")]
    assert cells == [" ".join(f"{payload} second line".split()), "2"]
    heading = parse(render(f"## {escape_inline(payload)}\n"))
    assert [e.tag for e in heading.iter()] == ["#document", "h2"]
    assert heading.text() == " ".join(payload.split())


def test_escape_inline_leaves_ordinary_text_alone() -> None:
    text = "湖畔职业技术学院2016年起结对帮扶，培训教师9人次; costs: 12.5 (CNY)."
    assert escape_inline(text) == text.replace("(", "&#40;").replace(")", "&#41;")
    assert escape_inline("a-b 2016-01") == "a-b 2016-01"


def test_a_file_given_in_pieces_is_written_whole_and_only_when_it_changed(tmp_path: Path) -> None:
    """cases.json comes in pieces (generator/opendata.py); it is rewritten only when its text changed."""
    report = write_tree(tmp_path, [("data/cases.json", iter(['{"cases":{', '"a":"甲"', "}}\n"]))])
    path = tmp_path / "data" / "cases.json"
    assert path.read_text(encoding="utf-8") == '{"cases":{"a":"甲"}}\n' and report.written == ["data/cases.json"]
    os.utime(path, ns=(10**18, 10**18))
    again = write_tree(tmp_path, [("data/cases.json", iter(['{"cases":{"a":', '"甲"}}\n']))])
    assert again.unchanged == 1 and again.written == [] and path.stat().st_mtime_ns == 10**18
    changed = write_tree(tmp_path, [("data/cases.json", iter(['{"cases":{"a":"乙"}}\n']))])
    assert changed.written == ["data/cases.json"] and "乙" in path.read_text(encoding="utf-8")
    assert not list(tmp_path.rglob("*.tmp"))
