"""Legend rows that come and go: each shown while what it explains may be, in a fixed order."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from gd_viewer.gui.panes.base import ShowText, set_text_now
from gd_viewer.gui.panes.legend import Legend, LegendText, legend_entry


class OptionalRows:
    """Rows at the bottom of a legend, below its fixed ones, shown only when wanted.

    Parameters
    ----------
    legend
        The legend to add the rows to (after its fixed rows).
    styles
        Each row's name and sample style (as for ``legend_entry``), in the order the
        rows are shown.
    """

    def __init__(
        self,
        legend: Legend,
        styles: Mapping[str, Mapping[str, object]],
        show_text: ShowText | None = None,
    ) -> None:
        self._legend = legend
        # The pane's (see PlotPane.set_live): numbers follow at a readable pace while playing.
        self._show_text: ShowText = show_text or set_text_now
        self._styles = {row: dict(style) for row, style in styles.items()}
        self._texts = dict.fromkeys(self._styles, "")
        self._rows: dict[str, LegendText] = {}

    def set_text(self, row: str, text: str) -> None:
        """Write ``text`` on ``row`` (now if it is shown, else when it will be)."""
        self._texts[row] = text
        if row in self._rows:
            self._show_text(self._rows[row], text)

    def shown(self) -> list[str]:
        """The names of the rows shown, in order."""
        return list(self._rows)

    def show_only(self, wanted: Collection[str]) -> bool:
        """Show the rows in ``wanted`` and no others; True if that changed the legend."""
        rows = [row for row in self._styles if row in wanted]
        if list(self._rows) == rows:
            return False
        # Rows are added at the bottom: take all of these off, and add those wanted in order.
        for text in reversed(list(self._rows.values())):
            for sample, label in list(self._legend.items):
                if label is text:
                    self._legend.items.remove((sample, label))
                    for part in (sample, label):
                        self._legend.layout.removeItem(part)
                        part.close()
                        if part.scene() is not None:
                            part.scene().removeItem(part)
        self._rows = {
            row: legend_entry(self._legend, self._texts[row], **self._styles[row]) for row in rows
        }
        self._legend.refit()
        return True
