"""Headless commands. ``gd-viewer run`` prints what the tutorial's program prints.

With no options the output equals the tutorial's, character for character::

    Predict (before training) 4 4.0
     Epoch: 0  w= 1.0933333333333333  loss= 4.666666666666667
    ...
    Predict (after training) 4 7.999777758621207

``--stop gradient`` or ``--stop cost-change`` ends the run at the first epoch
where the full-batch |gradient|, or the change of the cost since the epoch
before, is at most ``--tolerance``: the epochs taken are printed, then the
prediction as usual, and the reason goes to standard error.

``--preset NAME`` starts from a preset's data and settings (see
:mod:`gd_viewer.core.presets`); any option given as well overrides the preset's
value, e.g. ``--preset badly-scaled --optimizer adam --lr 1``.

Exit status: 0 done (all epochs, or stopped by the rule), 1 the run diverged
(the epochs before it are printed and the reason goes to standard error), 2 bad
options or data (one line, no traceback).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from gd_viewer.core.data import DataError, Dataset, read_csv
from gd_viewer.core.descent import Run, Status
from gd_viewer.core.fileio import atomic_write_text
from gd_viewer.core.models import MODELS
from gd_viewer.core.optimizers import OPTIMIZERS
from gd_viewer.core.presets import Preset, PresetError, load_preset, preset_names
from gd_viewer.core.settings import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_TOLERANCE,
    STOP_RULES,
    RunSettings,
    SettingsError,
)

EXIT_DIVERGED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad options or data; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gd-viewer run",
        description="Run gradient descent headless and print the tutorial's printout.",
    )
    start = parser.add_argument_group("preset")
    start.add_argument(
        "--preset",
        metavar="NAME",
        help="take the data and settings from a preset; options given as well override "
        f"it, and the defaults below become the preset's ({_preset_list()})",
    )
    data = parser.add_argument_group(
        "data (default: the preset's, else the tutorial's x = 1,2,3 and y = 2,4,6)"
    )
    data.add_argument("--x", metavar="X1,X2,…", help="x values, comma separated")
    data.add_argument("--y", metavar="Y1,Y2,…", help="y values, comma separated")
    data.add_argument("--data", metavar="FILE", help="CSV file with columns x, y (header optional)")
    model = parser.add_argument_group("model")
    model.add_argument(
        "--model",
        choices=list(MODELS),
        help="origin: y = w·x (the tutorial's); line: y = w·x + b",
    )
    model.add_argument("--w0", type=float, help="initial w (default 1.0)")
    model.add_argument("--b0", type=float, help="initial b, line model (default 0)")
    opt = parser.add_argument_group("optimizer (update rules and defaults of torch.optim)")
    opt.add_argument(
        "--optimizer",
        choices=list(OPTIMIZERS),
        help="gd: full batch (default); sgd: one point per update; minibatch: "
        f"--batch-size points (default {DEFAULT_BATCH_SIZE}); the others full "
        "batch unless --batch-size is given",
    )
    opt.add_argument("--lr", type=float, help="learning rate (default 0.01)")
    opt.add_argument("--epochs", type=int, help="epochs (default 100)")
    opt.add_argument("--batch-size", type=int, help="points per update")
    opt.add_argument("--momentum", type=float, help="momentum μ (default 0.9)")
    opt.add_argument("--alpha", type=float, help="RMSProp smoothing (default 0.99)")
    opt.add_argument("--beta1", type=float, help="Adam β1 (default 0.9)")
    opt.add_argument("--beta2", type=float, help="Adam β2 (default 0.999)")
    opt.add_argument(
        "--eps", type=float, help="ε of AdaGrad (default 1e-10), RMSProp and Adam (default 1e-8)"
    )
    opt.add_argument(
        "--shuffle",
        action="store_true",
        default=None,
        help="visit the points in a new random order each epoch (sgd, minibatch)",
    )
    opt.add_argument("--seed", type=int, help="seed of the shuffles (default 0)")
    stop = parser.add_argument_group("stopping (--epochs is the upper bound in every rule)")
    stop.add_argument(
        "--stop",
        choices=[_option_word(rule) for rule in STOP_RULES],
        help="epochs: run them all (the tutorial's, default); gradient: stop at the first "
        "epoch whose |gradient| ≤ --tolerance; cost-change: stop at the first epoch whose "
        "cost differs from the epoch before by ≤ --tolerance",
    )
    stop.add_argument(
        "--tolerance",
        type=float,
        metavar="T",
        help=f"tolerance of --stop gradient and cost-change (default {DEFAULT_TOLERANCE:g})",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--predict",
        default="4",
        metavar="X",
        help="x at which to print the prediction before and after (default 4)",
    )
    out.add_argument(
        "--history",
        metavar="FILE",
        help="write a CSV of every epoch: epoch,w[,b],cost,grad_w[,grad_b]",
    )
    return parser


def _option_word(rule: str) -> str:
    """``cost_change`` → ``cost-change``, as options are spelled."""
    return rule.replace("_", "-")


def _numbers(text: str, option: str) -> list[float]:
    values = []
    for position, field in enumerate(text.split(","), start=1):
        try:
            values.append(float(field))
        except ValueError:
            raise UsageError(
                f"{option}: value {position}, {field.strip()!r}, is not a number"
            ) from None
    return values


def _preset_list() -> str:
    """``presets: tutorial, …`` for the help, or why there are none."""
    try:
        return "presets: " + ", ".join(preset_names())
    except PresetError as error:
        return f"no presets: {error}"


def _load_preset(args: argparse.Namespace) -> Preset | None:
    if args.preset is None:
        return None
    try:
        return load_preset(args.preset)
    except PresetError as error:
        raise UsageError(f"--preset: {error}") from None


def _load_data(args: argparse.Namespace, preset: Preset | None) -> Dataset:
    if args.data is not None:
        if args.x is not None or args.y is not None:
            raise UsageError("give the data either with --data or with --x and --y, not both")
        return read_csv(args.data)
    if args.x is None and args.y is None:
        return Dataset.tutorial() if preset is None else preset.dataset
    if args.x is None or args.y is None:
        raise UsageError("--x and --y go together: give both")
    return Dataset(_numbers(args.x, "--x"), _numbers(args.y, "--y"))


#: Options that set a field of RunSettings of the same name; None when not given.
_SETTING_OPTIONS = (
    "model", "optimizer", "lr", "epochs", "w0", "b0", "batch_size", "momentum",
    "alpha", "beta1", "beta2", "eps", "shuffle", "seed",
)  # fmt: skip


def _settings(args: argparse.Namespace, preset: Preset | None) -> RunSettings:
    """The preset's settings (else the tutorial's) with the options given on top."""
    base = RunSettings() if preset is None else preset.settings
    changes = {
        name: getattr(args, name) for name in _SETTING_OPTIONS if getattr(args, name) is not None
    }
    stop = base.stop if args.stop is None else args.stop.replace("-", "_")
    if args.tolerance is not None:
        if stop == "epochs":
            raise UsageError("--tolerance applies to --stop gradient or --stop cost-change only")
        changes["tolerance"] = args.tolerance
    changes["stop"] = stop
    return base.replace(**changes)


def _prediction_point(text: str) -> int | float:
    """The x as the user wrote it: ``4`` prints as 4, as in the tutorial."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--predict: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"--predict: {text!r} is not a finite number")
    return value


