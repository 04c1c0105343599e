"""What the generator needs from mkdocs.yml: the site's name and public URL (feeds, citations)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from generator.problems import ConfigError

MKDOCS_FILE = "mkdocs.yml"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
DEFAULT_SITE_NAME = "ML Reading List"
# Read when there is no mkdocs.yml; with one, its `!ENV [SITE_URL, ...]` reads it.
SITE_URL_VARIABLE = "SITE_URL"


@dataclass(frozen=True)
class SiteSettings:
    """What a build reads from mkdocs.yml and the environment, resolved as MkDocs would."""

    url: str = DEFAULT_SITE_URL
    name: str = DEFAULT_SITE_NAME


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` as MkDocs resolves it, other tags (theme code) as nothing."""


def _ignore(loader: _MkDocsLoader, suffix: str, node: yaml.Node) -> None:
    """Tags such as ``!!python/name:`` name theme code; the generator does not need them."""
    return None


# MkDocs resolves !ENV with this very function (pyyaml_env_tag, pinned with it).
_MkDocsLoader.add_constructor("!ENV", construct_env_tag)
_MkDocsLoader.add_multi_constructor("", _ignore)


def read_config(root: Path) -> dict:
    """The project's mkdocs.yml as the engines read it (``!ENV`` resolved); empty when none."""
    path = root / MKDOCS_FILE
    if not path.exists():
        return {}
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    return config if isinstance(config, dict) else {}


def site_settings(root: Path) -> SiteSettings:
    """The site's public URL (with a trailing slash) and name, as ``mkdocs build`` will see them."""
    path = root / MKDOCS_FILE
    config = read_config(root)
    url: Any = config.get("site_url") if path.exists() else os.environ.get(SITE_URL_VARIABLE)
    if not url:
        url = DEFAULT_SITE_URL
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: site_url must be an http(s) address such as "
                          f"https://user.github.io/repo/, not {url!r}")
    name = config.get("site_name")
    if name is None:
        name = DEFAULT_SITE_NAME
    if not isinstance(name, str | int | float) or isinstance(name, bool) or not str(name).strip():
        raise ConfigError(f"{path}: site_name must be the site's name as text, not {name!r}")
    return SiteSettings(url if url.endswith("/") else url + "/", str(name).strip())


# MkDocs builds every page with these besides mkdocs.yml's own (its config's builtins).
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")


def markdown_extensions(config: dict) -> dict[str, dict]:
    """The Markdown extensions MkDocs builds pages with, in order, each with its settings:
    MkDocs' own, then mkdocs.yml's ``markdown_extensions`` (a name, or a name: settings)."""
    extensions: dict[str, dict] = {name: {} for name in BUILTIN_EXTENSIONS}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, str):
            extensions.setdefault(item, {})
        elif isinstance(item, dict):
            for name, settings in item.items():
                extensions[str(name)] = settings if isinstance(settings, dict) else {}
    return extensions
