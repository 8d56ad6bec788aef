"""The README's quick start and CI run the same command, so the README cannot go stale."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _ci_test_command() -> str:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r"^TEST_COMMAND='([^']+)'$", script, flags=re.MULTILINE)
    assert match, ".ci/run must set TEST_COMMAND='...' on one line"
    return match.group(1)


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```$", readme, flags=re.MULTILINE | re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command() -> None:
    assert _ci_test_command() in _readme_commands()


def test_readme_quick_start_installs_and_launches() -> None:
    launch = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/gd-viewer"
    assert launch in _readme_commands()


def test_ci_script_is_strict_and_executable() -> None:
    script = REPO / ".ci" / "run"
    assert "set -euo pipefail" in script.read_text(encoding="utf-8")
    assert script.stat().st_mode & 0o111, ".ci/run must be executable"
