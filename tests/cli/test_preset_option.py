"""`gd-viewer run --preset NAME`: its data and settings, options on top; bad names exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gd_viewer.cli import main
from gd_viewer.core import Analysis, Run, load_preset
from tests.cli.tutorial_program import program, run_program


def gd_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["run", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_tutorial_preset_prints_the_tutorial(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = gd_run(capsys, "--preset", "tutorial")
    assert (status, err) == (0, "")
    assert out == run_program(program())
    assert gd_run(capsys, "--preset=tutorial") == gd_run(capsys)


def test_past_the_limit_is_the_tutorial_with_its_learning_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = gd_run(capsys, "--preset", "past-the-limit")
    assert (status, err) == (0, "")
    assert out == run_program(program(lr=load_preset("past-the-limit").settings.lr))


def test_a_line_preset_from_its_csv_file_matches_the_tutorial_program(
    capsys: pytest.CaptureFixture[str],
) -> None:
    preset = load_preset("noisy-intercept")
    s = preset.settings
    status, out, _ = gd_run(capsys, "--preset", "noisy-intercept")
    assert status == 0
    expected = program(
        preset.dataset.x.tolist(), preset.dataset.y.tolist(),
        w0=s.w0, lr=s.lr, epochs=s.epochs, b0=s.b0,
    )  # fmt: skip
    assert out == run_program(expected)


def test_options_given_as_well_override_the_preset(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = gd_run(capsys, "--preset", "badly-scaled", "--optimizer", "adam", "--lr", "1")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 1000 + 2  # the preset's epochs
    last_b = float(lines[-2].split("b= ")[1].split()[0])
    preset = load_preset("badly-scaled")
    b_star = Analysis.of(Run(preset.dataset, preset.settings).quadratic).optimum[1]
    assert last_b == pytest.approx(b_star, abs=0.01)  # Adam got there; gd would not


def test_data_and_epochs_given_as_well_override_the_preset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = gd_run(
        capsys, "--preset", "noisy-intercept", "--x", "1,2,3,4", "--y", "3,5,7,9.5",
        "--epochs", "60", "--lr", "0.02", "--w0", "1", "--b0", "0.5",
    )  # fmt: skip
    assert status == 0
    expected = program([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.5], lr=0.02, epochs=60, b0=0.5)
    assert out == run_program(expected)


def test_a_bad_name_is_one_line_listing_the_presets(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = gd_run(capsys, "--preset", "nope")
    assert status == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("gd-viewer run: error: --preset: there is no preset named 'nope'")
    for name in ("tutorial", "noisy-intercept", "badly-scaled", "past-the-limit"):
        assert name in err


def test_tolerance_still_needs_a_stopping_rule(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = gd_run(capsys, "--preset", "noisy-intercept", "--tolerance", "0.1")
    assert status == 2 and out == ""
    assert "--tolerance applies to --stop gradient" in err
    status, out, err = gd_run(
        capsys, "--preset", "noisy-intercept", "--stop", "gradient", "--tolerance", "0.5"
    )
    assert status == 0 and "stopped: |gradient|" in err


def test_help_lists_the_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--preset NAME" in help_text
    assert "presets: tutorial, badly-scaled, noisy-intercept, past-the-limit" in help_text


def test_a_bad_name_from_the_command_line_exits_2_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gd_viewer", "run", "--preset", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
