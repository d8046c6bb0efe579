"""The roles' rules (domain/roles.py), without a database: who may do what, and the one
line that says why not."""

from __future__ import annotations

import pytest

from newsmark.domain.roles import Identity, Need, refusal

SET_OF_ANA = Need("edit ana's set of 'Bridge vote'", "reviewer", owner="ana")
ASSIGN = Need("assign documents (admins only)", "admin")


@pytest.mark.parametrize(
    ("login", "role", "need", "allowed"),
    [
        ("ana", "annotator", SET_OF_ANA, True),
        ("ben", "annotator", SET_OF_ANA, False),
        ("cleo", "reviewer", SET_OF_ANA, True),
        ("dora", "admin", SET_OF_ANA, True),
        ("ana", "annotator", ASSIGN, False),
        ("cleo", "reviewer", ASSIGN, False),
        ("dora", "admin", ASSIGN, True),
        ("eve", None, SET_OF_ANA, False),
    ],
)
def test_who_may_do_what(login: str, role: str | None, need: Need, allowed: bool) -> None:
    assert (refusal(Identity(login, role, roles_on=True), need) is None) is allowed


def test_no_users_no_refusals() -> None:
    assert refusal(Identity("eve", None, roles_on=False), ASSIGN) is None


def test_messages() -> None:
    ben = Identity("ben", "annotator", roles_on=True)
    assert (
        refusal(ben, SET_OF_ANA) == "ben is an annotator: may not edit ana's set of 'Bridge vote'"
    )
    cleo = Identity("cleo", "reviewer", roles_on=True)
    assert refusal(cleo, ASSIGN) == "cleo is a reviewer: may not assign documents (admins only)"


def test_an_unknown_least_role_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        Need("x", "boss")
