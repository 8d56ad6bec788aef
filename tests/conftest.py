"""Settings and checks shared by every test.

Qt draws offscreen here, so the tests need no display. This file itself never imports Qt:
pure core tests must stay runnable without it (and ``tests/packaging/test_layout.py``
checks the core never pulls Qt in).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

# pytester runs pytest on generated test files (tests/packaging/test_conftest_checks.py).
pytest_plugins = ["pytester"]

# Before anything creates a QApplication (pytest-qt's qapp fixture, or a test).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_DANGLING_HELP = (
    "A test left Qt threads running. A running QThread outlives its test and can crash a "
    "later one (Qt aborts if a running QThread is destroyed). Stop the worker (a flag or "
    "threading.Event, then thread.quit()) and wait for it (thread.wait(), or "
    "qtbot.waitUntil(thread.isFinished)) before the test ends; never terminate()."
)


def _describe(qobject: Any) -> str:
    kind = type(qobject)
    name = f"{kind.__module__}.{kind.__qualname__}"
    try:
        object_name = qobject.objectName()
    except RuntimeError:  # the C++ object is already gone
        object_name = ""
    return f"{name} (objectName={object_name!r})" if object_name else name


def _is_running(thread: Any) -> bool:
    try:
        return bool(thread.isRunning())
    except RuntimeError:  # "Internal C++ object already deleted": not running
        return False


def _live_instances(*qt_types: type) -> list[Any]:
    """Every object the garbage collector tracks whose type derives from one of qt_types."""
    objects = gc.get_objects()
    # Test each distinct type once (a few hundred), not each object (about 100,000): much
    # faster, and type() never runs user code where isinstance() may read __class__.
    wanted = {kind for kind in {type(obj) for obj in objects} if issubclass(kind, qt_types)}
    return [obj for obj in objects if type(obj) in wanted]


def _dangling(qthread_type: Any, pool_type: Any) -> tuple[list[Any], list[Any]]:
    """Running QThreads other than the main one, and QThreadPools still running a task."""
    main_thread = qthread_type.currentThread()  # the tests run in the main thread
    found = _live_instances(qthread_type, pool_type)
    threads = [
        obj
        for obj in found
        if isinstance(obj, qthread_type) and obj is not main_thread and _is_running(obj)
    ]
    pools = [obj for obj in found if isinstance(obj, pool_type)]
    global_pool = pool_type.globalInstance()
    if all(pool is not global_pool for pool in pools):
        pools.append(global_pool)
    busy_pools = []
    for pool in pools:
        try:
            if pool.activeThreadCount() > 0:
                busy_pools.append(pool)
        except RuntimeError:
            continue
    return threads, busy_pools


@pytest.fixture(autouse=True)
def _no_dangling_qthreads() -> Iterator[None]:
    """Fail a test that leaves a QThread, or a QThreadPool task, running.

    Modelled on napari's ``_dangling_qthreads``. Qt is looked at only if the test process
    has already loaded it, so this fixture never imports PySide6 on its own.
    """
    yield
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QThread, QThreadPool

    threads, pools = _dangling(QThread, QThreadPool)
    if not threads and not pools:
        return

    found = [f"  running QThread: {_describe(thread)}" for thread in threads]
    found += [
        f"  QThreadPool with {pool.activeThreadCount()} active thread(s): {_describe(pool)}"
        for pool in pools
    ]
    # Stop them politely so later tests start clean; the failure below still reports them.
    for thread in threads:
        try:
            thread.quit()
            thread.wait(2000)
        except RuntimeError:
            pass
    for pool in pools:
        try:
            pool.clear()
            pool.waitForDone(2000)
        except RuntimeError:
            pass
    pytest.fail(_DANGLING_HELP + "\n" + "\n".join(found), pytrace=False)
