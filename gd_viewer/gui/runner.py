"""The training worker: runs live on a QThread, the GUI thread only reads their History.

The worker builds each :class:`~gd_viewer.core.descent.Run` and advances it in
slices of about 16 ms, reporting progress once per slice (never once per epoch)
and going back to its event loop between slices, so a new request, a file to
load or the request to stop is handled within one slice.

Sharing: a Run's History is written by the worker only past the rows it has
reported; the GUI reads only rows it was told about, so no lock is needed. A
generation number tags every run: results of a superseded run are dropped.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from gd_viewer.core.data import DataError, Dataset, read_csv
from gd_viewer.core.descent import Run
from gd_viewer.core.settings import RunSettings

#: Time the worker computes before it reports and looks at its event queue.
SLICE_SECONDS = 0.016


class _Worker(QObject):
    """Lives in the worker thread; its slots run there."""

    run_started = Signal(int, object)
    progressed = Signal(int, int)
    run_failed = Signal(int, str)
    data_loaded = Signal(int, object)
    data_load_failed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        # Written by the GUI thread (a plain int: assignment is atomic under the GIL).
        self.latest_generation = 0
        self.stopping = False
        self._run: Run | None = None
        self._generation = 0
        self._chunk = 1
        self._timer: QTimer | None = None

    @Slot(int, object, object)
    def start_run(self, generation: int, dataset: Dataset, settings: RunSettings) -> None:
        if self.stopping or generation != self.latest_generation:
            return  # superseded before it began
        try:
            run = Run(dataset, settings)
        except MemoryError:
            message = QCoreApplication.translate("Runner", "Not enough memory for this run.")
            self.run_failed.emit(generation, message)
            return
        self._run, self._generation, self._chunk = run, generation, 1
        self.run_started.emit(generation, run)
        self.progressed.emit(generation, run.epochs_done)
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(0)
            self._timer.timeout.connect(self._compute_slice)
        self._timer.start()

    @Slot()
    def _compute_slice(self) -> None:
        run = self._run
        if run is None or self.stopping or self._generation != self.latest_generation:
            self._run = None
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        while not run.finished:
            started = time.perf_counter()
            run.advance(self._chunk)
            took = time.perf_counter() - started
            # Grow the chunk while a call is cheap, so timing costs nothing per epoch.
            if took < SLICE_SECONDS / 8:
                self._chunk *= 2
            elif took > SLICE_SECONDS / 2 and self._chunk > 1:
                self._chunk //= 2
            if started + took >= deadline or self.stopping:
                break
        self.progressed.emit(self._generation, run.epochs_done)
        if run.finished:
            self._run = None
        else:
            self._schedule()

    @Slot()
    def stop(self) -> None:
        """Drop the current run and its pending slice (runs in the worker thread)."""
        self.stopping = True
        self._run = None
        if self._timer is not None:
            self._timer.stop()

    @Slot(int, str)
    def load_csv(self, request: int, path: str) -> None:
        if self.stopping:
            return
        try:
            dataset = read_csv(path)
        except DataError as error:
            self.data_load_failed.emit(request, str(error))
        except MemoryError:
            message = QCoreApplication.translate("Runner", "{path}: too large to load into memory")
            self.data_load_failed.emit(request, message.format(path=path))
        else:
            self.data_loaded.emit(request, dataset)


class Runner(QObject):
    """GUI-side handle of the worker thread.

    Signals carry the generation of the run they concern; callers compare it
    with :attr:`generation` to ignore stale news.
    """

    run_started = Signal(int, object)
    progressed = Signal(int, int)
    run_failed = Signal(int, str)
    data_loaded = Signal(object)
    data_load_failed = Signal(str)

    _request_run = Signal(int, object, object)
    _request_load = Signal(int, str)
    _request_stop = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._load_request = 0
        self._thread = QThread()
        self._thread.setObjectName("trainingWorker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._request_run.connect(self._worker.start_run)
        self._request_load.connect(self._worker.load_csv)
        # Blocking: shutdown() returns only once the worker has stopped its timer in
        # its own thread (a timer must not be stopped from another thread).
        self._request_stop.connect(self._worker.stop, Qt.ConnectionType.BlockingQueuedConnection)
        self._thread.finished.connect(self._worker.deleteLater)
        self._worker.run_started.connect(self._on_worker_run_started)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.run_failed.connect(self._on_worker_run_failed)
        self._worker.data_loaded.connect(self._on_worker_data_loaded)
        self._worker.data_load_failed.connect(self._on_worker_data_load_failed)
        self._thread.start()
        # Never let the application end with the thread running (Qt would abort).
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.shutdown)

    def start(self, dataset: Dataset, settings: RunSettings) -> int:
        """Start a new run (superseding any other); returns its generation."""
        self.generation += 1
        self._worker.latest_generation = self.generation
        self._request_run.emit(self.generation, dataset, settings)
        return self.generation

    def load_csv(self, path: str) -> None:
        """Read a CSV file on the worker; answers with data_loaded or data_load_failed."""
        self._load_request += 1
        self._request_load.emit(self._load_request, path)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def shutdown(self) -> None:
        """Stop the worker after its current slice and join the thread."""
        if not self._thread.isRunning():
            return
        self._worker.stopping = True
        self._worker.latest_generation = -1
        self._request_stop.emit()
        self._thread.quit()
        self._thread.wait()

    @Slot(int, object)
    def _on_worker_run_started(self, generation: int, run: Run) -> None:
        if generation == self.generation:
            self.run_started.emit(generation, run)

    @Slot(int, int)
    def _on_worker_progressed(self, generation: int, epochs_done: int) -> None:
        if generation == self.generation:
            self.progressed.emit(generation, epochs_done)

    @Slot(int, str)
    def _on_worker_run_failed(self, generation: int, message: str) -> None:
        if generation == self.generation:
            self.run_failed.emit(generation, message)

    @Slot(int, object)
    def _on_worker_data_loaded(self, request: int, dataset: Dataset) -> None:
        if request == self._load_request:
            self.data_loaded.emit(dataset)

    @Slot(int, str)
    def _on_worker_data_load_failed(self, request: int, message: str) -> None:
        if request == self._load_request:
            self.data_load_failed.emit(message)
