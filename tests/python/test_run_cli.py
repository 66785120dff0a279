"""scripts/run.py's command line: pytest arguments after `test` pass through unchanged."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def run_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_py", PROJECT_ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "argv",
    [
        ["-q", "-k", "reference"],
        ["-m", "not slow"],
        ["-x", "tests/python/test_run_cli.py", "-k", "pass", "--tb=short"],
        ["tests/python/test_run_cli.py::test_x", "-q"],
        ["-p", "no:cacheprovider", "--help-not-ours", "--", "-weird"],
        [],
    ],
)
def test_everything_after_test_goes_to_pytest_in_order(run_py: ModuleType, argv: list[str]) -> None:
    args = run_py.parse_args(["test", *argv])
    assert args.command == "test"
    assert args.pytest_args == argv


def test_test_help_is_run_py_help(run_py: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_py.parse_args(["test", "--help"])
    assert exit_info.value.code == 0
    assert "pytest" in capsys.readouterr().out


def test_other_commands_still_reject_unknown_arguments(
    run_py: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_py.parse_args(["demo", "--as-of-date", "2026-11-30"]).as_of_date == "2026-11-30"
    with pytest.raises(SystemExit) as exit_info:
        run_py.parse_args(["demo", "-q"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: -q" in capsys.readouterr().err
