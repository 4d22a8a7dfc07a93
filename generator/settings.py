"""Site settings the generator needs, read from the shared ``mkdocs.yml`` so they are stated once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic_core import PydanticCustomError
from yaml_env_tag import add_env_tag

from .errors import UsageError, display_path
from .schema import check_url


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
    publisher_en: str = ""               # its English name where the setting gives one (the English site's)
    contact: str = ""                    # an e-mail address or page for corrections and questions
    featured: tuple[str, ...] = ()       # case ids the home page features

    def unset(self) -> list[str]:
        """The settings a published site should have that are not set, as `mkdocs.yml` keys."""
        wanted = {"publisher": self.publisher, "contact": self.contact, "repository": self.repository}
        return [f"extra.casebook.{key}" for key, value in wanted.items() if not value]

    def publisher_in(self, lang: str) -> str:
        """The publisher's name as the site of ``lang`` gives it: the English one on the English site when set."""
        return self.publisher_en if lang == "en" and self.publisher_en else self.publisher

    def url(self, path: str) -> str:
        """The address of ``path`` (from the root site, e.g. ``en/cases/x/``); "" while the site has none."""
        return self.site_url + path if self.site_url else ""


class SettingsError(UsageError):
    """The MkDocs configuration cannot be read, or a setting casebook reads has the wrong kind of value: the user's
    own mistake (exit code 2), located at its file, line and key."""


_TEXTS = ("repository", "branch", "license", "contact")  # extra.casebook's settings that are one text
_PUBLISHER_HINT = "must be one text or one per language, e.g. {zh: 某某编辑部, en: The Editors}"


def load_settings(mkdocs_yml: Path) -> Settings:
    """The ``site_url`` and ``extra.casebook`` values of the base MkDocs configuration."""
    config = _read(mkdocs_yml)
    extra = _mapping(config, ("extra",), mkdocs_yml)
    casebook = _mapping(extra, ("extra", "casebook"), mkdocs_yml)
    for key in ("site_url",):
        _check(config, (key,), mkdocs_yml, str, "must be a web address in quotes or plain, e.g. https://example.org/")
    for key in _TEXTS:
        _check(casebook, ("extra", "casebook", key), mkdocs_yml, str, "must be one text")
    publisher = _publisher(casebook, mkdocs_yml)
    featured = _check(casebook, ("extra", "casebook", "featured"), mkdocs_yml, list,
                      "must be a list of case ids, e.g. [hunan-industry-polytechnic]") or []
    if not all(isinstance(item, str) for item in featured):
        raise _error(mkdocs_yml, ("extra", "casebook", "featured"), "must be a list of case ids (texts), e.g. "
                     "[hunan-industry-polytechnic]")
    _check_addresses(config, casebook, mkdocs_yml)
    site_url = str(config.get("site_url") or "").rstrip("/")
    return Settings(site_url=site_url + "/" if site_url else "",
                    repository=str(casebook.get("repository", "")).rstrip("/"),
                    branch=str(casebook.get("branch", "main")),
                    data_license=str(casebook.get("license", "")),
                    publisher=publisher.get("zh", ""), publisher_en=publisher.get("en", ""),
                    contact=str(casebook.get("contact") or ""),
                    featured=tuple(featured))


def _publisher(casebook: dict, mkdocs_yml: Path) -> dict[str, str]:
    """``extra.casebook.publisher`` by language: one text serves both sites; a mapping gives the Chinese name
    (``zh``, which it must have) and may give the English one (``en``)."""
    keys = ("extra", "casebook", "publisher")
    value = casebook.get("publisher")
    if value is None or isinstance(value, str):
        return {"zh": value or ""}
    if not isinstance(value, dict):
        raise _error(mkdocs_yml, keys, f"{_PUBLISHER_HINT}; it is {value!r}")
    for lang in value:
        if lang not in ("zh", "en"):
            raise _error(mkdocs_yml, keys, f"{_PUBLISHER_HINT}; {lang!r} is not a language of the site (zh, en)")
        _check(value, (*keys, lang), mkdocs_yml, str, "must be one text")
    if not value.get("zh"):
        raise _error(mkdocs_yml, keys, f"{_PUBLISHER_HINT}; the Chinese name (zh) is missing")
    return {lang: name for lang, name in value.items() if name}


