"""Items shown where the pane wants them *and* they have room (a small pane leaves some out)."""

from __future__ import annotations

from typing import Any


class ShownWhereRoom:
    """Mix-in for a QGraphicsItem: ``setVisible`` says whether its pane wants it shown;
    :meth:`set_room` whether it has room, as the item itself works out. It is shown
    when both hold, and a pane that shows or hides it does not undo a lack of room.

    Put it before the Qt class in the bases.
    """

    _wanted = True
    _has_room = True

    def setVisible(self, visible: bool) -> None:
        """Show the item (where it has room: see :meth:`set_room`) or hide it."""
        self._wanted = bool(visible)
        self._show_if_due()

    def show(self) -> None:
        self.setVisible(True)

    def hide(self) -> None:
        self.setVisible(False)

    def wanted(self) -> bool:
        """Whether its pane wants it shown (it may still be left out for want of room)."""
        return self._wanted

    def set_room(self, has_room: bool) -> None:
        """Whether the item has room to be shown (else it is left out)."""
        if bool(has_room) != self._has_room:
            self._has_room = bool(has_room)
            self._show_if_due()

    def _show_if_due(self) -> None:
        base: Any = super()
        base.setVisible(self._wanted and self._has_room)
