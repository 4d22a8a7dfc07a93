"""The generator's tree (build/) is the build's own: a link planted in it never leads a write or the pruning outside
it (issue 21, attacks 2 and 3), and no command writes through a link (attack 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.write import WriteError, own_tree, prune_tree, replace_file, write_tree
from tests.site_helpers import FIXTURES, build, casebook, make_project
from tests.site_html import tree_digest

CASE = FIXTURES / "minimal" / "minimal-college.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", [CASE])
    (root / "cases" / "notes.txt").write_text("an editor's untracked file\n", encoding="utf-8")
    (tmp_path / "victim.txt").write_text("the user's own words\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "thesis.md").write_text("kept\n", encoding="utf-8")
    return root


def _outside(project: Path) -> dict[str, str]:
    """Every file outside the generated tree and the site: what no build may change."""
    return {name: digest for name, digest in tree_digest(project.parent).items()
            if not name.startswith(("project/build/", "project/site/", "project/.site.casebook-lock"))}


@pytest.mark.slow  # a whole build (MkDocs)
@pytest.mark.parametrize(("link", "target"), [
    ("build/docs/zh", "../../cases"),  # attack 2: the pruning followed it and deleted every record
    ("build/docs", "../../elsewhere"),
    ("build", "../elsewhere"),
    ("build/docs/zh/index.md.tmp", "../../../../victim.txt"),  # attack 3: the home page's Markdown went there
    ("build/docs/zh/index.md", "../../../../victim.txt"),
    ("build/.lock", "../../victim.txt"),
    ("build/docs/zh/data", "../../../../elsewhere"),  # the data files (cases.csv, …) were written before the check
])
def test_a_link_planted_in_build_leads_nothing_outside_it(project: Path, link: str, target: str) -> None:
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(target)
    before = _outside(project)
    site = build(project)
    assert _outside(project) == before
    assert (site / "cases" / "minimal-college" / "index.html").is_file()
    assert not [path for path in (project / "build").rglob("*") if path.is_symlink()]
    assert not (project / "build").is_symlink()


def test_own_tree_removes_links_and_leaves_what_they_lead_to(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("a\n", encoding="utf-8")
    tree = tmp_path / "tree"
    (tree / "docs" / "zh").mkdir(parents=True)
    (tree / "docs" / "zh" / "page.md").write_text("page\n", encoding="utf-8")
    (tree / "docs" / "en").symlink_to(tmp_path / "mine")
    (tree / "docs" / "zh" / "x.md").symlink_to(tmp_path / "mine" / "a.txt")
    (tree / "docs" / "zh" / "dangling").symlink_to(tmp_path / "nowhere")
    own_tree(tree)
    assert sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*")) == ["docs", "docs/zh", "docs/zh/page.md"]
    assert (tmp_path / "mine" / "a.txt").read_text(encoding="utf-8") == "a\n"


def test_pruning_never_follows_a_link(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "record.yaml").write_text("kept\n", encoding="utf-8")
    root = tmp_path / "docs"
    write_tree(root, [("index.md", "home")])
    (root / "cases").symlink_to(mine)
    report = write_tree(root, [("index.md", "home")])
    assert report.removed == ["cases"]
    assert (mine / "record.yaml").read_text(encoding="utf-8") == "kept\n"
    (tmp_path / "linked").symlink_to(mine)
    with pytest.raises(WriteError, match="symbolic link"):
        prune_tree(tmp_path / "linked", set())
    assert (mine / "record.yaml").is_file()


@pytest.mark.parametrize("planted", ["index.md", "index.md.tmp", "data/cases.json", "data/cases.json.new.tmp"])
def test_the_writer_never_writes_through_a_link(tmp_path: Path, planted: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    root = tmp_path / "docs"
    (root / planted).parent.mkdir(parents=True)
    (root / planted).symlink_to(victim)
    write_tree(root, [("index.md", "home"), ("data/cases.json", iter(["{", "}"]))])
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert (root / "index.md").read_text(encoding="utf-8") == "home" and not (root / "index.md").is_symlink()
    assert (root / "data" / "cases.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["data", "data/cases.json", "index.md"]


def test_replace_file_puts_a_file_where_a_link_was(tmp_path: Path) -> None:
    (tmp_path / "victim.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "out.json").symlink_to("victim.txt")
    replace_file(tmp_path / "out.json", b"{}\n")
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "out.json").read_bytes() == b"{}\n" and not (tmp_path / "out.json").is_symlink()


def test_schema_o_refuses_a_link_and_leaves_its_target(project: Path) -> None:  # attack 11
    victim = project.parent / "victim.txt"
    (project / "case.schema.json").symlink_to(victim)
    result = casebook(project, "schema", "-o", "case.schema.json")
    assert result.returncode == 2, result.stderr
    assert result.stderr == ("error: -o case.schema.json is a symbolic link; writing through it would overwrite the "
                             "file it leads to. Name the file itself\n")
    assert victim.read_text(encoding="utf-8") == "the user's own words\n"


def test_new_refuses_a_link_even_one_leading_nowhere(project: Path) -> None:
    (project / "cases" / "fresh.yaml").symlink_to(project.parent / "created-elsewhere.yaml")
    result = casebook(project, "new", "fresh")
    assert result.returncode == 2, result.stderr
    assert "cases/fresh.yaml already exists" in result.stderr
    assert not (project.parent / "created-elsewhere.yaml").exists()
