"""Command line: ``python3 scripts/generate_demo_data.py --out DIR [--scale N] [--seed 42]
[--format csv|parquet] [--jobs N]`` writes one file per object of the raw-export contract."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from .blocks import generate


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Deterministic generator of Salesforce-style CRM exports "
        "(the demo data and benchmarks)."
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the demo (~3k opps)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="worker processes, one block of 600 accounts each at a time (output is the same)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = generate(args.out, args.scale, args.seed, args.format, args.jobs)
    total = sum(result.counts.values())
    counts = " ".join(f"{name}={n}" for name, n in result.counts.items())
    print(
        f"wrote {args.format} to {args.out}: {counts} "
        f"({total} rows in {result.seconds:.1f}s, {total / max(result.seconds, 1e-9):,.0f} rows/s)"
    )
    return 0
