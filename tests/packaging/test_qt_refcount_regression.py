"""Guard against PySide6 releases that corrupt reference counts when signals are emitted.

PySide6 6.12.0 on Python 3.11 drops a reference to the emitted value on each emit; after a
few hundred ``Signal(bool)`` emits the count of ``True`` reaches zero and the interpreter
aborts with ``Fatal Python error: bool_dealloc``. pyproject.toml therefore pins
``PySide6-Essentials<6.12`` for Python < 3.12. These tests exercise the emit paths the app
uses (direct, and queued across a worker thread) far more than one session would, and
check that the installed metadata keeps the pin.
"""

from __future__ import annotations

import gc
import importlib.metadata
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

EMITS = 20_000
PYSIDE = canonicalize_name("PySide6-Essentials")
BAD_RELEASE = Version("6.12.0")


class Emitter(QObject):
    """Sends ``EMITS`` of each signal when asked to, in whichever thread it lives in."""

    flag_changed = Signal(bool)
    pair_sent = Signal(int, float)
    finished = Signal()

    @Slot()
    def emit_all(self) -> None:
        for i in range(EMITS):
            self.flag_changed.emit(i % 2 == 0)
            self.pair_sent.emit(i, i * 0.5)
        self.finished.emit()


class Receiver(QObject):
    """Records what arrives, and in which thread."""

    def __init__(self) -> None:
        super().__init__()
        self.flags: list[bool] = []
        self.pairs: list[tuple[int, float]] = []
        self.threads: set[Any] = set()

    @Slot(bool)
    def on_flag_changed(self, value: bool) -> None:
        self.flags.append(value)

    @Slot(int, float)
    def on_pair_sent(self, number: int, value: float) -> None:
        self.pairs.append((number, value))
        self.threads.add(QThread.currentThread())


def _check_received(receiver: Receiver) -> None:
    assert len(receiver.flags) == EMITS
    assert len(receiver.pairs) == EMITS
    # Compare against the expected sequence without holding 20,000 extra bools.
    assert all(value is (i % 2 == 0) for i, value in enumerate(receiver.flags))
    assert all(pair == (i, i * 0.5) for i, pair in enumerate(receiver.pairs))
    assert all(type(n) is int and type(x) is float for n, x in receiver.pairs)


def _bool_refcounts() -> tuple[int, int]:
    # Collect first: garbage left by earlier tests (which may hold bools) must not be
    # freed during the measurement and look like lost references.
    gc.collect()
    return sys.getrefcount(True), sys.getrefcount(False)


def _assert_bool_refcounts_kept(before: tuple[int, int]) -> None:
    # On Python 3.11 the bug shows here long before it crashes: each emit loses a
    # reference to True or False. (From 3.12 on bools are immortal, so this is vacuous.)
    after = _bool_refcounts()
    # The bug loses one reference per emit (10,000 each here); other tests' leftovers
    # can account for a few hundred either way.
    assert after[0] >= before[0] - 1000, f"lost references to True: {before[0]} -> {after[0]}"
    assert after[1] >= before[1] - 1000, f"lost references to False: {before[1]} -> {after[1]}"


_CRASH_PROBE = textwrap.dedent(
    """
    from PySide6.QtCore import QObject, Signal, Slot

    class Emitter(QObject):
        flag_changed = Signal(bool)
        pair_sent = Signal(int, float)

    class Receiver(QObject):
        count = 0

        @Slot(bool)
        def on_flag_changed(self, value):
            self.count += 1

        @Slot(int, float)
        def on_pair_sent(self, number, value):
            self.count += 1

    emitter, receiver = Emitter(), Receiver()
    emitter.flag_changed.connect(receiver.on_flag_changed)
    emitter.pair_sent.connect(receiver.on_pair_sent)
    for i in range(5000):
        emitter.flag_changed.emit(i % 2 == 0)
        emitter.pair_sent.emit(i, i * 0.5)
    assert receiver.count == 10000, receiver.count
    """
)


