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

    site_url: str                        # the root site's address, ending in "/"; "" while unset (a local build)
    repository: str
    branch: str
    data_license: str
    publisher: str = ""                  # who publishes the casebook (About, footer); left out while unset
    contact: str = ""                    # an e-mail address or page for corrections and questions
    featured: tuple[str, ...] = ()       # case ids the home page features

    def unset(self) -> list[str]:
        """The settings a published site should have that are not set, as `mkdocs.yml` keys."""
        wanted = {"publisher": self.publisher, "contact": self.contact, "repository": self.repository}
        return [f"extra.casebook.{key}" for key, value in wanted.items() if not value]

    def url(self, path: str) -> str:
        """The address of ``path`` (from the root site, e.g. ``en/cases/x/``); "" while the site has none."""
        return self.site_url + path if self.site_url else ""


def load_settings(mkdocs_yml: Path) -> Settings:
    """The ``site_url`` and ``extra.casebook`` values of the base MkDocs configuration."""
    config = _read(mkdocs_yml)
    casebook = (config.get("extra") or {}).get("casebook") or {}
    site_url = str(config.get("site_url") or "").rstrip("/")
    return Settings(site_url=site_url + "/" if site_url else "",
                    repository=str(casebook.get("repository", "")).rstrip("/"),
                    branch=str(casebook.get("branch", "main")),
                    data_license=str(casebook.get("license", "")),
                    publisher=str(casebook.get("publisher") or ""), contact=str(casebook.get("contact") or ""),
                    featured=tuple(str(i) for i in casebook.get("featured") or ()))


def _read(path: Path) -> dict:
    """A MkDocs configuration with what it INHERITs, as MkDocs merges them (mappings key by key)."""
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    parent = config.pop("INHERIT", None)
    return _merged(_read(path.parent / parent), config) if parent else config


def _merged(base: dict, child: dict) -> dict:
    return {**base, **{key: _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict)
                       else value for key, value in child.items()}}
