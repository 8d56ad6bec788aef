"""`gd-viewer run --stop … --tolerance …`: early stops print the epochs taken, bad values exit 2."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest

from gd_viewer.cli import main
from tests.cli.tutorial_program import program, run_program

XS, YS = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def gd_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["run", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def tutorial_stop_epoch(stop: str, tolerance: float, lr: float = 0.01) -> int:
    """The tutorial's loop, run until the rule holds: the epoch it stops at."""
    w = 1.0
    previous = None
    for epoch in range(100_000):
        cost = sum((x * w - y) ** 2 for x, y in zip(XS, YS, strict=True)) / 3
        grad = sum(2 * x * (x * w - y) for x, y in zip(XS, YS, strict=True)) / 3
        if stop == "gradient" and abs(grad) <= tolerance:
            return epoch
        if stop == "cost-change" and previous is not None and abs(cost - previous) <= tolerance:
            return epoch
        previous = cost
        w -= lr * grad
    raise AssertionError("the rule never held")


@pytest.mark.parametrize("args", [["--stop", "epochs"], ["--stop", "gradient"]])
def test_a_rule_that_does_not_trigger_keeps_the_tutorials_printout(
    args: list[str], capsys: pytest.CaptureFixture[str]
):
    # |gradient| after 100 epochs is about 5e-4, above the default tolerance 1e-6.
    status, out, err = gd_run(capsys, *args)
    assert status == 0 and err == ""
    assert out == run_program(program())


@pytest.mark.parametrize(
    ("stop", "tolerance"),
    [("gradient", "1e-6"), ("gradient", "0.5"), ("cost-change", "1e-3"), ("cost-change", "1e-12")],
)
def test_an_early_stop_prints_the_epochs_taken_then_the_prediction(
    stop: str, tolerance: str, capsys: pytest.CaptureFixture[str]
):
    k = tutorial_stop_epoch(stop, float(tolerance))
    status, out, err = gd_run(capsys, "--stop", stop, "--tolerance", tolerance, "--epochs", "5000")
    assert status == 0
    assert 0 < k < 5000
    # The same as the tutorial's program run for k epochs, character for character.
    assert out == run_program(program(epochs=k))
    lines = out.splitlines()
    assert len(lines) == k + 2
    assert lines[-2].startswith(f" Epoch: {k - 1}  w= ")
    assert lines[-1].startswith("Predict (after training) 4 ")
    # Why it stopped: one line on stderr.
    assert len(err.splitlines()) == 1
    assert err.startswith("gd-viewer run: stopped: ")
    assert f"≤ tolerance {float(tolerance):g} at epoch {k}" in err
    assert ("|gradient|" if stop == "gradient" else "|cost change|") in err


def test_the_default_tolerance_is_one_in_a_million(capsys: pytest.CaptureFixture[str]):
    k = tutorial_stop_epoch("gradient", 1e-6)
    status, out, err = gd_run(capsys, "--stop", "gradient", "--epochs", "1000")
    assert status == 0 and len(out.splitlines()) == k + 2 == 166
    assert "tolerance 1e-06 at epoch 164" in err


def test_epochs_cap_the_rule(capsys: pytest.CaptureFixture[str]):
    k = tutorial_stop_epoch("gradient", 1e-6)
    status, out, err = gd_run(capsys, "--stop", "gradient", "--epochs", str(k - 1))
    assert status == 0 and err == ""
    assert out == run_program(program(epochs=k - 1))
    # A cap at the very epoch the rule holds: every epoch runs, and the note says the rule held.
    status, out, err = gd_run(capsys, "--stop", "gradient", "--epochs", str(k))
    assert status == 0 and out == run_program(program(epochs=k))
    assert err == f"gd-viewer run: stopped: {err.split('stopped: ')[1]}"
    assert err.endswith(f"at epoch {k}\n")


def test_the_history_file_of_a_stopped_run_ends_at_the_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "h.csv"
    status, _, _ = gd_run(
        capsys, "--stop", "gradient", "--tolerance", "1e-4", "--epochs", "1000",
        "--history", str(path),
    )  # fmt: skip
    assert status == 0
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))[1:]
    k = tutorial_stop_epoch("gradient", 1e-4)
    assert [int(r[0]) for r in rows] == list(range(k + 1))
    assert abs(float(rows[-1][3])) <= 1e-4 < abs(float(rows[-2][3]))


def test_line_model_and_sgd_stop_too(capsys: pytest.CaptureFixture[str]):
    status, out, err = gd_run(
        capsys, "--model", "line", "--lr", "0.05", "--stop", "gradient", "--tolerance", "1e-4",
        "--epochs", "50000",
    )  # fmt: skip
    assert status == 0 and "stopped: |gradient|" in err
    assert 10 < len(out.splitlines()) - 2 < 50000
    status, out, err = gd_run(
        capsys, "--optimizer", "sgd", "--stop", "cost-change", "--tolerance", "1e-9",
        "--epochs", "50000",
    )  # fmt: skip
    assert status == 0 and "stopped: |cost change|" in err
    assert 10 < len(out.splitlines()) - 2 < 50000


def test_a_diverging_run_under_a_rule_still_exits_1(capsys: pytest.CaptureFixture[str]):
    status, out, err = gd_run(capsys, "--lr", "1", "--epochs", "1000", "--stop", "cost-change")
    assert status == 1 and "diverged" in err and "stopped:" not in err
    assert math.isfinite(float(out.splitlines()[-1].split()[-1]))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--stop", "gradient", "--tolerance", "0"], "tolerance"),
        (["--stop", "gradient", "--tolerance", "-1e-6"], "tolerance"),
        (["--stop", "cost-change", "--tolerance", "nan"], "tolerance"),
        (["--stop", "cost-change", "--tolerance", "inf"], "tolerance"),
        (["--stop", "gradient", "--tolerance", "-inf"], "tolerance"),
        (["--stop", "gradient", "--tolerance", "small"], "--tolerance"),
        (["--stop", "gradient", "--tolerance"], "--tolerance"),
        (["--tolerance", "1e-3"], "--stop gradient or --stop cost-change"),
        (["--stop", "epochs", "--tolerance", "1e-3"], "--tolerance"),
        (["--stop", "never"], "--stop"),
        (["--stop", "cost_change"], "cost-change"),
        (["--stop"], "--stop"),
    ],
)
def test_bad_stop_options_give_one_line_and_status_2(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
):
    status, out, err = gd_run(capsys, *args)
    assert status == 2 and out == ""
    assert err.startswith("gd-viewer run: error: ")
    assert len(err.strip().splitlines()) == 1
    assert words in err
    assert "Traceback" not in err


def test_a_bad_tolerance_from_a_real_process_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "gd_viewer", "run", "--stop", "gradient", "--tolerance", "-1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("gd-viewer run: error: ") and "tolerance" in result.stderr


def test_help_lists_the_stop_options(capsys: pytest.CaptureFixture[str]):
    status, out, _ = gd_run(capsys, "--help")
    assert status == 0
    for word in ("--stop", "--tolerance", "cost-change", "gradient"):
        assert word in out
