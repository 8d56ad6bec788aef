"""Find the files shipped with gd-viewer: icons, translations, presets.

The folder ``resources/`` sits at the top of the source checkout and is copied into the
wheel as ``gd_viewer/resources`` (see ``pyproject.toml``). :func:`resource_path` finds
it in either place, so the same code works installed, editable, and from a clone.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Where to look, in order: inside the installed package, then the source checkout.
_CANDIDATES = (
    _PACKAGE_DIR / "resources",
    _PACKAGE_DIR.parent / "resources",
)


def resources_dir() -> Path:
    """Return the resources folder.

    Raises
    ------
    FileNotFoundError
        If neither an installed ``gd_viewer/resources`` nor a checkout's ``resources/``
        exists.
    """
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in _CANDIDATES)
    raise FileNotFoundError(
        f"gd-viewer's resources folder is missing (looked in: {tried}); "
        "reinstall gd-viewer, or run it from a complete source checkout"
    )


def resource_path(*parts: str) -> Path:
    """Return the path of a shipped resource, such as ``resource_path("icons", "x.svg")``.

    Parameters
    ----------
    *parts
        Path components below the resources folder.

    Returns
    -------
    pathlib.Path
        The path to the resource. It is not checked that the file itself exists, only
        the resources folder, so callers can build paths for optional files.

    Raises
    ------
    FileNotFoundError
        If the resources folder cannot be found.
    """
    return resources_dir().joinpath(*parts)
