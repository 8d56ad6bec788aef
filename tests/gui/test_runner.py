"""The training worker: runs on its own thread, reports in slices, stops cleanly."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from gd_viewer.core import Dataset, Run, RunSettings, Status
from gd_viewer.gui.runner import Runner


class Recorder:
    def __init__(self, runner: Runner) -> None:
        self.runs: dict[int, Run] = {}
        self.progress: list[tuple[int, int]] = []
        self.threads: set[object] = set()
        runner.run_started.connect(self.on_run_started)
        runner.progressed.connect(self.on_progressed)

    def on_run_started(self, generation: int, run: Run) -> None:
        self.runs[generation] = run

    def on_progressed(self, generation: int, done: int) -> None:
        self.progress.append((generation, done))
        self.threads.add(QThread.currentThread())


def test_a_run_computed_on_the_worker_equals_the_core_run(qtbot: QtBot) -> None:
    runner = Runner()
    recorder = Recorder(runner)
    try:
        generation = runner.start(Dataset.tutorial(), RunSettings())
        qtbot.waitUntil(lambda: (generation, 100) in recorder.progress, timeout=5000)
        run = recorder.runs[generation]
        reference = Run(Dataset.tutorial(), RunSettings())
        reference.run_to_end()
        assert np.array_equal(run.history.params, reference.history.params)
        assert np.array_equal(run.history.cost, reference.history.cost)
        assert run.status is Status.FINISHED
        # Progress arrives in the GUI thread, not in the worker's.
        assert recorder.threads == {QThread.currentThread()}
    finally:
        runner.shutdown()
    assert not runner.is_running()


def test_progress_comes_in_batches_not_one_signal_per_epoch(qtbot: QtBot) -> None:
    runner = Runner()
    recorder = Recorder(runner)
    try:
        epochs = 200_000
        data = Dataset(np.linspace(0, 1, 5000), np.linspace(0, 2, 5000))
        generation = runner.start(data, RunSettings(epochs=epochs, lr=0.1))
        qtbot.waitUntil(lambda: (generation, epochs) in recorder.progress, timeout=30000)
        reports = [done for g, done in recorder.progress if g == generation]
        assert reports == sorted(reports)
        assert len(reports) < epochs / 100
    finally:
        runner.shutdown()


def test_a_new_run_supersedes_the_old_one(qtbot: QtBot) -> None:
    runner = Runner()
    recorder = Recorder(runner)
    try:
        slow = Dataset(np.linspace(1, 2, 2000), np.linspace(2, 4, 2000))
        first = runner.start(slow, RunSettings(optimizer="sgd", epochs=10_000))
        second = runner.start(Dataset.tutorial(), RunSettings(epochs=50))
        qtbot.waitUntil(lambda: (second, 50) in recorder.progress, timeout=10000)
        qtbot.wait(100)
        assert all(g == second for g, _ in recorder.progress)
        assert first not in recorder.runs or recorder.runs[first].epochs_done < 10_000
    finally:
        runner.shutdown()


def test_shutdown_in_the_middle_of_a_long_run_joins_the_thread_quickly(qtbot: QtBot) -> None:
    runner = Runner()
    recorder = Recorder(runner)
    data = Dataset(np.linspace(1, 2, 1000), np.linspace(2, 4, 1000))
    generation = runner.start(data, RunSettings(optimizer="sgd", epochs=1_000_000))
    qtbot.waitUntil(lambda: any(g == generation and d > 0 for g, d in recorder.progress))
    started = time.perf_counter()
    runner.shutdown()
    assert time.perf_counter() - started < 2.0
    assert not runner.is_running()
    runner.shutdown()  # a second call is harmless


def test_csv_loads_on_the_worker_and_bad_files_report_a_message(
    qtbot: QtBot, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("x,y\n1,3\n2,5\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,3\n2,five\n", encoding="utf-8")
    runner = Runner()
    try:
        with qtbot.waitSignal(runner.data_loaded, timeout=5000) as loaded:
            runner.load_csv(str(good))
        assert loaded.args[0] == Dataset([1, 2], [3, 5])
        with qtbot.waitSignal(runner.data_load_failed, timeout=5000) as failed:
            runner.load_csv(str(bad))
        assert "line 3" in failed.args[0] and "five" in failed.args[0]
    finally:
        runner.shutdown()
