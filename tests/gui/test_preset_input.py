"""The presets' input, driven as a user would: choosing in the combo box's list, pressing Load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

import gd_viewer.core.presets as presets_module
from gd_viewer.core.presets import Preset, list_presets, load_preset
from gd_viewer.gui.preset_input import PresetInput
from tests.gui.widgets import child

pytestmark = pytest.mark.gui

#: The shipped presets, in the order the combo box lists them.
SHIPPED = ["tutorial", "badly-scaled", "noisy-intercept", "past-the-limit"]
#: The offscreen platform cannot raise the combo box's list or let it grab the keyboard; a
#: real display can. The list still opens and takes clicks.
popup = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def make(qtbot: QtBot) -> PresetInput:
    widget = PresetInput()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def widget(qtbot: QtBot) -> PresetInput:
    """The widget on screen (offscreen), listing the shipped presets."""
    return make(qtbot)


def combo(widget: PresetInput) -> QComboBox:
    box: QComboBox = child(widget, QComboBox, "presetInput")
    return box


def load_button(widget: PresetInput) -> QPushButton:
    button: QPushButton = child(widget, QPushButton, "presetLoadButton")
    return button


def description(widget: PresetInput) -> str:
    return str(child(widget, QLabel, "presetDescription").text())


def items(box: QComboBox) -> list[tuple[str, str]]:
    """Every item's (name, text)."""
    return [(box.itemData(i), box.itemText(i)) for i in range(box.count())]


