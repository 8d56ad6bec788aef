"""The stopping rule's input: a combo box of the core's rules, each explained in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from gd_viewer.core.settings import STOP_RULES


class StopRuleInput(QComboBox):
    """Choose one of :data:`STOP_RULES`; ``epochs`` stays the upper bound whatever the rule.

    Signals
    -------
    rule_edited(str)
        The user chose another rule: its key (``epochs``, ``gradient`` or ``cost_change``).
    """

    rule_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = {
            "epochs": self.tr("fixed number of epochs"),
            "gradient": self.tr("|gradient| below a tolerance"),
            "cost_change": self.tr("change in cost below a tolerance"),
        }
        assert labels.keys() == STOP_RULES.keys()  # a new rule in the core needs words here
        for rule, label in labels.items():
            self.addItem(label, rule)
            self.setItemData(self.count() - 1, self.describe(rule), Qt.ItemDataRole.ToolTipRole)
        self.setToolTip("\n".join(f"• {label}: {self.describe(r)}" for r, label in labels.items()))
        self.currentIndexChanged.connect(self._on_self_current_index_changed)

    def rule(self) -> str:
        """The chosen rule's key."""
        return str(self.currentData())

    def set_rule(self, rule: str) -> None:
        """Show ``rule`` (a key of :data:`STOP_RULES`) without emitting."""
        index = self.findData(rule)
        if index < 0:
            raise ValueError(f"unknown stopping rule {rule!r}")
        with QSignalBlocker(self):
            self.setCurrentIndex(index)

    def describe(self, rule: str) -> str:
        """What ``rule`` does, in a sentence."""
        return {
            "epochs": self.tr("Run every epoch up to the number above, as the tutorial does."),
            "gradient": self.tr(
                "Stop at the first epoch whose gradient over all the points has a size "
                "|gradient| at most the tolerance, or after the epochs above if sooner."
            ),
            "cost_change": self.tr(
                "Stop at the first epoch whose cost differs from the epoch before's by at most "
                "the tolerance, or after the epochs above if sooner."
            ),
        }[rule]

    def minimumSizeHint(self) -> QSize:
        # The box may shrink, cutting a long name short, rather than widen a narrow panel;
        # its tooltip still says every rule in full.
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * 16), hint.height())

    def _on_self_current_index_changed(self, index: int) -> None:
        self.rule_edited.emit(self.rule())
