"""The playback bar: buttons, the timeline clamped to the computed epochs, and silent setters."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QSlider, QToolButton
from pytestqt.qtbot import QtBot

from gd_viewer.gui.playback import PlaybackBar
from tests.gui.widgets import child

BUTTONS = {
    "resetButton": ("Reset", "Home"),
    "stepBackButton": ("Step back", "←"),
    "playButton": ("Play", "Space"),
    "stepButton": ("Step", "→"),
}
SIGNALS = [
    "play_toggled", "step_requested", "step_back_requested", "reset_requested", "epoch_scrubbed",
]  # fmt: skip


class Recorder:
    """Every emission of the bar's signals, in order, as (name, arguments)."""

    def __init__(self, bar: PlaybackBar) -> None:
        self.events: list[tuple[Any, ...]] = []
        for name in SIGNALS:
            getattr(bar, name).connect(lambda *args, name=name: self.events.append((name, *args)))


@pytest.fixture
def bar(qtbot: QtBot) -> PlaybackBar:
    bar = PlaybackBar()
    qtbot.addWidget(bar)
    bar.resize(900, 60)
    bar.set_epoch_count(100)
    bar.set_computed(100)
    bar.set_epoch(12)
    return bar


@pytest.fixture
def seen(bar: PlaybackBar) -> Recorder:
    return Recorder(bar)


def click(qtbot: QtBot, bar: PlaybackBar, name: str) -> None:
    qtbot.mouseClick(child(bar, QToolButton, name), Qt.MouseButton.LeftButton)


def label_text(bar: PlaybackBar) -> str:
    label: QLabel = child(bar, QLabel, "epochLabel")
    return label.text()


def test_buttons_are_named_labelled_and_show_their_shortcuts(bar: PlaybackBar) -> None:
    assert bar.objectName() == "playbackBar"
    for name, (text, key) in BUTTONS.items():
        button = child(bar, QToolButton, name)
        assert button.text() == text and f"({key})" in button.toolTip(), name
        assert button.accessibleName() and not button.icon().isNull(), name
    timeline = child(bar, QSlider, "timeline")
    assert timeline.orientation() == Qt.Orientation.Horizontal and timeline.accessibleName()
    assert (timeline.minimum(), timeline.maximum(), timeline.value()) == (0, 100, 12)
    assert label_text(bar) == "epoch 12 / 100"


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("stepButton", ("step_requested",)),
        ("stepBackButton", ("step_back_requested",)),
        ("resetButton", ("reset_requested",)),
    ],
)
def test_each_button_emits_its_request(
    qtbot: QtBot, bar: PlaybackBar, seen: Recorder, name: str, event: tuple[str]
) -> None:
    click(qtbot, bar, name)
    assert seen.events == [event]


def test_play_is_checkable_and_turns_into_pause(
    qtbot: QtBot, bar: PlaybackBar, seen: Recorder
) -> None:
    play = child(bar, QToolButton, "playButton")
    assert play.isCheckable() and not play.isChecked()
    click(qtbot, bar, "playButton")
    assert seen.events == [("play_toggled", True)] and play.isChecked()
    assert play.text() == "Pause" and play.toolTip() == "Pause (Space)"
    click(qtbot, bar, "playButton")
    assert seen.events[-1] == ("play_toggled", False)
    assert play.text() == "Play" and play.toolTip() == "Play (Space)"


def test_setters_never_emit(bar: PlaybackBar, seen: Recorder) -> None:
    play = child(bar, QToolButton, "playButton")
    bar.set_playing(True)
    assert play.isChecked() and play.text() == "Pause"
    bar.set_epoch_count(50)
    bar.set_computed(30)
    bar.set_epoch(20)
    bar.set_playing(False)
    bar.set_controls_enabled(False)
    assert seen.events == []
    assert not play.isChecked() and play.text() == "Play"
    assert child(bar, QSlider, "timeline").value() == 20 and label_text(bar) == "epoch 20 / 50"


def test_the_timeline_reaches_only_the_computed_epochs(
    qtbot: QtBot, bar: PlaybackBar, seen: Recorder
) -> None:
    bar.set_computed(40)
    timeline = child(bar, QSlider, "timeline")
    qtbot.keyClick(timeline, Qt.Key.Key_End)  # to epoch 100: not computed yet
    assert timeline.value() == 40 and seen.events == [("epoch_scrubbed", 40)]
    assert label_text(bar) == "epoch 40 / 100"
    qtbot.keyClick(timeline, Qt.Key.Key_PageUp)  # at the computed end already: nothing
    assert timeline.value() == 40 and len(seen.events) == 1
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    assert timeline.value() == 0 and seen.events[-1] == ("epoch_scrubbed", 0)


