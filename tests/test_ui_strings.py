"""The UI strings: read once per process, and again as soon as a strings file is edited (`casebook serve`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.render import TEMPLATES, ui_strings


def test_an_edited_strings_file_is_read_again_in_the_same_process(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "strings", templates / "strings")
    path = templates / "strings" / "en.yaml"
    before = ui_strings("en", templates)
    assert ui_strings("en", templates) is before  # not read again while unchanged
    title = before["catalogue"]["title"]
    text = path.read_text(encoding="utf-8")
    entry = f"\ncatalogue:\n  title: {title}\n"
    assert text.count(entry) == 1
    path.write_text(text.replace(entry, "\ncatalogue:\n  title: Every case\n"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later time, however coarse the clock
    assert ui_strings("en", templates)["catalogue"]["title"] == "Every case"
