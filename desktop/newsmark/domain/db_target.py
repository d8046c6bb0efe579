"""Which database to open: a SQLite file path or a PostgreSQL URL, never with a password.

`--db`, `NEWSMARK_DB` and the Preferences field all go through `check_target`: a URL
that carries a password is refused, so it cannot land in the settings file, a log or an
error message; libpq reads passwords from ~/.pgpass (or the file PGPASSFILE names).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from newsmark.domain.errors import UsageError

SERVER_SCHEMES = ("postgresql", "postgresql+psycopg")
EXAMPLE = "postgresql+psycopg://USER@HOST:PORT/DATABASE"
PASSWORD_HELP = (
    "put the password in ~/.pgpass (or the file PGPASSFILE names; one line "
    "HOST:PORT:DATABASE:USER:PASSWORD, mode 0600), which libpq reads"
)
# scheme://user:secret@ : the secret is whatever lies between the first ':' after '//'
# and the last '@' of the authority.
_USERINFO = re.compile(r"^(?P<head>[a-z0-9+.-]+://[^/?#@:]*):(?P<secret>[^/?#]*)@", re.I)
_QUERY_SECRET = re.compile(r"(?P<key>[?&]password=)[^&#]*", re.I)


def is_server_url(target: str) -> bool:
    """A URL (scheme://...), as opposed to a file path."""
    return "://" in target


def mask(text: str) -> str:
    """`text` with any password in a URL replaced by ***: for messages and logs."""
    return _QUERY_SECRET.sub(r"\g<key>***", _USERINFO.sub(r"\g<head>:***@", text))


def check_target(target: str, where: str) -> str:
    """`target` stripped, or a UsageError naming `where` it came from (`--db`...).

    A path is any text without "://". A URL must be PostgreSQL through psycopg, name a
    database and carry no password (in the user part or as ?password=).
    """
    target = target.strip()
    if not target:
        raise UsageError(f"{where}: empty; give a SQLite file path or {EXAMPLE}")
    if not is_server_url(target):
        return target
    shown = mask(target)
    parts = urlsplit(target)
    if parts.password is not None or any(
        key.lower() == "password" for key, _ in parse_qsl(parts.query)
    ):
        raise UsageError(
            f"{where}: {shown} carries a password; Newsmark never stores or shows one: "
            f"remove it from the URL and {PASSWORD_HELP}"
        )
    if parts.scheme.lower() not in SERVER_SCHEMES:
        raise UsageError(
            f"{where}: {shown} is not a PostgreSQL URL; give a SQLite file path or {EXAMPLE}"
        )
    if not parts.path.strip("/"):
        raise UsageError(f"{where}: {shown} names no database; use {EXAMPLE}")
    return target
