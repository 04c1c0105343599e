"""What the generator needs from mkdocs.yml: the site's public URL, for feeds and citations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

MKDOCS_FILE = "mkdocs.yml"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` as MkDocs resolves it, other tags (theme code) as nothing."""


def _env(loader: _MkDocsLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, ..., default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    items = loader.construct_sequence(node)
    for name in items[:-1] if len(items) > 1 else items:
        if isinstance(name, str) and os.environ.get(name):
            return os.environ[name]
    return items[-1] if len(items) > 1 else None


def _ignore(loader: _MkDocsLoader, suffix: str, node: yaml.Node) -> None:
    """Tags such as ``!!python/name:`` name theme code; the generator does not need them."""
    return None


_MkDocsLoader.add_constructor("!ENV", _env)
_MkDocsLoader.add_multi_constructor("", _ignore)


def read_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as the engines read it (``!ENV`` resolved); empty when there is none."""
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


def site_url(root: Path) -> str:
    """The site's public URL with a trailing slash, as ``mkdocs build`` will see it."""
    path = root / MKDOCS_FILE
    url: Any = read_config(root).get("site_url") if path.exists() else os.environ.get("SITE_URL")
    if not url:
        url = DEFAULT_SITE_URL
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: site_url must be an http(s) address such as "
                          f"https://user.github.io/repo/, not {url!r}")
    return url if url.endswith("/") else url + "/"