# Characters no address holds (RFC 3986): the engines write site_url into pages' attributes as it is, so a quote
# or a bracket there would end the attribute and start markup of its own.
_NOT_IN_ADDRESSES = frozenset('"<>`{}|\\^')
_EMAIL = re.compile(r"[^\s@<>\"'`,;:()\[\]\\/]+@[^\s@<>\"'`,;:()\[\]\\/]+\.[^\s@<>\"'`,;:()\[\]\\/]+")


def _check_addresses(config: dict, casebook: dict, mkdocs_yml: Path) -> None:
    """The addresses pages link to: site_url and repository absolute http(s) addresses, contact one of those or an
    e-mail address. Refused otherwise, as a source's address is (schema.check_url): never javascript: or markup."""
    wanted = "an absolute http(s) address, e.g. https://example.org/casebook/"
    for keys, value in (((("site_url",), config.get("site_url"))),
                        (("extra", "casebook", "repository"), casebook.get("repository"))):
        if value and not _is_address(value):
            raise _error(mkdocs_yml, keys, f"must be {wanted}; it is {value!r}")
    contact = casebook.get("contact")
    if contact and not (_EMAIL.fullmatch(contact) if "@" in contact else _is_address(contact)):
        raise _error(mkdocs_yml, ("extra", "casebook", "contact"), f"must be an e-mail address, e.g. "
                     f"casebook@example.org, or {wanted}; it is {contact!r}")


def _is_address(value: str) -> bool:
    try:
        check_url(value)
    except PydanticCustomError:
        return False
    return not _NOT_IN_ADDRESSES.intersection(value)


def _mapping(parent: dict, keys: tuple[str, ...], mkdocs_yml: Path) -> dict:
    return _check(parent, keys, mkdocs_yml, dict, "must be a mapping of settings (key: value lines)") or {}


def _check(parent: dict, keys: tuple[str, ...], mkdocs_yml: Path, kind: type, message: str):
    """``parent[keys[-1]]`` if it is unset, empty or a ``kind``; otherwise the located :class:`SettingsError`."""
    value = parent.get(keys[-1])
    if value is None or isinstance(value, kind):
        return value
    raise _error(mkdocs_yml, keys, f"{message}; it is {value!r}")


def _error(mkdocs_yml: Path, keys: tuple[str, ...], message: str) -> SettingsError:
    path, line, column = _locate(mkdocs_yml, keys)
    return SettingsError(f"{display_path(path)}:{line}:{column}: {'.'.join(keys)}: {message}")


def _locate(mkdocs_yml: Path, keys: tuple[str, ...]) -> tuple[Path, int, int]:
    """Where the value of ``keys`` is written: in the file itself or the first file it INHERITs that sets it."""
    path: Path | None = mkdocs_yml
    while path is not None:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        parent = node
        for key in keys:
            parent = next((value for name, value in getattr(parent, "value", ())
                           if isinstance(parent, yaml.MappingNode) and name.value == key), None)
            if parent is None:
                break
        if parent is not None:
            return path, parent.start_mark.line + 1, parent.start_mark.column + 1
        inherit = next((value.value for name, value in getattr(node, "value", ())
                        if isinstance(node, yaml.MappingNode) and name.value == "INHERIT"), None)
        path = path.parent / inherit if isinstance(inherit, str) else None
    return mkdocs_yml, 1, 1


def _read(path: Path) -> dict:
    """A MkDocs configuration with what it INHERITs, as MkDocs merges them (mappings key by key)."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise SettingsError(f"{display_path(path)}:{where}: YAML syntax error: {exc.problem or exc.context}"
                            ) from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{display_path(path)}:1:1: YAML error: {exc}") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{display_path(path)}: not valid UTF-8 (byte {exc.start})") from None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise SettingsError(f"{display_path(path)}:1:1: a MkDocs configuration must be a mapping of settings "
                            "(key: value lines)")
    parent = config.pop("INHERIT", None)
    if parent is not None and not isinstance(parent, str):
        raise _error(path, ("INHERIT",), f"must be the path of a configuration file; it is {parent!r}")
    return _merged(_read(path.parent / parent), config) if parent else config


def _merged(base: dict, child: dict) -> dict:
    return {**base, **{key: _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict)
                       else value for key, value in child.items()}}
