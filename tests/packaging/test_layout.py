"""The package's shape: the core stays free of Qt, and the resources ship in the wheel."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

from gd_viewer.resources import resource_path

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "gd_viewer" / "core"

#: Top-level modules the core must never import: Qt bindings and anything built on them.
FORBIDDEN_IN_CORE = frozenset({"PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2"})
#: Parts of gd-viewer that sit above the core (dependencies point core <- gui <- app).
ABOVE_CORE = ("gd_viewer.gui", "gd_viewer.app", "gd_viewer.cli")


def _core_files() -> list[Path]:
    if not CORE.is_dir():
        raise AssertionError("gd_viewer/core is missing")
    return sorted(CORE.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_names(path: Path) -> set[str]:
    """The absolute module names a source file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
            # `from gd_viewer import gui` imports gd_viewer.gui
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def _forbidden(name: str) -> bool:
    top = name.partition(".")[0]
    return top in FORBIDDEN_IN_CORE or any(
        name == above or name.startswith(above + ".") for above in ABOVE_CORE
    )


def test_core_source_imports_no_qt() -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(n for n in _imported_names(path) if _forbidden(n))
        for path in _core_files()
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert not offenders, f"gd_viewer/core must stay free of Qt and the GUI: {offenders}"


def test_importing_the_core_loads_no_qt() -> None:
    modules = [_module_name(path) for path in _core_files()]
    # A fresh interpreter: pytest-qt has already loaded PySide6 into this one.
    script = textwrap.dedent(
        """
        import importlib, json, sys
        for name in json.loads(sys.argv[1]):
            importlib.import_module(name)
        print(json.dumps(sorted(
            m for m in sys.modules if m.partition(".")[0] in set(json.loads(sys.argv[2]))
        )))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(modules), json.dumps(sorted(FORBIDDEN_IN_CORE))],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"importing the core failed:\n{result.stderr}"
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing {modules} loaded {loaded}"


def test_the_icon_is_found() -> None:
    assert resource_path("icons", "gd-viewer.svg").is_file()
    assert resource_path("icons", "gd-viewer-256.png").is_file()


def test_missing_resources_folder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import gd_viewer.resources as resources

    monkeypatch.setattr(resources, "_CANDIDATES", (REPO / "no-such-folder",))
    with pytest.raises(FileNotFoundError, match="resources folder is missing"):
        resource_path("icons", "gd-viewer.svg")


def _hatchling_pythonpath(tmp_path: Path) -> str | None:
    """A PYTHONPATH under which hatchling imports; None if it already does here."""
    try:
        import hatchling  # noqa: F401
    except ImportError:
        pass
    else:
        return None
    # Not in the test extra (a user never needs it): fetch the build requirements the way
    # pip's build isolation would, once for this test.
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    requires = pyproject["build-system"]["requires"]
    target = tmp_path / "build-requires"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), *requires],
        check=True,
        timeout=300,
    )
    return str(target)


def test_wheel_and_sdist_ship_the_resources(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    env = dict(os.environ)
    pythonpath = _hatchling_pythonpath(tmp_path)
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    # The same PEP 517 hooks pip calls.
    build = (
        "import sys, hatchling.build as b; "
        "print(b.build_wheel(sys.argv[1])); print(b.build_sdist(sys.argv[1]))"
    )
    subprocess.run(
        [sys.executable, "-c", build, str(out)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = out.glob("gd_viewer-*.whl")
    (sdist,) = out.glob("gd_viewer-*.tar.gz")

    with zipfile.ZipFile(wheel) as zf:
        wheel_names = set(zf.namelist())
        zf.extractall(tmp_path / "installed")
    for name in (
        "gd_viewer/resources/icons/gd-viewer.svg",
        "gd_viewer/resources/README.md",
        "gd_viewer/resources/presets/tutorial.json",
        "gd_viewer/resources/presets/noisy-intercept.csv",  # data next to its preset
    ):
        assert name in wheel_names
    assert not any(name.startswith(("resources/", "tests/")) for name in wheel_names)

    with tarfile.open(sdist) as tf:
        sdist_names = {name.partition("/")[2] for name in tf.getnames()}
    assert "resources/icons/gd-viewer.svg" in sdist_names
    assert "resources/presets/tutorial.json" in sdist_names
    assert "pyproject.toml" in sdist_names

    # Installed from the wheel, resource_path() finds the copy inside the package (the
    # module gd_viewer/resources.py and the folder gd_viewer/resources/ share a name).
    find = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from gd_viewer.resources import resource_path; "
        "print(resource_path('icons', 'gd-viewer.svg')); "
        "from gd_viewer.core.presets import list_presets, presets_dir; "
        "print(presets_dir()); print(len(list_presets()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", find, str(tmp_path / "installed")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    icon, presets, count = result.stdout.split("\n")[:3]
    for found in (Path(icon), Path(presets)):
        assert found.exists()
        assert found.is_relative_to(tmp_path / "installed" / "gd_viewer" / "resources")
    # Every shipped preset (and the CSV file one of them reads) loads from the wheel.
    assert int(count) == len(list((REPO / "resources" / "presets").glob("*.json")))
