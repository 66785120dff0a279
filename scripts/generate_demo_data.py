#!/usr/bin/env python3
"""Generate Salesforce-style CRM exports (the demo data and benchmarks).

Usage::

    python3 scripts/generate_demo_data.py --out data/demo
    python3 scripts/generate_demo_data.py --out /tmp/bench --scale 100 --format parquet

The generator is the package ``scripts/demo_data/``. Run with any Python 3.11, this script
re-executes itself with the project's virtual environment (``.venv``, created with the pinned
dependencies by ``scripts/run.py``'s bootstrap on first use), so the command works as written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent


def _in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


def _reexec_in_project_venv() -> None:
    """Replace this process with the same command under ``.venv/bin/python``."""
    sys.path.insert(0, str(SCRIPTS))
    import run

    run.bootstrap()
    python = run.BIN / "python"
    os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


if __name__ == "__main__":
    if not _in_project_venv():
        _reexec_in_project_venv()
    sys.path.insert(0, str(SCRIPTS))
    from demo_data.cli import main

    sys.exit(main())
