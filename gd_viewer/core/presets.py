"""Presets: a data set and run settings that load in one click, with a note for students.

Each preset is one JSON file in the shipped ``resources/presets/`` folder, named after
the preset (``tutorial.json``)::

    {
      "name": "tutorial",
      "title": "The tutorial: y = w·x on three points",
      "description": "One paragraph for students: what to watch, and why it happens.",
      "settings": {"model": "origin", "lr": 0.01, ...},
      "data": {"x": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 6.0]}
    }

``settings`` is :class:`~gd_viewer.core.settings.RunSettings` JSON (fields left out take
their defaults). ``data`` holds the points inline, or names a CSV file in the same folder
(``"data": "noisy-intercept.csv"``), read with :func:`~gd_viewer.core.data.read_csv`.

Every problem with a file raises :class:`PresetError`, whose message names the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gd_viewer.core.data import DataError, Dataset, read_csv
from gd_viewer.core.settings import RunSettings, SettingsError
from gd_viewer.resources import resource_path

#: The preset the app starts with: the tutorial.
DEFAULT_PRESET = "tutorial"
#: Preset names: lower-case words joined by hyphens (also the file names, plus ``.json``).
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEYS = ("name", "title", "description", "settings", "data")


class PresetError(ValueError):
    """A preset that does not exist or cannot be used; the message names the file."""


@dataclass(frozen=True)
class Preset:
    """A named data set with the settings to run on it.

    Attributes
    ----------
    name
        The identifier, also the file name without ``.json`` (``"badly-scaled"``).
    title
        A short heading for menus.
    description
        One paragraph for students: what the run shows and what to try.
    dataset, settings
        What a run of this preset uses.
    """

    name: str
    title: str
    description: str
    dataset: Dataset
    settings: RunSettings


def presets_dir() -> Path:
    """The folder of the shipped presets (``resources/presets``).

    Raises
    ------
    PresetError
        If gd-viewer's resources folder cannot be found.
    """
    try:
        return resource_path("presets")
    except FileNotFoundError as error:
        raise PresetError(str(error)) from None


def preset_names() -> list[str]:
    """The names of the presets on disk, the default first and the rest sorted.

    The files are not read; :func:`list_presets` reads and checks them all.
    """
    folder = presets_dir()
    try:
        names = [path.stem for path in folder.glob("*.json") if _NAME.fullmatch(path.stem)]
    except OSError as error:
        raise PresetError(f"{folder}: cannot be listed ({error.strerror or error})") from None
    return sorted(names, key=lambda name: (name != DEFAULT_PRESET, name))


def list_presets() -> list[Preset]:
    """Every preset, loaded and checked: the tutorial first, then by name.

    Raises
    ------
    PresetError
        If any preset file is unreadable or invalid.
    """
    return [load_preset(name) for name in preset_names()]


def load_preset(name: str) -> Preset:
    """The preset called ``name`` (such as ``"tutorial"``).

    Raises
    ------
    PresetError
        If there is no such preset, or its file (or its CSV file) cannot be read or is
        invalid; the message names the file and the problem.
    """
    folder = presets_dir()
    path = folder / f"{name}.json"
    if not isinstance(name, str) or not _NAME.fullmatch(name) or not path.is_file():
        available = ", ".join(preset_names()) or "none"
        raise PresetError(f"there is no preset named {name!r}; the presets are: {available}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not a UTF-8 text file"
        raise PresetError(f"{path}: cannot be read ({reason})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PresetError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from None
    try:
        return _preset(document, name, path)
    except (PresetError, SettingsError, DataError) as error:
        raise PresetError(f"{path}: {error}") from None


def _preset(document: Any, name: str, path: Path) -> Preset:
    if not isinstance(document, dict):
        raise PresetError("a preset must be a JSON object with the keys " + ", ".join(_KEYS))
    missing = [key for key in _KEYS if key not in document]
    if missing:
        raise PresetError(f"the key {missing[0]!r} is missing")
    unknown = sorted(set(document) - set(_KEYS))
    if unknown:
        raise PresetError(f"unknown key {unknown[0]!r}; known: {', '.join(_KEYS)}")
    for key in ("name", "title", "description"):
        if not isinstance(document[key], str) or not document[key].strip():
            raise PresetError(f"{key} must be a non-empty text, not {document[key]!r}")
    if document["name"] != name:
        raise PresetError(
            f"name is {document['name']!r} but the file is {path.name}: they must agree"
        )
    try:
        settings = RunSettings.from_dict(document["settings"])
    except SettingsError as error:
        raise PresetError(f"settings: {error}") from None
    return Preset(
        name=name,
        title=document["title"].strip(),
        description=document["description"].strip(),
        dataset=_dataset(document["data"], path.parent),
        settings=settings,
    )


def _dataset(data: Any, folder: Path) -> Dataset:
    """Inline ``{"x": [...], "y": [...]}``, or the name of a CSV file in ``folder``."""
    if isinstance(data, str):
        # A bare file name: presets read only files next to them.
        if not data or Path(data).name != data or data in (".", ".."):
            raise PresetError(
                f"data must name a CSV file in the presets folder, not the path {data!r}"
            )
        # read_csv's message starts with the CSV file's path.
        return read_csv(folder / data)
    if not isinstance(data, dict) or set(data) != {"x", "y"}:
        raise PresetError(
            'data must be {"x": [...], "y": [...]} or the name of a CSV file next to the preset'
        )
    for column in ("x", "y"):
        if not isinstance(data[column], list):
            raise PresetError(f"data: {column} must be a list of numbers")
    try:
        return Dataset(data["x"], data["y"])
    except DataError as error:
        raise PresetError(f"data: {error}") from None
