"""`gd-viewer run`: the tutorial's printout, the history file, and every bad input."""

from __future__ import annotations

import csv
import io
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_viewer.cli import main, run_command
from tests.cli.tutorial_program import program, run_program

BIN = Path(sys.executable).parent


def gd_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["run", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_no_options_print_exactly_what_the_tutorial_prints(capsys: pytest.CaptureFixture[str]):
    status, out, err = gd_run(capsys)
    assert status == 0 and err == ""
    expected = run_program(program())
    assert out == expected
    lines = out.splitlines()
    assert lines[0] == "Predict (before training) 4 4.0"
    assert len(lines) == 102
    assert lines[1] == " Epoch: 0  w= 1.0933333333333333  loss= 4.666666666666667"
    assert lines[-1].startswith("Predict (after training) 4 7.99977")


@pytest.mark.parametrize(
    "command",
    [[str(BIN / "gd-viewer"), "run"], [sys.executable, "-m", "gd_viewer", "run"]],
    ids=["gd-viewer", "python -m gd_viewer"],
)
def test_both_entry_points_print_the_tutorial(command: list[str]):
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == run_program(program())
    assert result.stderr == ""


def test_other_data_learning_rate_and_start_match_the_tutorial_program(
    capsys: pytest.CaptureFixture[str],
):
    x, y = [0.5, 1.5, 2.5, 4.0], [1.1, 2.9, 5.2, 7.7]
    status, out, _ = gd_run(
        capsys, "--x", "0.5,1.5,2.5,4", "--y", "1.1,2.9,5.2,7.7", "--lr", "0.03",
        "--epochs", "250", "--w0", "-3.5",
    )  # fmt: skip
    assert status == 0
    assert out == run_program(program(x, y, w0=-3.5, lr=0.03, epochs=250))


def test_line_model_matches_the_tutorial_program_written_with_an_intercept(
    capsys: pytest.CaptureFixture[str],
):
    x, y = [1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.5]
    status, out, _ = gd_run(
        capsys, "--model", "line", "--x", "1,2,3,4", "--y", "3,5,7,9.5", "--b0", "0.5",
        "--lr", "0.02", "--epochs", "60",
    )  # fmt: skip
    assert status == 0
    assert out == run_program(program(x, y, w0=1.0, lr=0.02, epochs=60, b0=0.5))


@settings(max_examples=15, deadline=None)
@given(
    points=st.lists(
        st.tuples(
            st.floats(-10, 10, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
            st.floats(-20, 20, allow_nan=False),
        ),
        min_size=1,
        max_size=12,
    ),
    w0=st.floats(-5, 5),
)
def test_any_small_data_set_matches_the_tutorial_program(
    points: list[tuple[float, float]], w0: float
):
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    lr = 0.5 / (2 * sum(v * v for v in x) / len(x))  # safely below the stable limit
    args = ["--x", ",".join(map(repr, x)), "--y", ",".join(map(repr, y))]
    args += ["--lr", repr(lr), "--w0", repr(w0), "--epochs", "30"]
    out, err = io.StringIO(), io.StringIO()
    assert run_command(args, out, err) == 0, err.getvalue()
    assert out.getvalue() == run_program(program(x, y, w0=w0, lr=lr, epochs=30))


def test_negative_values_after_an_option_are_values_not_options(
    capsys: pytest.CaptureFixture[str],
):
    status, out, err = gd_run(capsys, "--x", "-1,2", "--y", "-2,4", "--w0", "-3", "--epochs", "5")
    assert status == 0, err
    assert out == run_program(program([-1.0, 2.0], [-2.0, 4.0], w0=-3.0, epochs=5))


def test_data_from_a_csv_file_gives_the_same_printout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = tmp_path / "points.csv"
    data.write_text("x,y\n1,2\n2,4\n3,6\n", encoding="utf-8")
    status, out, _ = gd_run(capsys, "--data", str(data))
    assert status == 0
    assert out == run_program(program())


def test_history_file_holds_every_epoch_with_exact_digits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "history.csv"
    status, out, _ = gd_run(capsys, "--history", str(path))
    assert status == 0
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["epoch", "w", "cost", "grad_w"]
    assert len(rows) == 1 + 101
    # Replay the tutorial's arithmetic: row k holds w at the start of epoch k,
    # the cost and the gradient there; the last row the final w.
    w = 1.0
    xs, ys = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    for k, row in enumerate(rows[1:]):
        cost = sum(((x * w - y) ** 2 for x, y in zip(xs, ys, strict=True)), 0) / 3
        grad = (2 * 1 * (1 * w - 2) + 2 * 2 * (2 * w - 4) + 2 * 3 * (3 * w - 6)) / 3
        assert row == [str(k), repr(w), repr(cost), repr(grad)]
        w -= 0.01 * grad
    # The printout's w on line k is the history's w in row k + 1.
    printed = [line.split("w= ")[1].split()[0] for line in out.splitlines()[1:-1]]
    assert printed == [row[1] for row in rows[2:]]


def test_line_model_history_has_both_parameters_and_gradients(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "h.csv"
    status, _, _ = gd_run(capsys, "--model", "line", "--epochs", "5", "--history", str(path))
    assert status == 0
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["epoch", "w", "b", "cost", "grad_w", "grad_b"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2", "3", "4", "5"]
    w, b = float(rows[1][1]), float(rows[1][2])
    assert (w, b) == (1.0, 0.0)
    # grad_b at the start: mean(2·(x·1 + 0 − y)) = mean(2·(−x)) = −4
    assert float(rows[1][5]) == -4.0


def test_sgd_in_order_follows_the_next_lessons_loop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "h.csv"
    status, _, _ = gd_run(capsys, "--optimizer", "sgd", "--epochs", "20", "--history", str(path))
    assert status == 0
    ws = [float(row.split(",")[1]) for row in path.read_text().splitlines()[1:]]
    w = 1.0
    expected = [w]
    for _ in range(20):
        for x, y in zip([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], strict=True):
            grad = 2 * x * (x * w - y)
            w = w - 0.01 * grad
        expected.append(w)
    assert ws == expected


@pytest.mark.parametrize(
    "optimizer", ["momentum", "nesterov", "adagrad", "rmsprop", "adam", "minibatch"]
)
def test_every_optimizer_runs_and_reduces_the_cost(
    optimizer: str, capsys: pytest.CaptureFixture[str]
):
    status, out, err = gd_run(capsys, "--optimizer", optimizer, "--epochs", "300", "--lr", "0.05")
    assert status == 0, err
    lines = out.splitlines()
    first_loss = float(lines[1].split("loss= ")[1])
    last_loss = float(lines[-2].split("loss= ")[1])
    assert last_loss < first_loss / 10


def test_a_diverging_run_stops_cleanly_and_says_why(capsys: pytest.CaptureFixture[str]):
    status, out, err = gd_run(capsys, "--lr", "1", "--epochs", "1000")
    assert status == 1
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "diverged" in err and "0.2143" in err
    assert "nan" not in out and "inf" not in out
    lines = out.splitlines()
    assert lines[-1].startswith("Predict (after training) 4 ")
    assert math.isfinite(float(lines[-1].split()[-1]))
    assert 100 < len(lines) - 2 < 1000  # it stopped well before the 1000 epochs


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--lr", "abc"], "--lr"),
        (["--lr", "-1"], "learning rate"),
        (["--lr", "0"], "learning rate"),
        (["--lr", "nan"], "learning rate"),
        (["--epochs", "-5"], "epochs"),
        (["--epochs", "1.5"], "--epochs"),
        (["--epochs", "100000000"], "epochs"),
        (["--x", "1,2", "--y", "1"], "x has 2 values but y has 1"),
        (["--x", "1,a", "--y", "1,2"], "'a'"),
        (["--x", "1,,3", "--y", "1,2,3"], "value 2"),
        (["--x", "1,2"], "--y"),
        (["--x", "1,nan", "--y", "1,2"], "row 2"),
        (["--x", "1,inf", "--y", "1,2"], "infinite"),
        (["--data", "no-such-file.csv"], "no such file"),
        (["--model", "cubic"], "--model"),
        (["--optimizer", "newton"], "--optimizer"),
        (["--optimizer", "minibatch", "--batch-size", "0"], "batch size"),
        (["--batch-size", "4"], "minibatch"),
        (["--optimizer", "momentum", "--momentum", "1.5"], "momentum"),
        (["--optimizer", "adam", "--eps", "0"], "epsilon"),
        (["--predict", "four"], "--predict"),
        (["--w0", "inf"], "initial w"),
        (["--history", "/no/such/folder/h.csv"], "--history"),
        (["--frobnicate"], "--frobnicate"),
    ],
)
def test_bad_input_gives_one_clear_line_and_status_2(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
):
    status, _out, err = gd_run(capsys, *args)
    assert status == 2
    assert err.startswith("gd-viewer run: error: ")
    assert len(err.strip().splitlines()) == 1
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("x,y\n1,2\n2\n", "line 3"),
        ("1,2\n2,abc\n", "line 2"),
        ("", "no data points"),
        ("x,y\n", "no data points"),
        ("1,2\n3,nan\n", "line 2"),
    ],
)
def test_a_bad_csv_file_is_named_with_its_line(
    content: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    status, _, err = gd_run(capsys, "--data", str(path))
    assert status == 2
    assert words in err and str(path) in err


def test_bad_input_from_a_real_process_shows_no_traceback(tmp_path: Path):
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(os.urandom(256) + b"\xff\xfe")
    result = subprocess.run(
        [sys.executable, "-m", "gd_viewer", "run", "--data", str(garbage)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("gd-viewer run: error: ")


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]):
    status, out, _ = gd_run(capsys, "--help")
    assert status == 0
    for option in ("--data", "--model", "--optimizer", "--batch-size", "--history", "--seed"):
        assert option in out
