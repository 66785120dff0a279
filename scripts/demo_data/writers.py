"""Output: value formatting, the streaming CSV sinks and the final files (CSV or Parquet).

Rows are written as headerless CSV part files per block (RFC 4180 quoting, CRLF line ends,
UTF-8), then assembled in block order under one header row; Parquet output streams the
assembled CSV through DuckDB (every column VARCHAR, as in the CSV; empty fields -> null)."""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from .contract import COLUMNS
from .dates import DAY, date_str


def fmt_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents // 100}.{cents % 100:02d}"


def fmt_bool(value: bool) -> str:
    return "true" if value else "false"


_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


class TimestampFormatter:
    """Formats epoch seconds as Salesforce does (``2024-03-31T23:59:59.000Z``) and, for a few
    percent of values, as ``...+0000`` or ``2024-03-31 23:59:59`` so parsers are exercised."""

    OFFSET_SHARE = 0.03
    SPACE_SHARE = 0.02

    def __init__(self, rng: random.Random) -> None:
        self._random = rng.random

    def __call__(self, ts: int) -> str:
        day, seconds = divmod(ts, DAY)
        clock = _CLOCK[seconds]
        r = self._random()
        if r >= self.OFFSET_SHARE + self.SPACE_SHARE:
            return f"{date_str(day)}T{clock}.000Z"
        if r < self.OFFSET_SHARE:
            return f"{date_str(day)}T{clock}.000+0000"
        return f"{date_str(day)} {clock}"


def row_writer(handle: IO[str]) -> Callable[[Sequence[str]], None]:
    """Writes rows exactly as ``csv.writer(handle, lineterminator="\\r\\n")`` does (minimal
    RFC 4180 quoting), joining rows that need no quoting directly, which is much faster."""
    fallback = csv.writer(handle, lineterminator="\r\n").writerow
    write = handle.write

    def write_row(row: Sequence[str]) -> None:
        line = ",".join(row)
        if line.count(",") == len(row) - 1 and not ('"' in line or "\n" in line or "\r" in line):
            write(line + "\r\n")
        else:
            fallback(row)

    return write_row


class CsvSink:
    """One headerless CSV part file per object (RFC 4180 quoting, CRLF line ends, UTF-8)."""

    def __init__(self, directory: Path, names: Sequence[str] = tuple(COLUMNS)) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.counts = dict.fromkeys(names, 0)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        for name in names:
            handle = open(directory / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._files[name] = handle
            self._writers[name] = row_writer(handle)

    def write(self, name: str, row: Sequence[str]) -> None:
        self._writers[name](row)
        self.counts[name] += 1

    def writer(self, name: str) -> Callable[[Sequence[str]], None]:
        """A row writer for hot paths (counts are updated by ``add_count``)."""
        return self._writers[name]

    def add_count(self, name: str, n: int) -> None:
        self.counts[name] += n

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


class NullSink(CsvSink):
    """Discards rows (reference data recomputed inside worker processes)."""

    def __init__(self) -> None:
        super().__init__(Path("."), ())

    def write(self, name: str, row: Sequence[str]) -> None:
        pass


def write_header(path: Path, columns: Sequence[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(columns)


def csv_to_parquet(csv_path: Path, parquet_path: Path, columns: Sequence[str]) -> None:
    """Streams one CSV file into Parquet through DuckDB, every column as VARCHAR."""
    import duckdb  # only Parquet output needs it

    spec = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path.as_posix()}', header = true, delim = ',', "
            f"quote = '\"', escape = '\"', auto_detect = false, columns = {{{spec}}})) "
            f"TO '{parquet_path.as_posix()}' (FORMAT parquet, COMPRESSION zstd)"
        )
    finally:
        con.close()


def assemble(target: Path, name: str, parts: Sequence[Path]) -> None:
    """Header row plus the part files, in order, into one CSV file."""
    write_header(target, COLUMNS[name])
    with open(target, "ab") as out:
        for part in parts:
            if part.exists():
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
