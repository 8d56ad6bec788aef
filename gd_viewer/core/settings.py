"""What the user chose for a run, validated, and saved to or loaded from JSON."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gd_viewer.core.fileio import atomic_write_text
from gd_viewer.core.models import MODELS
from gd_viewer.core.optimizers import OPTIMIZERS

#: Longest run: its History holds a few arrays of this length.
MAX_EPOCHS = 10_000_000
#: Batch size of ``minibatch`` when none is given.
DEFAULT_BATCH_SIZE = 32
#: When a run stops, besides reaching ``epochs`` (always the upper bound).
STOP_RULES: dict[str, str] = {
    "epochs": "run every epoch (the tutorial's)",
    "gradient": "stop at the first epoch k whose full-batch |gradient| ≤ tolerance",
    "cost_change": "stop at the first epoch k ≥ 1 with |cost_k − cost_(k−1)| ≤ tolerance",
}
#: Tolerance of the stopping rules when none is given.
DEFAULT_TOLERANCE = 1e-6
_LIMIT = 1e100


class SettingsError(ValueError):
    """A setting out of range, with a message that names the setting."""


@dataclass(frozen=True)
class RunSettings:
    """Everything that defines a run besides its data. Defaults: the tutorial.

    Raises
    ------
    SettingsError
        When any field is out of range (checked on construction).
    """

    model: str = "origin"
    optimizer: str = "gd"
    lr: float = 0.01
    epochs: int = 100
    w0: float = 1.0
    b0: float = 0.0
    batch_size: int | None = None
    momentum: float = 0.9
    alpha: float = 0.99
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float | None = None
    shuffle: bool = False
    seed: int = 0
    #: One of :data:`STOP_RULES`; ``epochs`` stays the upper bound whatever the rule.
    stop: str = "epochs"
    tolerance: float = DEFAULT_TOLERANCE

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or self.model not in MODELS:
            raise SettingsError(f"model must be one of {', '.join(MODELS)}, not {self.model!r}")
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:
            raise SettingsError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {self.optimizer!r}"
            )
        _number(self, "lr", "the learning rate", low=0.0, low_open=True)
        if not _is_int(self.epochs) or not 0 <= self.epochs <= MAX_EPOCHS:
            raise SettingsError(
                f"epochs must be a whole number from 0 to {MAX_EPOCHS:,}, not {self.epochs!r}"
            )
        _number(self, "w0", "the initial w")
        _number(self, "b0", "the initial b")
        _number(self, "momentum", "the momentum", low=0.0, high=1.0)
        _number(self, "alpha", "RMSProp's alpha", low=0.0, high=1.0)
        _number(self, "beta1", "Adam's beta1", low=0.0, high=1.0)
        _number(self, "beta2", "Adam's beta2", low=0.0, high=1.0)
        if self.eps is not None:
            _number(self, "eps", "epsilon", low=0.0, low_open=True)
        if not isinstance(self.shuffle, bool):
            raise SettingsError(f"shuffle must be true or false, not {self.shuffle!r}")
        if not _is_int(self.seed) or self.seed < 0:
            raise SettingsError(f"the seed must be a whole number ≥ 0, not {self.seed!r}")
        if not isinstance(self.stop, str) or self.stop not in STOP_RULES:
            raise SettingsError(
                f"the stopping rule (stop) must be one of {', '.join(STOP_RULES)}, "
                f"not {self.stop!r}"
            )
        _number(self, "tolerance", "the tolerance of the stopping rule", low=0.0, low_open=True)
        self._check_batch_size()

    def _check_batch_size(self) -> None:
        size = self.batch_size
        if size is None:
            return
        if not _is_int(size) or size < 1:
            raise SettingsError(f"the batch size must be a whole number ≥ 1, not {size!r}")
        batching = OPTIMIZERS[self.optimizer].batching
        if batching == "full":
            raise SettingsError(
                "a batch size does not apply to gd, which uses every point in each update; "
                "for batches choose the minibatch optimizer"
            )
        if batching == "one" and size != 1:
            raise SettingsError(
                "the batch size of sgd is 1 (one point per update); "
                "for larger batches choose the minibatch optimizer"
            )

    @property
    def initial_params(self) -> tuple[float, ...]:
        """The starting parameters in the model's order."""
        return (self.w0,) if self.model == "origin" else (self.w0, self.b0)

    @property
    def is_stochastic(self) -> bool:
        """True when updates use fewer points than the whole data set (batch size given)."""
        batching = OPTIMIZERS[self.optimizer].batching
        return batching in ("one", "mini") or self.batch_size is not None

    def batch_size_for(self, n_points: int) -> int:
        """Points per update on data of ``n_points`` (the last batch may be smaller)."""
        batching = OPTIMIZERS[self.optimizer].batching
        if batching == "one":
            size = 1
        elif batching == "mini":
            size = self.batch_size or DEFAULT_BATCH_SIZE
        else:
            size = self.batch_size or n_points
        return min(size, n_points)

    def replace(self, **changes: Any) -> RunSettings:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: Any) -> RunSettings:
        """Settings from a mapping such as parsed JSON; unknown keys are errors."""
        if not isinstance(values, dict):
            raise SettingsError("settings must be a JSON object of names and values")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(
                f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}"
            )
        try:
            return cls(**values)
        except TypeError as error:  # pragma: no cover - guarded by the key check
            raise SettingsError(str(error)) from None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write as JSON, atomically."""
        atomic_write_text(path, json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> RunSettings:
        """Read from JSON; a missing, unreadable or corrupt file raises SettingsError."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not a UTF-8 text file"
            raise SettingsError(f"{path}: cannot be read ({reason})") from None
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            raise SettingsError(
                f"{path}: not valid JSON (line {error.lineno}: {error.msg})"
            ) from None
        try:
            return cls.from_dict(values)
        except SettingsError as error:
            raise SettingsError(f"{path}: {error}") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(
    settings: RunSettings,
    name: str,
    description: str,
    low: float = -_LIMIT,
    high: float = _LIMIT,
    low_open: bool = False,
) -> None:
    value = getattr(settings, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{description} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise SettingsError(f"{description} must be a finite number, not {value!r}")
    if high == 1.0 and not low <= value < 1.0:
        raise SettingsError(
            f"{description} must be from {low:g} up to (not including) 1, not {value!r}"
        )
    if (value <= low) if low_open else (value < low):
        raise SettingsError(f"{description} must be greater than {low:g}, not {value!r}")
    if abs(value) > _LIMIT:
        raise SettingsError(f"{description} must lie within ±{_LIMIT:g}, not {value!r}")
    object.__setattr__(settings, name, value)
