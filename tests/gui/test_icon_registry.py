"""The icon registry: every role draws its glyph from the fonts ui.icons loads."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from newsmark.ui import icons


def _inked(image: QImage) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha()
    )


@pytest.mark.parametrize("role", sorted(icons.ICONS))
def test_every_role_draws_a_glyph(qtbot: QtBot, role: str) -> None:
    image = icons.icon(role).pixmap(32, 32).toImage()
    # A glyph missing from the loaded fonts draws nothing (qtawesome paints an empty icon).
    assert _inked(image) > 20, f"{role} ({icons.ICONS[role]}) draws nothing"


def test_status_icons_take_their_colour(qtbot: QtBot) -> None:
    for status, colour in icons.STATUS_COLORS.items():
        image = icons.status_icon(status).pixmap(32, 32).toImage()
        opaque = [
            image.pixelColor(x, y)
            for y in range(image.height())
            for x in range(image.width())
            if image.pixelColor(x, y).alpha() == 255
        ]
        assert opaque and opaque[0].name() == colour, status
