"""Where the files that travel with the code live: in a wheel under ``chatbot/_data``, in a
checkout beside the package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    installed = _PACKAGE / "_data"
    if (installed / "policies").is_dir():
        return installed
    return _PACKAGE.parent


def policies_dir() -> Path:
    return data_root() / "policies"


def default_policy_file() -> Path:
    return policies_dir() / "hunts-cross-primary.toml"


def migrations_dir() -> Path:
    return data_root() / "migrations"