@pytest.fixture(scope="module", autouse=True)
def _emits_survive_in_a_subprocess() -> Iterator[None]:
    """Try the emits in a child process first.

    A broken PySide6 aborts the interpreter, which would end the whole test run with no
    report; in a child it becomes a readable failure, and the in-process tests are skipped
    over instead of crashing pytest.
    """
    result = subprocess.run(
        [sys.executable, "-c", _CRASH_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        import PySide6

        pytest.fail(
            f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} crashed or "
            f"lost signals (exit status {result.returncode}); the pin in pyproject.toml "
            f"must exclude this release.\n{result.stderr[-2000:]}",
            pytrace=False,
        )
    yield


def test_direct_emits_arrive_intact(qtbot: Any) -> None:
    emitter, receiver = Emitter(), Receiver()
    emitter.flag_changed.connect(receiver.on_flag_changed)
    emitter.pair_sent.connect(receiver.on_pair_sent)
    before = _bool_refcounts()

    emitter.emit_all()

    _check_received(receiver)
    receiver.flags.clear()
    _assert_bool_refcounts_kept(before)


def test_queued_emits_from_a_worker_thread_arrive_intact(qtbot: Any) -> None:
    receiver = Receiver()
    emitter = Emitter()
    thread = QThread()
    thread.setObjectName("refcount-regression-worker")
    emitter.moveToThread(thread)
    queued = Qt.ConnectionType.QueuedConnection
    emitter.flag_changed.connect(receiver.on_flag_changed, queued)
    emitter.pair_sent.connect(receiver.on_pair_sent, queued)
    thread.started.connect(emitter.emit_all)
    before = _bool_refcounts()

    thread.start()
    try:
        qtbot.waitUntil(
            lambda: len(receiver.flags) == EMITS and len(receiver.pairs) == EMITS,
            timeout=60_000,
        )
    finally:
        thread.quit()
        assert thread.wait(10_000), "the worker thread did not finish"

    _check_received(receiver)
    # The slots ran in the receiver's (main) thread, as queued connections promise.
    assert receiver.threads == {QThread.currentThread()}
    receiver.flags.clear()
    _assert_bool_refcounts_kept(before)


def _pyside_requirements() -> list[Requirement]:
    try:
        requires = importlib.metadata.requires("gd-viewer")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("gd-viewer is not installed; run: pip install -e '.[test]'")
    reqs = [Requirement(text) for text in requires or []]
    return [req for req in reqs if canonicalize_name(req.name) == PYSIDE]


def _applies(req: Requirement, python_version: str) -> bool:
    # evaluate() lays these over the running interpreter's environment.
    return req.marker is None or req.marker.evaluate({"python_version": python_version})


def test_installed_metadata_keeps_pyside_below_6_12_on_python_3_11() -> None:
    reqs = _pyside_requirements()
    on_311 = [req for req in reqs if _applies(req, "3.11")]
    assert on_311, f"no PySide6-Essentials requirement applies to Python 3.11: {reqs}"
    for req in on_311:
        assert BAD_RELEASE not in req.specifier, f"{req} admits {BAD_RELEASE} on Python 3.11"
        assert Version("6.11.3") in req.specifier, f"{req} rejects the known-good 6.11.3"
    # Newer Pythons are not affected, so they are not held back.
    on_312 = [req for req in reqs if _applies(req, "3.12")]
    assert on_312
    assert all(BAD_RELEASE in req.specifier for req in on_312)


def test_running_pyside_satisfies_the_requirement() -> None:
    import PySide6

    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    reqs = [req for req in _pyside_requirements() if _applies(req, running)]
    assert reqs, f"no PySide6-Essentials requirement applies to Python {running}"
    for req in reqs:
        assert req.specifier.contains(PySide6.__version__, prereleases=True), (
            f"PySide6 {PySide6.__version__} is installed, but gd-viewer requires {req}"
        )