def test_dragging_past_the_computed_epochs_snaps_back(
    qtbot: QtBot, bar: PlaybackBar, seen: Recorder
) -> None:
    bar.set_computed(40)
    bar.set_epoch(0)
    timeline = child(bar, QSlider, "timeline")
    layout = bar.layout()
    assert layout is not None
    layout.activate()  # lay out without showing (offscreen show() logs a warning)
    handle = timeline.rect().left() + 6
    middle = timeline.rect().center().y()
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(handle, middle))
    qtbot.mouseMove(timeline, QPoint(timeline.rect().right() - 2, middle))
    qtbot.mouseRelease(
        timeline, Qt.MouseButton.LeftButton, pos=QPoint(timeline.rect().right() - 2, middle)
    )
    assert timeline.value() == 40
    assert seen.events and seen.events[-1] == ("epoch_scrubbed", 40)
    assert all(event[1] <= 40 for event in seen.events)


def test_set_epoch_is_clamped_to_the_run(bar: PlaybackBar) -> None:
    bar.set_epoch(500)
    assert child(bar, QSlider, "timeline").value() == 100 and label_text(bar) == "epoch 100 / 100"
    bar.set_epoch(-3)
    assert label_text(bar) == "epoch 0 / 100"


def test_play_and_step_are_disabled_while_the_inputs_are_invalid(bar: PlaybackBar) -> None:
    bar.set_controls_enabled(False)
    enabled = {name: child(bar, QToolButton, name).isEnabled() for name in BUTTONS}
    assert enabled == {
        "resetButton": True,
        "stepBackButton": True,
        "playButton": False,
        "stepButton": False,
    }
    bar.set_controls_enabled(True)
    assert all(child(bar, QToolButton, name).isEnabled() for name in BUTTONS)


def test_step_stops_at_the_last_epoch_and_step_back_at_the_first(bar: PlaybackBar) -> None:
    step, back = child(bar, QToolButton, "stepButton"), child(bar, QToolButton, "stepBackButton")
    bar.set_epoch(100)
    assert not step.isEnabled() and back.isEnabled()
    bar.set_epoch(0)
    assert step.isEnabled() and not back.isEnabled()


def test_an_empty_run_cannot_play(bar: PlaybackBar) -> None:
    bar.set_epoch_count(0)
    assert not child(bar, QToolButton, "playButton").isEnabled()
    assert not child(bar, QSlider, "timeline").isEnabled()
    assert label_text(bar) == "epoch 0 / 0"


def test_large_runs_show_grouped_digits(bar: PlaybackBar) -> None:
    bar.set_epoch_count(1_000_000)
    bar.set_epoch(12_345)
    assert label_text(bar) == "epoch 12,345 / 1,000,000"


def test_in_a_narrow_bar_the_buttons_show_icons_and_leave_the_timeline_room(
    qtbot: QtBot,
) -> None:
    from gd_viewer.gui.playback import MIN_TIMELINE_WIDTH

    bar = PlaybackBar()
    qtbot.addWidget(bar)
    bar.set_epoch_count(250)
    bar.resize(900, 40)
    bar.show()
    qtbot.waitExposed(bar)
    buttons = [child(bar, QToolButton, name) for name in BUTTONS]
    timeline = child(bar, QSlider, "timeline")
    named = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert not bar.compact() and all(b.toolButtonStyle() == named for b in buttons)
    assert timeline.width() >= MIN_TIMELINE_WIDTH

    bar.resize(460, 40)  # the bar in the smallest window
    qtbot.waitUntil(bar.compact, timeout=2000)
    qtbot.wait(20)
    assert all(b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly for b in buttons)
    assert timeline.width() >= MIN_TIMELINE_WIDTH
    for button, (text, key) in zip(buttons, BUTTONS.values(), strict=True):
        assert text in button.text() or button.objectName() == "playButton"
        assert key in button.toolTip()  # what it does, still told

    bar.resize(900, 40)
    qtbot.waitUntil(lambda: not bar.compact(), timeout=2000)
    assert all(b.toolButtonStyle() == named for b in buttons)
