from __future__ import annotations

from conftest import REPO


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```")[1::2]
    return [b.strip() for b in blocks[:2]]


def test_readme_starts_with_two_single_line_commands() -> None:
    install_and_batch, tests = _commands()
    assert "\n" not in install_and_batch and "extractor batch corpus" in install_and_batch
    assert "\n" not in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()
    assert "set -euo pipefail" in ci
