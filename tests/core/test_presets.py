"""Presets: every shipped one loads and runs, teaches what its description claims, and a
broken preset file is a PresetError that names the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gd_viewer.core import (
    Analysis,
    Dataset,
    Preset,
    PresetError,
    Run,
    RunSettings,
    Status,
    list_presets,
    load_preset,
)
from gd_viewer.core import presets as presets_module
from gd_viewer.core.presets import DEFAULT_PRESET, preset_names

SHIPPED = ["tutorial", "badly-scaled", "noisy-intercept", "past-the-limit"]


def finished(preset: Preset, settings: RunSettings | None = None) -> Run:
    run = Run(preset.dataset, settings or preset.settings)
    run.run_to_end()
    return run


def analysis(preset: Preset) -> Analysis:
    return Analysis.of(Run(preset.dataset, preset.settings).quadratic)


# --------------------------------------------------------------------------- shipped


def test_the_presets_are_listed_tutorial_first_then_by_name() -> None:
    assert preset_names() == SHIPPED
    assert [p.name for p in list_presets()] == SHIPPED
    assert DEFAULT_PRESET == "tutorial"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_preset_loads_validates_and_runs(name: str) -> None:
    preset = load_preset(name)
    assert preset.name == name
    assert preset.title and preset.description
    assert "\n" not in preset.description  # one paragraph
    assert isinstance(preset.dataset, Dataset) and isinstance(preset.settings, RunSettings)
    # The settings survive their own JSON round trip (they are what a user would save).
    assert RunSettings.from_dict(preset.settings.to_dict()) == preset.settings
    run = finished(preset)
    assert run.status is Status.FINISHED
    assert run.epochs_done == preset.settings.epochs
    assert np.isfinite(run.history.cost).all()


def test_presets_are_frozen() -> None:
    preset = load_preset("tutorial")
    with pytest.raises(AttributeError):
        preset.title = "changed"  # type: ignore[misc]


def test_the_tutorial_preset_is_the_tutorial() -> None:
    preset = load_preset("tutorial")
    assert preset.dataset == Dataset.tutorial()
    assert preset.settings == RunSettings()


def test_noisy_intercept_converges_smoothly_to_the_least_squares_line() -> None:
    preset = load_preset("noisy-intercept")
    # Shipped as a CSV file next to the JSON: that path of the loader is in use.
    document = json.loads(
        (presets_module.presets_dir() / "noisy-intercept.json").read_text(encoding="utf-8")
    )
    assert document["data"] == "noisy-intercept.csv"
    assert preset.dataset.size == 30 and preset.settings.model == "line"
    a = analysis(preset)
    lr = preset.settings.lr
    assert a.converges(lr) and not a.oscillates(lr)
    run = finished(preset)
    assert np.all(np.diff(run.history.cost) < 0)
    assert run.history.distance_to(a.optimum)[-1] < 1e-3
    assert run.history.cost[-1] - a.min_cost < 1e-6
    # The noise moves the best fit away from the line the points were drawn around.
    w_star, b_star = a.optimum
    assert abs(w_star - 1.5) < 0.2 and abs(b_star - 2.0) < 0.2
    assert (w_star, b_star) != (1.5, 2.0)


def test_past_the_limit_is_just_above_the_stable_limit_and_its_cost_grows() -> None:
    preset = load_preset("past-the-limit")
    assert preset.dataset == Dataset.tutorial()
    assert preset.settings == RunSettings().replace(lr=preset.settings.lr)
    a = analysis(preset)
    lr = preset.settings.lr
    assert a.stable_limit == pytest.approx(3 / 14)
    assert a.stable_limit < lr < 1.05 * a.stable_limit
    assert not a.converges(lr)
    assert 1.0 < a.contraction(lr) < 1.06  # slowly
    run = finished(preset)
    cost = run.history.cost
    assert np.all(np.diff(cost) > 0)
    assert cost[-1] > 1e4 * cost[0]
    error = run.history.params[:, 0] - a.optimum[0]
    assert np.all(np.sign(error[1:]) == -np.sign(error[:-1]))  # overshoots every epoch


@pytest.fixture(scope="module")
def badly_scaled() -> Preset:
    return load_preset("badly-scaled")


@pytest.fixture(scope="module")
def badly_scaled_runs(badly_scaled: Preset) -> dict[str, Run]:
    adam = badly_scaled.settings.replace(optimizer="adam", lr=1.0)  # as the description says
    return {"gd": finished(badly_scaled), "adam": finished(badly_scaled, adam)}


class TestBadlyScaled:
    """Plain GD zig-zags in w and creeps in b; Adam, from the same start, reaches b*."""

    @pytest.fixture
    def preset(self, badly_scaled: Preset) -> Preset:
        return badly_scaled

    @pytest.fixture
    def runs(self, badly_scaled_runs: dict[str, Run]) -> dict[str, Run]:
        return badly_scaled_runs

    def test_the_problem_is_badly_scaled(self, preset: Preset) -> None:
        assert preset.dataset.x.min() >= 100 and preset.dataset.x.max() < 1000
        assert preset.settings.model == "line" and preset.settings.optimizer == "gd"
        a = analysis(preset)
        assert a.eigenvalues[1] / a.eigenvalues[0] > 1e4
        # Stable, but past 1/λmax: gradient descent overshoots along the steep direction.
        assert a.converges(preset.settings.lr) and a.oscillates(preset.settings.lr)

    def test_the_description_names_the_adam_variant(self, preset: Preset) -> None:
        assert "adam with learning rate 1" in preset.description

    def test_gd_is_still_far_from_b_star_while_adam_is_close(
        self, preset: Preset, runs: dict[str, Run]
    ) -> None:
        a = analysis(preset)
        b_star = a.optimum[1]
        gd_miss = abs(runs["gd"].params[1] - b_star)
        adam_miss = abs(runs["adam"].params[1] - b_star)
        assert gd_miss > 0.9 * abs(preset.settings.b0 - b_star)  # b has barely moved
        assert adam_miss < 0.01
        assert gd_miss > 1000 * adam_miss
        assert runs["gd"].history.cost[-1] > 3 * a.min_cost  # stuck on the valley's slope
        assert runs["adam"].history.cost[-1] - a.min_cost < 1e-3

    def test_gd_zig_zags_in_w(self, preset: Preset, runs: dict[str, Run]) -> None:
        w_star = analysis(preset).optimum[0]
        w = runs["gd"].history.params[:, 0]
        above = np.sign(w[:21] - w_star)
        assert np.all(above[1:] == -above[:-1])  # w − w* changes sign every epoch …
        steps = np.sign(np.diff(w[:201]))
        assert np.all(steps[1:] == -steps[:-1])  # … and its steps alternate for 200 epochs


# --------------------------------------------------------------------------- broken files


def _write(folder: Path, stem: str, /, **overrides: Any) -> Path:
    document: dict[str, Any] = {
        "name": stem,
        "title": "A title",
        "description": "A paragraph.",
        "settings": {"lr": 0.02},
        "data": {"x": [1.0, 2.0], "y": [2.0, 4.0]},
    }
    document.update(overrides)
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(presets_module, "presets_dir", lambda: tmp_path)
    return tmp_path


def test_a_preset_in_another_folder_loads(folder: Path) -> None:
    _write(folder, "mine")
    (folder / "points.csv").write_text("x,y\n1,3\n2,5\n", encoding="utf-8")
    _write(folder, "from-csv", data="points.csv")
    (folder / "notes.txt").write_text("not a preset", encoding="utf-8")
    assert preset_names() == ["from-csv", "mine"]
    preset = load_preset("from-csv")
    assert preset.dataset == Dataset([1.0, 2.0], [3.0, 5.0])
    assert preset.settings == RunSettings(lr=0.02)


def test_corrupt_json_names_the_file_and_line(folder: Path) -> None:
    (folder / "broken.json").write_text('{"name": "broken",\n  "title": }', encoding="utf-8")
    with pytest.raises(PresetError, match=r"broken\.json: not valid JSON \(line 2"):
        load_preset("broken")
    with pytest.raises(PresetError, match=r"broken\.json"):
        list_presets()


def test_missing_data_file_names_the_preset_and_the_csv(folder: Path) -> None:
    _write(folder, "lost", data="gone.csv")
    with pytest.raises(PresetError, match=r"lost\.json: .*gone\.csv: no such file"):
        load_preset("lost")


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"settings": {"lr": -1}}, r"settings: the learning rate must be greater than 0"),
        ({"settings": {"speed": 1}}, r"settings: unknown setting 'speed'"),
        ({"data": {"x": [1, 2], "y": [1]}}, r"data: x has 2 values but y has 1"),
        ({"data": {"x": [1, "a"], "y": [1, 2]}}, r"data: row 2: x = 'a' is not a number"),
        ({"data": [1, 2]}, r'data must be \{"x"'),
        ({"data": "../elsewhere.csv"}, r"data must name a CSV file in the presets folder"),
        ({"title": ""}, r"title must be a non-empty text"),
        ({"name": "other"}, r"name is 'other' but the file is bad\.json"),
        ({"colour": "red"}, r"unknown key 'colour'"),
    ],
)
def test_invalid_contents_name_the_file_and_the_problem(
    folder: Path, overrides: dict[str, Any], problem: str
) -> None:
    _write(folder, "bad", **overrides)
    with pytest.raises(PresetError, match=r"bad\.json: " + problem):
        load_preset("bad")


def test_missing_key_and_wrong_shape(folder: Path) -> None:
    path = _write(folder, "bad")
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["description"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PresetError, match=r"bad\.json: the key 'description' is missing"):
        load_preset("bad")
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(PresetError, match=r"bad\.json: a preset must be a JSON object"):
        load_preset("bad")


@pytest.mark.parametrize("name", ["nope", "../tutorial", "Tutorial", ""])
def test_an_unknown_name_lists_the_presets(name: str) -> None:
    with pytest.raises(PresetError, match=r"no preset named .*presets are: tutorial, badly-"):
        load_preset(name)


def test_preset_error_is_a_value_error() -> None:
    assert issubclass(PresetError, ValueError)


def test_missing_resources_folder_is_a_preset_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import gd_viewer.resources as resources

    monkeypatch.setattr(resources, "_CANDIDATES", (Path("/no/such/folder"),))
    with pytest.raises(PresetError, match="resources folder is missing"):
        load_preset("tutorial")
