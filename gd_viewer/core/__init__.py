"""The numpy-only core of gd-viewer: data, models, optimizers, runs and their analysis.

Nothing here imports Qt, so all of it works from a script or a notebook::

    from gd_viewer.core import Dataset, Run, RunSettings
    run = Run(Dataset.tutorial(), RunSettings(lr=0.01, epochs=100))
    run.run_to_end()
    run.history.params[-1]      # array([1.99999...])
"""

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.data import DataError, Dataset, read_csv, write_csv
from gd_viewer.core.descent import EpochRecord, History, Run, Status
from gd_viewer.core.models import MODELS, LineModel, Model, OriginModel, get_model
from gd_viewer.core.optimizers import OPTIMIZERS, make_step_rule
from gd_viewer.core.pins import MAX_PINS, PinnedRun, PinnedRuns
from gd_viewer.core.presets import Preset, PresetError, list_presets, load_preset
from gd_viewer.core.settings import STOP_RULES, RunSettings, SettingsError

__all__ = [
    "MAX_PINS",
    "MODELS",
    "OPTIMIZERS",
    "STOP_RULES",
    "Analysis",
    "DataError",
    "Dataset",
    "EpochRecord",
    "History",
    "LineModel",
    "Model",
    "OriginModel",
    "PinnedRun",
    "PinnedRuns",
    "Preset",
    "PresetError",
    "Run",
    "RunSettings",
    "SettingsError",
    "Status",
    "get_model",
    "list_presets",
    "load_preset",
    "make_step_rule",
    "read_csv",
    "write_csv",
]
