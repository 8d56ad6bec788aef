"""Shared helpers for tests that run the descent."""

from __future__ import annotations

import numpy as np

from gd_viewer.core import Dataset, Run, RunSettings


def finished(data: Dataset, **settings: object) -> Run:
    """A run with these settings, advanced to its end."""
    run = Run(data, RunSettings(**settings))  # type: ignore[arg-type]
    run.run_to_end()
    return run


def snapshot(run: Run) -> dict[str, np.ndarray]:
    """Copies of every History array, to compare runs."""
    h = run.history
    return {
        name: np.array(getattr(h, name))
        for name in ("params", "cost", "grad", "update_params", "update_cost", "update_position")
    }
