"""The gd-viewer command line entry point (gd_viewer/app.py)."""

from __future__ import annotations

import subprocess
import sys
import types
from typing import Any

import pytest

from gd_viewer import __version__, app


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"gd-viewer {__version__}"


def test_help_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["--help"]) == 0
    assert "gd-viewer run" in capsys.readouterr().out


def test_run_is_handed_to_the_cli_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_main(argv: list[str] | None = None) -> int:
        seen.append(list(argv or []))
        return 7

    fake_cli = types.ModuleType("gd_viewer.cli")
    fake_cli.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gd_viewer.cli", fake_cli)

    assert app.main(["run", "--epochs", "3"]) == 7
    assert seen == [["run", "--epochs", "3"]]


def test_without_a_window_module_it_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Simulate the GUI not being built, whether or not it exists in this checkout.
    monkeypatch.setitem(sys.modules, "gd_viewer.gui.main_window", None)
    assert app.main([]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "gd-viewer: the desktop window is not built yet; "
        "try 'gd-viewer run' for the tutorial's printout"
    )


def test_importing_the_entry_point_loads_no_qt() -> None:
    # A fresh interpreter: pytest-qt has already loaded PySide6 into this one.
    code = "import sys, gd_viewer.app; print(any(m.startswith('PySide6') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_the_window_opens_with_the_app_icon(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    shown: list[QWidget] = []

    class FakeMainWindow(QWidget):
        def show(self) -> None:
            super().show()
            shown.append(self)
            QTimer.singleShot(0, QApplication.quit)  # end app.exec() at once

    fake = types.ModuleType("gd_viewer.gui.main_window")
    fake.MainWindow = FakeMainWindow  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gd_viewer.gui.main_window", fake)

    assert app.main([]) == 0
    (window,) = shown
    qtbot.addWidget(window)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    assert qapp.applicationName() == "gd-viewer"
    assert not qapp.windowIcon().isNull()
    assert qapp.windowIcon().availableSizes()  # the PNG loaded, not just an empty icon
