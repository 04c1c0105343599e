"""Errors and problem reports: every message says where and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GeneratorError(Exception):
    """Base class of the errors the CLI turns into one clear line."""


class ConfigError(GeneratorError):
    """A configuration file (taxonomy, dumps.yaml, slugs) is unusable."""


class WriteError(GeneratorError):
    """The writer refused a path or could not write."""


class Severity(StrEnum):
    """How bad a problem is; warnings fail the run only with ``--strict``."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing the tool could not fully read, with where it is and how to fix it."""

    file: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text
