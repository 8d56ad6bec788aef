"""Pinned runs: frozen copies of finished runs, kept to compare learning rates side by side.

A :class:`PinnedRun` copies what a plot or a table needs from a :class:`Run` (its
parameters and cost per epoch, the optimum) and the numbers that summarise it, so it
never changes when the run it came from is reset or advanced. :class:`PinnedRuns`
holds a few of them, each with a colour *index*: the GUI maps the index to a colour
(the core stays free of Qt), and a pin keeps its colour while others come and go.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from gd_viewer.core.descent import Run, Status
from gd_viewer.core.settings import RunSettings

FloatArray = NDArray[np.float64]

#: Most runs pinned at once: more lines than this cannot be told apart on a plot.
MAX_PINS = 6
#: Colour indices handed out (``0 … PIN_COLOURS - 1``); the GUI has one colour for each.
PIN_COLOURS = 6


def _number(value: float) -> str:
    """``value`` as the status line prints it (its repr), without a trailing ``.0``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def default_label(settings: RunSettings) -> str:
    """A short name of a run by what was chosen: ``"lr = 0.01, w0 = 1"``.

    The line model adds ``b0``; an optimizer other than plain ``gd`` comes first.
    """
    parts = [f"lr = {_number(settings.lr)}", f"w0 = {_number(settings.w0)}"]
    if settings.model != "origin":
        parts.append(f"b0 = {_number(settings.b0)}")
    if settings.optimizer != "gd":
        parts.insert(0, settings.optimizer)
    return ", ".join(parts)


def _frozen_copy(array: FloatArray) -> FloatArray:
    copy = np.array(array, dtype=np.float64, copy=True)
    copy.flags.writeable = False
    return copy


_EMPTY: FloatArray = np.empty(0)
_EMPTY.flags.writeable = False


@dataclass(frozen=True, eq=False)
class PinnedRun:
    """A run's history up to its last computed epoch, copied, and its summary.

    Build one with :meth:`from_run`. The arrays are read-only copies (never views
    of the run's History, which is reused when the run is reset).

    Two pins compare equal only when they are the same object (the arrays make
    field-by-field equality ambiguous); :meth:`same_as` compares their contents.
    """

    #: Shown in legends and the table.
    label: str
    settings: RunSettings
    #: ``(epochs + 1, n_params)``: the parameters at the start of each epoch (row
    #: ``k``), the last row holding the final parameters.
    params: FloatArray = field(repr=False)
    #: ``(epochs + 1,)``: the full-batch cost at those parameters.
    cost: FloatArray = field(repr=False)
    #: The closed-form optimum θ* of the run's model on its data.
    optimum: tuple[float, ...]
    #: The least cost (at the optimum).
    min_cost: float
    #: The run's status when pinned (FINISHED, DIVERGED, or RUNNING for a run pinned
    #: before its end) and why it ended (empty when it simply did all its epochs).
    status: Status
    reason: str
    #: The first recorded epoch ``k`` with ``‖θ_k − θ*‖ ≤ settings.tolerance``; None
    #: when no recorded epoch came that close.
    epochs_to_tolerance: int | None
    #: Stochastic runs: the epoch position (``k + j/batches``) of each recorded update
    #: and the parameters and cost after it (row 0: the start), as in ``History``;
    #: empty for full-batch runs.
    update_position: FloatArray = field(repr=False, default_factory=lambda: _EMPTY)
    update_params: FloatArray = field(repr=False, default_factory=lambda: _EMPTY)
    update_cost: FloatArray = field(repr=False, default_factory=lambda: _EMPTY)

    @classmethod
    def from_run(cls, run: Run, label: str | None = None) -> PinnedRun:
        """Copy ``run`` as it stands (every recorded epoch), labelled ``label``.

        Parameters
        ----------
        run
            The run to copy. Call this in the thread that owns the run, or while
            no worker resets it: rows already recorded are never rewritten while a
            run only advances, so a run still advancing is copied consistently.
        label
            Its name in legends and the table; :func:`default_label` when None.

        Raises
        ------
        ValueError
            The run recorded no epoch (its initial parameters already diverged).
        """
        rows = len(run.history)  # once: a worker may append rows meanwhile
        updates = len(run.history.update_position)
        if rows == 0:
            raise ValueError("the run has no recorded epoch to pin")
        distance = run.distance_to_optimum()[:rows]
        close = np.flatnonzero(distance <= run.settings.tolerance)
        return cls(
            label=default_label(run.settings) if label is None else label,
            settings=run.settings,
            params=_frozen_copy(run.history.params[:rows]),
            cost=_frozen_copy(run.history.cost[:rows]),
            optimum=tuple(float(v) for v in run.quadratic.optimum),
            min_cost=float(run.quadratic.min_cost),
            status=run.status,
            reason=run.reason,
            epochs_to_tolerance=int(close[0]) if close.size else None,
            update_position=_frozen_copy(run.history.update_position[:updates]),
            update_params=_frozen_copy(run.history.update_params[:updates]),
            update_cost=_frozen_copy(run.history.update_cost[:updates]),
        )

    # ------------------------------------------------------------ summary

    @property
    def lr(self) -> float:
        """The learning rate."""
        return self.settings.lr

    @property
    def initial_params(self) -> tuple[float, ...]:
        """The starting parameters (``(w0,)`` or ``(w0, b0)``)."""
        return tuple(float(v) for v in self.params[0])

    @property
    def final_params(self) -> tuple[float, ...]:
        """The parameters after the last epoch run."""
        return tuple(float(v) for v in self.params[-1])

    @property
    def final_cost(self) -> float:
        """The cost at the final parameters."""
        return float(self.cost[-1])

    @property
    def epochs(self) -> int:
        """Epochs run (the rows are ``0 … epochs``)."""
        return len(self.cost) - 1

    @property
    def tolerance(self) -> float:
        """The tolerance of :attr:`epochs_to_tolerance` (the settings' tolerance)."""
        return self.settings.tolerance

    @property
    def diverged(self) -> bool:
        """True when the run diverged (its history stops at the last finite epoch)."""
        return self.status is Status.DIVERGED

    def updates_by(self, epoch: int) -> int:
        """How many recorded updates come by the end of ``epoch`` (0 for full batch)."""
        return int(np.searchsorted(self.update_position, epoch, side="right"))

    @property
    def epoch_numbers(self) -> FloatArray:
        """``0 … epochs`` as floats: the x of a cost-per-epoch curve."""
        return np.arange(len(self.cost), dtype=np.float64)

    def same_as(self, other: PinnedRun) -> bool:
        """True when both pins hold the same settings, optimum and recorded values."""
        return (
            self.settings == other.settings
            and self.optimum == other.optimum
            and np.array_equal(self.params, other.params)
            and np.array_equal(self.cost, other.cost)
        )


