"""The shared checks in tests/conftest.py catch what they are meant to catch."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

INI = """
[pytest]
qt_api = pyside6
"""

LEAKY_TESTS = """
import time

from PySide6.QtCore import QRunnable, QThread, QThreadPool


class Sleeper(QRunnable):
    def run(self):
        time.sleep(1)  # still running at teardown, done within the fixture's cleanup wait


def test_leaves_a_thread_running(qtbot):
    thread = QThread()
    thread.setObjectName("leaky-worker")
    thread.start()
    test_leaves_a_thread_running.thread = thread  # keep it alive past the test


def test_leaves_a_pool_task_running(qtbot):
    QThreadPool.globalInstance().start(Sleeper())


def test_stops_its_thread(qtbot):
    thread = QThread()
    thread.start()
    thread.quit()
    assert thread.wait(5000)


def test_pure_python():
    assert "core".upper() == "CORE"
"""


def test_dangling_qthreads_are_reported(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini(INI)
    pytester.makepyfile(test_leaky=LEAKY_TESTS)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=4, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*running QThread: PySide6.QtCore.QThread (objectName='leaky-worker')*",
            "*QThreadPool with 1 active thread(s)*",
        ]
    )
