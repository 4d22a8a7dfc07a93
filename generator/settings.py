"""Site settings the generator needs, read from the shared ``mkdocs.yml`` so they are stated once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import add_env_tag


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML plus MkDocs' documented ``!ENV`` tag, read by the library MkDocs uses for it."""


add_env_tag(_ConfigLoader)


@dataclass(frozen=True)
class Settings:
    """What pages link to outside themselves."""

    site_url: str
    repository: str
    branch: str
    data_license: str


def load_settings(mkdocs_yml: Path) -> Settings:
    """The ``site_url`` and ``extra.casebook`` values of the base MkDocs configuration."""
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    casebook = (config.get("extra") or {}).get("casebook") or {}
    return Settings(site_url=str(config.get("site_url") or "").rstrip("/") + "/",
                    repository=str(casebook.get("repository", "")).rstrip("/"),
                    branch=str(casebook.get("branch", "main")),
                    data_license=str(casebook.get("license", "")))