class PinnedRuns:
    """Up to ``maximum`` pinned runs in the order pinned, each with a colour index.

    A new pin gets the lowest colour index no other pin has, so pins keep their
    colours when one is removed, and no two pins share one while ``maximum`` is at
    most ``PIN_COLOURS``.
    """

    def __init__(self, maximum: int = MAX_PINS) -> None:
        if not 1 <= maximum <= PIN_COLOURS:
            raise ValueError(f"maximum must be from 1 to {PIN_COLOURS}, not {maximum!r}")
        self.maximum = maximum
        self._runs: list[PinnedRun] = []
        self._colours: list[int] = []

    def add(self, pinned: PinnedRun) -> bool:
        """Pin ``pinned``; False (nothing changes) when full or it is already pinned."""
        if self.full or any(pinned.same_as(run) for run in self._runs):
            return False
        used = set(self._colours)
        self._colours.append(min(i for i in range(PIN_COLOURS) if i not in used))
        self._runs.append(pinned)
        return True

    def remove(self, index: int) -> PinnedRun:
        """Unpin the run at ``index`` (``IndexError`` if there is none); returns it."""
        del self._colours[index]
        return self._runs.pop(index)

    def clear(self) -> None:
        """Unpin every run."""
        self._runs.clear()
        self._colours.clear()

    @property
    def full(self) -> bool:
        """True when no more runs can be pinned."""
        return len(self._runs) >= self.maximum

    @property
    def colours(self) -> tuple[int, ...]:
        """The colour index of each pin, in the order of iteration."""
        return tuple(self._colours)

    def colour(self, index: int) -> int:
        """The colour index of the pin at ``index``."""
        return self._colours[index]

    def __getitem__(self, index: int) -> PinnedRun:
        return self._runs[index]

    def __iter__(self) -> Iterator[PinnedRun]:
        return iter(list(self._runs))

    def __len__(self) -> int:
        return len(self._runs)
