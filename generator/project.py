"""A casebook project: where its inputs and generated files live, and the languages it is published in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("zh", "en")  # Chinese at the site root, English at /en/


@dataclass(frozen=True)
class Project:
    """Where a casebook's inputs and generated files live."""

    root: Path
    cases_dir: Path

    @classmethod
    def at(cls, root: Path, cases_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(root, (cases_dir or root / "cases").resolve())

    @property
    def vocabulary(self) -> Path:
        return self.root / "vocabulary.yaml"

    @property
    def work_dir(self) -> Path:
        return self.root / "build"

    @property
    def overrides(self) -> Path:
        """The theme's templates the project ships (mkdocs.base.yml's custom_dir)."""
        return self.root / "site_overrides"

    def docs_dir(self, lang: str) -> Path:
        return self.work_dir / "docs" / lang

    def mkdocs_config(self, lang: str) -> Path:
        return self.root / ("mkdocs.yml" if lang == "zh" else f"mkdocs.{lang}.yml")