def _predict(params: Sequence[float], x: int | float) -> float:
    # The tutorial's forward(x) = x * w, with b added for the line model.
    return x * params[0] if len(params) == 1 else x * params[0] + params[1]


def print_run(run: Run, predict_x: int | float, out: TextIO) -> None:
    """The tutorial's printout of a finished (or diverged) run."""
    history = run.history
    params = history.params.tolist()
    cost = history.cost.tolist()
    names = run.model.parameter_names
    print("Predict (before training)", predict_x, _predict(params[0], predict_x), file=out)
    lines = []
    for epoch in range(history.epochs):
        after = "  ".join(
            f"{name}= {value!r}" for name, value in zip(names, params[epoch + 1], strict=True)
        )
        lines.append(f" Epoch: {epoch}  {after}  loss= {cost[epoch]!r}\n")
        if len(lines) >= 4096:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    print("Predict (after training)", predict_x, _predict(params[-1], predict_x), file=out)


def history_csv(run: Run) -> str:
    """``epoch,w[,b],cost,grad_w[,grad_b]``, one row per epoch 0 … E, exact digits."""
    names = run.model.parameter_names
    header = ["epoch", *names, "cost", *(f"grad_{n}" for n in names)]
    rows = [",".join(header)]
    history = run.history
    for epoch, (params, cost, grad) in enumerate(
        zip(history.params.tolist(), history.cost.tolist(), history.grad.tolist(), strict=True)
    ):
        rows.append(",".join([str(epoch), *map(repr, params), repr(cost), *map(repr, grad)]))
    return "\n".join(rows) + "\n"


def run_command(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    args = build_parser().parse_args(_attach_negative_values(list(argv)))
    predict_x = _prediction_point(args.predict)
    preset = _load_preset(args)
    data = _load_data(args, preset)
    run = Run(data, _settings(args, preset))
    run.run_to_end()
    print_run(run, predict_x, out)
    if args.history is not None:
        try:
            atomic_write_text(args.history, history_csv(run))
        except OSError as error:
            raise UsageError(f"--history: cannot write {args.history}: {error.strerror}") from None
    if run.status is Status.DIVERGED:
        print(f"gd-viewer run: {run.reason}", file=err)
        return EXIT_DIVERGED
    if run.reason:  # the stopping rule held (the tutorial's rule never sets a reason)
        print(f"gd-viewer run: stopped: {run.reason}", file=err)
    return 0


def _attach_negative_values(words: list[str]) -> list[str]:
    """``--x -1,2`` → ``--x=-1,2``: argparse would take ``-1,2`` for an option."""
    joined: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            word.startswith("--")
            and "=" not in word
            and following[:1] == "-"
            and (following[1:2].isdigit() or following[1:2] in (".", "i", "I", "n", "N"))
        ):
            joined.append(f"{word}={following}")
            i += 2
        else:
            joined.append(word)
            i += 1
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """``gd-viewer run …``; ``argv`` starts with the subcommand name."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["run"]:
        words = words[1:]
    if any(word in ("-h", "--help") for word in words):
        build_parser().print_help()
        return 0
    try:
        return run_command(words, sys.stdout, sys.stderr)
    except (UsageError, DataError, SettingsError) as error:
        print(f"gd-viewer run: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader (e.g. `head`) closed the pipe: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print("gd-viewer run: error: not enough memory for this run", file=sys.stderr)
        return 1
