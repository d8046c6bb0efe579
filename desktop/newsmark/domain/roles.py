"""Team mode's roles: who may write what on a server (annotator, reviewer, admin).

Pure rules; `storage.roles` finds the login, its role and what a write session is about
to touch, and asks `refusal`. No users at all: single-user, everyone may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("annotator", "reviewer", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Identity:
    """Who is writing: the server login, its role (None: not a user) and whether the
    database has users at all (False: single-user, no roles)."""

    login: str
    role: str | None
    roles_on: bool


@dataclass(frozen=True)
class Need:
    """What a write is about to do: `what` completes "may not ...", `least` is the least
    role that may do it, `owner` the annotator whose set it is (who may write it too)."""

    what: str
    least: str
    owner: str | None = None

    def __post_init__(self) -> None:
        if self.least not in _RANK:
            raise ValueError(f"unknown role {self.least!r}")


def refusal(who: Identity, need: Need) -> str | None:
    """Why `who` may not do `need` (one line), or None when they may."""
    if not who.roles_on:
        return None
    if who.role is None:
        return (
            f"{who.login} is not a user of this database: may not {need.what} "
            f"(an admin adds them: newsmark users add {who.login} --role annotator)"
        )
    if _RANK.get(who.role, -1) >= _RANK[need.least]:
        return None
    if need.owner is not None and need.owner == who.login:
        return None
    article = "an" if who.role[0] in "aeiou" else "a"
    return f"{who.login} is {article} {who.role}: may not {need.what}"


def least_clause(least: str) -> str:
    """ " (admins only)" / " (reviewers and admins only)": said after corpus-wide refusals."""
    allowed = ROLES[_RANK[least] :]
    return " (" + " and ".join(f"{r}s" for r in allowed) + " only)"
