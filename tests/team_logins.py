"""Login roles on the PostgreSQL test server, for team mode's role tests: each a real
`CREATE ROLE ... LOGIN PASSWORD`, its password in a pgpass file of the test's own (libpq
reads it through PGPASSFILE, as a user's ~/.pgpass), with rights on one test database."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def as_login(url: str, login: str) -> str:
    """`url` with `login` as its user (no password: the pgpass file has it)."""
    return make_url(url).set(username=login).render_as_string(hide_password=False)


# What the README's least-privilege annotator login is granted (ADR 0013).
ANNOTATOR_GRANTS = (
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}",
    "GRANT INSERT, UPDATE, DELETE ON annotation_sets, spans, quotes, entities TO {name}",
    "GRANT INSERT ON edit_log TO {name}",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}",
)
ALL_GRANTS = (
    "GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}",
    "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}",
)


def create_logins(
    url: str,
    names: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    grants: tuple[str, ...] = ALL_GRANTS,
) -> None:
    """Make each name a login role with a fresh password, allowed to read and write the
    database `url` names (as a team's server admin GRANTs), and point PGPASSFILE at a
    copy of the test server's pgpass with their lines added."""
    parsed = make_url(url)
    host, port = parsed.host or "localhost", parsed.port or 5432
    lines = []
    old = os.environ.get("PGPASSFILE")
    if old and Path(old).is_file():
        lines.append(Path(old).read_text(encoding="utf-8").rstrip("\n"))
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            for name in names:
                password = secrets.token_hex(12)
                exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
                verb = "ALTER" if exists else "CREATE"
                conn.execute(text(f"{verb} ROLE {name} LOGIN PASSWORD '{password}'"))
                for grant in grants:
                    conn.execute(text(grant.format(name=name)))
                lines.append(f"{host}:{port}:*:{name}:{password}")
    finally:
        engine.dispose()
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
