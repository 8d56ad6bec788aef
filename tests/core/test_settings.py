"""RunSettings: the tutorial's defaults, validation that names the setting, JSON files."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from gd_viewer.core import OPTIMIZERS, RunSettings, SettingsError

#: How a message may name each setting.
NAMES = {
    "model": r"model",
    "optimizer": r"optimizer",
    "lr": r"learning rate|\blr\b",
    "epochs": r"epochs",
    "w0": r"initial w|\bw0\b",
    "b0": r"initial b|\bb0\b",
    "batch_size": r"batch size|batch_size",
    "momentum": r"momentum",
    "alpha": r"alpha",
    "beta1": r"beta1",
    "beta2": r"beta2",
    "eps": r"eps",
    "shuffle": r"shuffle",
    "seed": r"seed",
}


def test_defaults_are_the_tutorials() -> None:
    s = RunSettings()
    assert (s.model, s.optimizer, s.lr, s.epochs) == ("origin", "gd", 0.01, 100)
    assert (s.w0, s.b0) == (1.0, 0.0)
    assert s.initial_params == (1.0,)
    assert not s.is_stochastic


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RunSettings().lr = 0.5  # type: ignore[misc]


def test_replace_validates_again() -> None:
    assert RunSettings().replace(lr=0.2).lr == 0.2
    with pytest.raises(SettingsError):
        RunSettings().replace(lr=-1.0)


INVALID: list[tuple[str, dict[str, Any]]] = [
    ("lr", {"lr": 0.0}),
    ("lr", {"lr": -0.01}),
    ("lr", {"lr": math.nan}),
    ("lr", {"lr": math.inf}),
    ("lr", {"lr": "fast"}),
    ("lr", {"lr": None}),
    ("epochs", {"epochs": -1}),
    ("epochs", {"epochs": 2.5}),
    ("epochs", {"epochs": 10.0}),
    ("epochs", {"epochs": "100"}),
    ("epochs", {"epochs": True}),
    ("epochs", {"epochs": 10_000_001}),
    ("w0", {"w0": math.nan}),
    ("w0", {"w0": math.inf}),
    ("w0", {"w0": 1e101}),
    ("b0", {"model": "line", "b0": -math.inf}),
    ("momentum", {"optimizer": "momentum", "momentum": 1.0}),
    ("momentum", {"optimizer": "momentum", "momentum": -0.1}),
    ("momentum", {"optimizer": "nesterov", "momentum": math.nan}),
    ("alpha", {"optimizer": "rmsprop", "alpha": 1.0}),
    ("alpha", {"optimizer": "rmsprop", "alpha": -0.5}),
    ("beta1", {"optimizer": "adam", "beta1": 1.0}),
    ("beta1", {"optimizer": "adam", "beta1": -1e-9}),
    ("beta2", {"optimizer": "adam", "beta2": 1.5}),
    ("beta2", {"optimizer": "adam", "beta2": -0.1}),
    ("eps", {"optimizer": "adam", "eps": 0.0}),
    ("eps", {"optimizer": "adagrad", "eps": -1e-8}),
    ("eps", {"optimizer": "rmsprop", "eps": math.nan}),
    ("batch_size", {"optimizer": "minibatch", "batch_size": 0}),
    ("batch_size", {"optimizer": "minibatch", "batch_size": -4}),
    ("batch_size", {"optimizer": "minibatch", "batch_size": 2.5}),
    ("batch_size", {"optimizer": "gd", "batch_size": 4}),
    ("batch_size", {"optimizer": "gd", "batch_size": 1}),
    ("batch_size", {"optimizer": "sgd", "batch_size": 2}),
    ("model", {"model": "cubic"}),
    ("model", {"model": ["origin"]}),
    ("optimizer", {"optimizer": "adamw"}),
    ("optimizer", {"optimizer": {"name": "adam"}}),
    ("seed", {"seed": -1}),
    ("seed", {"seed": 1.5}),
    ("shuffle", {"optimizer": "sgd", "shuffle": "yes"}),
]


@pytest.mark.parametrize(("setting", "values"), INVALID, ids=[f"{s}={v}" for s, v in INVALID])
def test_invalid_setting_raises_settings_error_naming_it(
    setting: str, values: dict[str, Any]
) -> None:
    with pytest.raises(SettingsError) as caught:
        RunSettings(**values)
    message = str(caught.value)
    assert re.search(NAMES[setting], message, re.IGNORECASE), message


@pytest.mark.parametrize(
    "values",
    [
        {"lr": 1e-12},
        {"lr": 5},
        {"epochs": 0},
        {"epochs": 10_000_000},
        {"w0": -1e100, "b0": 1e100, "model": "line"},
        {"optimizer": "momentum", "momentum": 0.0},
        {"optimizer": "momentum", "momentum": 0.999},
        {"optimizer": "rmsprop", "alpha": 0.0},
        {"optimizer": "adam", "beta1": 0.0, "beta2": 0.9999, "eps": 1e-300},
        {"optimizer": "sgd", "batch_size": 1},
        {"optimizer": "minibatch", "batch_size": 1},
        {"optimizer": "adam", "batch_size": 7},
        {"optimizer": "sgd", "shuffle": True, "seed": 2**40},
    ],
)
def test_valid_edge_values_are_accepted(values: dict[str, Any]) -> None:
    settings = RunSettings(**values)
    for name, value in values.items():
        assert getattr(settings, name) == value


def test_initial_params_follow_the_model() -> None:
    assert RunSettings(w0=-3.0, b0=4.0).initial_params == (-3.0,)
    assert RunSettings(model="line", w0=-3.0, b0=4.0).initial_params == (-3.0, 4.0)


@pytest.mark.parametrize(
    ("values", "stochastic", "sizes"),
    [
        ({}, False, {1: 1, 3: 3, 5000: 5000}),
        ({"optimizer": "sgd"}, True, {1: 1, 3: 1, 5000: 1}),
        ({"optimizer": "minibatch"}, True, {3: 3, 32: 32, 5000: 32}),
        ({"optimizer": "minibatch", "batch_size": 10}, True, {3: 3, 25: 10}),
        ({"optimizer": "momentum"}, False, {7: 7}),
        ({"optimizer": "momentum", "batch_size": 4}, True, {3: 3, 7: 4}),
        ({"optimizer": "adam", "batch_size": 1}, True, {7: 1}),
    ],
)
def test_batch_size_for_and_is_stochastic(
    values: dict[str, Any], stochastic: bool, sizes: dict[int, int]
) -> None:
    settings = RunSettings(**values)
    assert settings.is_stochastic is stochastic
    for n, size in sizes.items():
        assert settings.batch_size_for(n) == size


def test_every_optimizer_is_a_valid_setting() -> None:
    for name in OPTIMIZERS:
        assert RunSettings(optimizer=name).optimizer == name


# ------------------------------------------------------------------ JSON


@pytest.mark.parametrize(
    "settings",
    [
        RunSettings(),
        RunSettings(model="line", optimizer="adam", lr=0.123, epochs=7, w0=-2.5, b0=1e-300,
                    beta1=0.8, beta2=0.95, eps=1e-6, batch_size=3, shuffle=True, seed=99),
        RunSettings(optimizer="rmsprop", alpha=0.5, lr=1 / 3),
        RunSettings(optimizer="nesterov", momentum=0.25, epochs=0),
    ],
)  # fmt: skip
def test_save_then_load_round_trips(tmp_path: Path, settings: RunSettings) -> None:
    path = tmp_path / "run.json"
    settings.save(path)
    assert RunSettings.load(path) == settings
    assert RunSettings.load(str(path)) == settings
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_saved_file_is_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    RunSettings(lr=0.5).save(path)
    values = json.loads(path.read_text(encoding="utf-8"))
    assert values["lr"] == 0.5 and values["model"] == "origin" and values["epochs"] == 100


def test_partial_file_takes_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    path.write_text('{"lr": 0.05, "optimizer": "momentum"}', encoding="utf-8")
    assert RunSettings.load(path) == RunSettings(lr=0.05, optimizer="momentum")


def _load_error(path: Path) -> str:
    with pytest.raises(SettingsError) as caught:
        RunSettings.load(path)
    message = str(caught.value)
    assert str(path) in message, message
    return message


def test_load_missing_file(tmp_path: Path) -> None:
    _load_error(tmp_path / "missing.json")


def test_load_folder(tmp_path: Path) -> None:
    _load_error(tmp_path)


@pytest.mark.parametrize(
    "content",
    ['{"lr": 0.1', "", "lr = 0.1", '{"lr": 0.1,}', "\x00\x01"],
    ids=["truncated", "empty", "toml", "trailing-comma", "binary"],
)
def test_load_corrupt_json(tmp_path: Path, content: str) -> None:
    path = tmp_path / "run.json"
    path.write_text(content, encoding="utf-8")
    _load_error(path)


def test_load_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    path.write_bytes(b'{"lr": "\xff"}')
    _load_error(path)


@pytest.mark.parametrize("content", ["[]", '[{"lr": 0.1}]', '"gd"', "3", "null"])
def test_load_json_that_is_not_an_object(tmp_path: Path, content: str) -> None:
    path = tmp_path / "run.json"
    path.write_text(content, encoding="utf-8")
    _load_error(path)


def test_load_unknown_key_names_it(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    path.write_text('{"lr": 0.1, "learning_rate": 0.2}', encoding="utf-8")
    assert "learning_rate" in _load_error(path)


@pytest.mark.parametrize(
    ("values", "setting"),
    [
        ({"lr": "0.1"}, "lr"),
        ({"epochs": 12.5}, "epochs"),
        ({"epochs": "100"}, "epochs"),
        ({"w0": None}, "w0"),
        ({"shuffle": "true"}, "shuffle"),
        ({"seed": [1]}, "seed"),
        ({"model": ["line"]}, "model"),
        ({"optimizer": 3}, "optimizer"),
        ({"optimizer": "minibatch", "batch_size": "8"}, "batch_size"),
        ({"momentum": {"value": 0.9}}, "momentum"),
    ],
)
def test_load_wrong_types_names_file_and_setting(
    tmp_path: Path, values: dict[str, Any], setting: str
) -> None:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    message = _load_error(path)
    assert re.search(NAMES[setting], message, re.IGNORECASE), message


def test_load_non_finite_json_numbers(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    path.write_text('{"lr": NaN}', encoding="utf-8")
    assert re.search(NAMES["lr"], _load_error(path), re.IGNORECASE)
    path.write_text('{"w0": Infinity}', encoding="utf-8")
    assert re.search(NAMES["w0"], _load_error(path), re.IGNORECASE)


def test_save_into_missing_folder_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        RunSettings().save(tmp_path / "missing" / "run.json")
    assert list(tmp_path.iterdir()) == []
