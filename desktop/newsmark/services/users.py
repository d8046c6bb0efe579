"""`newsmark users`: team mode's users and their roles (ADR 0013), for the CLI."""

from __future__ import annotations

from newsmark.domain.errors import UsageError, printable
from newsmark.domain.roles import ROLES
from newsmark.storage import Repository


def list_users(repo: Repository) -> str:
    """The users, one `name  role` line each, and what the login is."""
    found = repo.users()
    login = repo.login()
    if not found:
        lines = ["no users: single-user, everyone may do everything"]
    else:
        width = max(len(n) for n in found)
        lines = [f"{printable(n).ljust(width)}  {found[n]}" for n in sorted(found)]
    if login is None:
        lines.append("(a database file: roles apply on a server only)")
    elif found and login not in found:
        lines.append(f"(you log in as {printable(login)}, not a user: you may not write)")
    elif found:
        lines.append(f"(you log in as {printable(login)}, {found[login]})")
    return "\n".join(lines)


def add_user(repo: Repository, name: str, role: str) -> str:
    """Add a user; the first one must be an admin. One line to print."""
    name = name.strip()
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    existing = repo.users()
    if not existing and role != "admin":
        raise UsageError(
            f"the first user must be an admin (newsmark users add NAME --role admin); "
            f"{name!r} as {role} would leave nobody to manage users"
        )
    repo.add_user(name, role)
    line = f"added {printable(name)} as {role}"
    login = repo.login()
    if login is not None and not existing and login != name:
        line += (
            f"; roles now apply on this server, and you log in as {printable(login)}, "
            "not a user: log in as an admin to write here"
        )
    return line


def remove_user(repo: Repository, name: str) -> str:
    role = repo.remove_user(name)
    return f"removed {printable(name)} ({role}); their sets and assignments stay"
