"""The bearer token for an HTTP source: from CUTOVER_TUI_TOKEN or a private token file.

The token is a secret: it is never taken from the command line (argv is visible to every user
of the machine), never echoed in a message, and a token file others can read is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

TOKEN_ENV = "CUTOVER_TUI_TOKEN"
MAX_TOKEN_BYTES = 4096
"""A token longer than this is not a token (a wrong file given by mistake)."""


class TokenError(ValueError):
    """The token cannot be used; the message says why and how to fix it, never the token."""


def load_token(environ: Mapping[str, str], token_file: Path | None) -> str | None:
    """The bearer token: the token file's stripped content, else CUTOVER_TUI_TOKEN, else None.

    A token file wins over the environment variable. A token file that is missing, empty, not
    a regular file, or that the group or others may read or change is refused with
    `TokenError`.
    """
    if token_file is not None:
        token = _read_token_file(Path(token_file))
        check_token(token, f"{token_file}: the token")
        return token
    value = environ.get(TOKEN_ENV, "").strip()
    if not value:
        return None
    check_token(value, f"{TOKEN_ENV}: the token")
    return value


def check_token(token: str, label: str = "the token") -> None:
    """Refuse a token that cannot go in an HTTP header (without ever showing it)."""
    if not token:
        raise TokenError(f"{label} is empty")
    if len(token) > MAX_TOKEN_BYTES:
        raise TokenError(f"{label} is longer than {MAX_TOKEN_BYTES} characters")
    if not all("!" <= character <= "~" for character in token):
        raise TokenError(
            f"{label} contains spaces, control characters or non-ASCII characters: "
            "a bearer token is one word of printable ASCII"
        )


def _read_token_file(path: Path) -> str:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise TokenError(f"{path}: no such token file") from None
    except PermissionError:
        raise TokenError(f"{path}: the token file cannot be read (permission denied)") from None
    except OSError as error:
        raise TokenError(f"{path}: the token file cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise TokenError(f"{path}: is not a regular file; put the token in a file")
    loose = info.st_mode & 0o077
    if loose and os.name != "nt":
        raise TokenError(
            f"{path}: other users may read or change this token file "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); fix it with: chmod 600 {path}"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TOKEN_BYTES + 1)
    except OSError as error:
        raise TokenError(f"{path}: the token file cannot be read: {error.strerror}") from None
    try:
        token = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise TokenError(f"{path}: the token file is not UTF-8 text") from None
    if not token:
        raise TokenError(f"{path}: the token file is empty; put the token in it")
    return token
