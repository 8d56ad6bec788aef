"""The ``gd-viewer`` command: a headless subcommand, or the desktop window.

This module stays free of Qt at import time, so ``gd-viewer run`` and ``--version``
work (and start fast) without loading PySide6; Qt is imported only when the window opens.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from gd_viewer import __version__

#: First words of the command line that go to :mod:`gd_viewer.cli` instead of the window.
HEADLESS_COMMANDS = frozenset({"run"})

_GUI_MODULE = "gd_viewer.gui.main_window"
_GUI_NOT_BUILT = (
    "gd-viewer: the desktop window is not built yet; "
    "try 'gd-viewer run' for the tutorial's printout"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gd-viewer",
        description=(
            "Watch, step, play, rewind and export gradient descent. "
            "With no command, opens the desktop window."
        ),
        epilog="headless commands: run (see 'gd-viewer run --help')",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``gd-viewer`` command.

    Parameters
    ----------
    argv
        The arguments after the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The process exit status.
    """
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in and args_in[0] in HEADLESS_COMMANDS:
        # Imported here so that opening the window never pays for the CLI, and vice versa.
        from gd_viewer.cli import main as cli_main

        return cli_main(args_in)

    try:
        args = _parser().parse_args(args_in)
    except SystemExit as exc:  # --help, or a usage error already reported by argparse
        return exc.code if isinstance(exc.code, int) else 2
    if args.version:
        print(f"gd-viewer {__version__}")
        return 0
    return _launch_gui()


def _launch_gui() -> int:
    """Open the main window and run the Qt event loop until it closes."""
    try:
        main_window = importlib.import_module(_GUI_MODULE)
    except ModuleNotFoundError as exc:
        # Only the window itself being absent is "not built yet"; a missing dependency
        # inside it (PySide6, pyqtgraph) is a real error and must surface as one.
        if exc.name not in {"gd_viewer.gui", _GUI_MODULE}:
            raise
        print(_GUI_NOT_BUILT, file=sys.stderr)
        return 1

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from gd_viewer.resources import resource_path

    app = QApplication.instance() or QApplication(["gd-viewer"])
    app.setApplicationName("gd-viewer")
    app.setApplicationVersion(__version__)
    icon = QIcon(str(resource_path("icons", "gd-viewer-256.png")))
    icon.addFile(str(resource_path("icons", "gd-viewer.svg")))
    app.setWindowIcon(icon)  # type: ignore[attr-defined]  # instance() is typed QCoreApplication

    window = main_window.MainWindow()
    window.show()
    window.activateWindow()  # keyboard focus at once, also where no window manager gives it
    return int(app.exec())