def choose(qtbot: QtBot, widget: PresetInput, name: str) -> None:
    """Open the combo box's list and click the item of preset ``name``."""
    box = combo(widget)
    index = box.findData(name)
    assert index >= 0, name
    box.showPopup()
    view = box.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(box.model().index(index, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def chosen(spy: QSignalSpy) -> list[Preset]:
    """The presets ``preset_chosen`` emitted, recorded by ``spy``."""
    return [spy.at(i)[0] for i in range(spy.count())]


def write(folder: Path, name: str, title: str, description: str = "Watch w.") -> Path:
    """A valid preset file ``name.json`` in ``folder``: the tutorial's, renamed."""
    document = json.loads(
        (presets_module.presets_dir() / "tutorial.json").read_text(encoding="utf-8")
    )
    document.update(name=name, title=title, description=description)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A presets folder of its own: a copy of tutorial.json and a corrupt bad.json."""
    tutorial = (presets_module.presets_dir() / "tutorial.json").read_text(encoding="utf-8")
    (tmp_path / "tutorial.json").write_text(tutorial, encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"name": "bad",\n  "title": }', encoding="utf-8")
    monkeypatch.setattr(presets_module, "presets_dir", lambda: tmp_path)
    return tmp_path


# ---------------------------------------------------------------------- the list


def test_every_shipped_preset_is_listed_by_title_the_tutorial_first(widget: PresetInput) -> None:
    presets = {preset.name: preset for preset in list_presets()}
    box = combo(widget)
    assert sorted(presets) == sorted(SHIPPED)
    assert items(box) == [(name, presets[name].title) for name in SHIPPED]
    tooltips = [box.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(box.count())]
    assert tooltips == [presets[name].description for name in SHIPPED]
    assert widget.load_errors() == []


def test_it_starts_on_the_tutorial_unchanged(widget: PresetInput) -> None:
    box = combo(widget)
    tutorial = load_preset("tutorial")
    assert widget.current_name() == "tutorial"
    assert box.currentData() == "tutorial"
    assert box.currentText() == tutorial.title
    assert description(widget) == tutorial.description
    assert not widget.is_modified()
    assert load_button(widget).isEnabled()


def test_the_inputs_are_named_for_scripts_and_screen_readers(widget: PresetInput) -> None:
    label = child(widget, QLabel, "presetDescription")
    for input_ in (combo(widget), load_button(widget), label):
        assert input_.accessibleName()
    assert label.wordWrap()
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


# ---------------------------------------------------------------------- choosing


@popup
def test_choosing_a_preset_emits_it_loaded(qtbot: QtBot, widget: PresetInput) -> None:
    failed = QSignalSpy(widget.failed)
    with qtbot.waitSignal(widget.preset_chosen, timeout=2000) as blocker:
        choose(qtbot, widget, "noisy-intercept")
    preset = blocker.args[0]
    assert isinstance(preset, Preset)
    assert preset.name == "noisy-intercept"
    assert len(preset.dataset) == 30
    assert preset.settings.model == "line"
    assert widget.current_name() == "noisy-intercept"
    assert failed.count() == 0


@popup
def test_the_description_follows_the_choice(qtbot: QtBot, widget: PresetInput) -> None:
    descriptions = {preset.name: preset.description for preset in list_presets()}
    assert descriptions["past-the-limit"] != descriptions["tutorial"]
    choose(qtbot, widget, "past-the-limit")
    assert description(widget) == descriptions["past-the-limit"]
    choose(qtbot, widget, "badly-scaled")
    assert description(widget) == descriptions["badly-scaled"]


@popup
def test_choosing_the_preset_shown_loads_it_again(qtbot: QtBot, widget: PresetInput) -> None:
    spy = QSignalSpy(widget.preset_chosen)
    choose(qtbot, widget, "past-the-limit")
    widget.set_modified(True)
    choose(qtbot, widget, "past-the-limit")
    assert [preset.name for preset in chosen(spy)] == ["past-the-limit", "past-the-limit"]
    assert not widget.is_modified()
    assert combo(widget).currentText() == load_preset("past-the-limit").title


@popup
def test_load_emits_the_preset_shown_again(qtbot: QtBot, widget: PresetInput) -> None:
    spy = QSignalSpy(widget.preset_chosen)
    choose(qtbot, widget, "noisy-intercept")
    widget.set_modified(True)
    qtbot.mouseClick(load_button(widget), Qt.MouseButton.LeftButton)
    presets = chosen(spy)
    assert [preset.name for preset in presets] == ["noisy-intercept", "noisy-intercept"]
    assert presets[1] == presets[0]  # read again from the same file: equal, field by field
    assert not widget.is_modified()
    assert combo(widget).currentText() == presets[0].title


def test_load_without_choosing_emits_the_tutorial(qtbot: QtBot, widget: PresetInput) -> None:
    with qtbot.waitSignal(widget.preset_chosen, timeout=2000) as blocker:
        qtbot.mouseClick(load_button(widget), Qt.MouseButton.LeftButton)
    assert blocker.args[0] == load_preset("tutorial")


# ---------------------------------------------------------------------- setters


def test_set_current_shows_the_preset_without_emitting(widget: PresetInput) -> None:
    chosen_spy, failed = QSignalSpy(widget.preset_chosen), QSignalSpy(widget.failed)
    widget.set_current("past-the-limit")
    preset = load_preset("past-the-limit")
    assert widget.current_name() == "past-the-limit"
    assert combo(widget).currentData() == "past-the-limit"
    assert combo(widget).currentText() == preset.title
    assert description(widget) == preset.description
    with pytest.raises(ValueError, match="nope"):
        widget.set_current("nope")
    assert widget.current_name() == "past-the-limit"
    assert (chosen_spy.count(), failed.count()) == (0, 0)


def test_set_modified_marks_the_shown_preset_only(widget: PresetInput) -> None:
    chosen_spy, failed = QSignalSpy(widget.preset_chosen), QSignalSpy(widget.failed)
    box = combo(widget)
    titles = {preset.name: preset.title for preset in list_presets()}
    widget.set_current("badly-scaled")
    widget.set_modified(True)
    assert widget.is_modified()
    assert box.currentText() == "(changed) " + titles["badly-scaled"]
    # The other items keep their titles: the list still reads as the presets' names.
    assert items(box) == [
        (name, ("(changed) " if name == "badly-scaled" else "") + titles[name]) for name in SHIPPED
    ]
    widget.set_modified(False)
    assert not widget.is_modified()
    assert box.currentText() == titles["badly-scaled"]
    assert (chosen_spy.count(), failed.count()) == (0, 0)


def test_set_current_clears_the_mark_of_the_preset_before(widget: PresetInput) -> None:
    titles = {preset.name: preset.title for preset in list_presets()}
    widget.set_modified(True)
    widget.set_current("noisy-intercept")
    assert not widget.is_modified()
    assert items(combo(widget)) == [(name, titles[name]) for name in SHIPPED]


@popup
def test_choosing_another_preset_clears_the_mark(qtbot: QtBot, widget: PresetInput) -> None:
    titles = {preset.name: preset.title for preset in list_presets()}
    widget.set_modified(True)
    choose(qtbot, widget, "badly-scaled")
    assert not widget.is_modified()
    assert items(combo(widget)) == [(name, titles[name]) for name in SHIPPED]


# ---------------------------------------------------------------------- broken files


def test_a_broken_file_is_left_out_with_its_error(qtbot: QtBot, folder: Path) -> None:
    widget = make(qtbot)
    assert items(combo(widget)) == [("tutorial", load_preset("tutorial").title)]
    assert widget.current_name() == "tutorial"
    errors = widget.load_errors()
    assert len(errors) == 1
    assert "bad.json" in errors[0]
    assert "not valid JSON" in errors[0]


def test_the_tutorial_comes_first_whatever_the_folder(qtbot: QtBot, folder: Path) -> None:
    write(folder, "alpha", "Alpha")
    write(folder, "zeta", "Zeta")
    widget = make(qtbot)
    assert [name for name, _ in items(combo(widget))] == ["tutorial", "alpha", "zeta"]


@popup
def test_a_file_broken_after_listing_fails_and_keeps_the_choice(qtbot: QtBot, folder: Path) -> None:
    path = write(folder, "later", "Broken later")
    widget = make(qtbot)
    widget.set_modified(True)
    chosen_spy = QSignalSpy(widget.preset_chosen)
    path.write_text("{ not json", encoding="utf-8")
    tutorial = load_preset("tutorial")
    with qtbot.waitSignal(widget.failed, timeout=2000) as blocker:
        choose(qtbot, widget, "later")
    message = blocker.args[0]
    assert str(path) in message
    assert "not valid JSON" in message
    assert chosen_spy.count() == 0
    assert widget.current_name() == "tutorial"
    assert combo(widget).currentData() == "tutorial"
    assert combo(widget).currentText() == "(changed) " + tutorial.title
    assert widget.is_modified()
    assert description(widget) == tutorial.description


def test_load_of_a_file_broken_since_fails_and_keeps_the_state(qtbot: QtBot, folder: Path) -> None:
    widget = make(qtbot)
    widget.set_modified(True)
    chosen_spy = QSignalSpy(widget.preset_chosen)
    tutorial = load_preset("tutorial")
    (folder / "tutorial.json").unlink()
    with qtbot.waitSignal(widget.failed, timeout=2000) as blocker:
        qtbot.mouseClick(load_button(widget), Qt.MouseButton.LeftButton)
    assert "no preset named 'tutorial'" in blocker.args[0]
    assert chosen_spy.count() == 0
    assert widget.current_name() == "tutorial"
    assert widget.is_modified()
    assert description(widget) == tutorial.description


@popup
def test_a_file_edited_after_listing_is_read_again(qtbot: QtBot, folder: Path) -> None:
    path = write(folder, "later", "Before", "Old note.")
    widget = make(qtbot)
    write(folder, "later", "After", "New note.")
    with qtbot.waitSignal(widget.preset_chosen, timeout=2000) as blocker:
        choose(qtbot, widget, "later")
    assert blocker.args[0] == load_preset("later")
    assert combo(widget).currentText() == "After"
    assert description(widget) == "New note."
    assert combo(widget).itemData(combo(widget).currentIndex(), Qt.ItemDataRole.ToolTipRole) == (
        "New note."
    )
    assert path.exists()


def test_a_missing_resources_folder_lists_nothing_and_says_why(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gd_viewer.resources as resources

    monkeypatch.setattr(resources, "_CANDIDATES", (Path("/no/such/folder"),))
    widget = make(qtbot)
    assert combo(widget).count() == 0
    assert widget.current_name() == ""
    assert not load_button(widget).isEnabled()
    assert description(widget) == ""
    errors = widget.load_errors()
    assert len(errors) == 1
    assert "resources folder is missing" in errors[0]
    with pytest.raises(ValueError, match="tutorial"):
        widget.set_current("tutorial")
