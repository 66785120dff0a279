"""Tests of the demo generator (scripts/demo_data/, run as scripts/generate_demo_data.py):
determinism, the raw-export contract, realism
invariants the models rely on, scaling and the Parquet output."""

from __future__ import annotations

import csv
import importlib
import os
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest
from conftest import DEMO_AS_OF_DATE, load_contract

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "generate_demo_data.py"
SMALL = 0.05

# the raw-export contract from its single home (the crm source YAML)
CONTRACT: dict[str, list[str]] = {
    name: list(contract.column_names) for name, contract in load_contract().items()
}

FAMILIES = {
    "New Business": "acquisition",
    "New Customer": "acquisition",
    "Renewal": "retention",
    "Existing Customer - Replacement": "retention",
    "Existing Customer - Downgrade": "retention",
    "Existing Customer - Upgrade": "upsell",
    "Upsell": "upsell",
    "Expansion": "upsell",
    "Cross-sell": "cross_sell",
    "Cross Sell": "cross_sell",
}
AS_OF_END = datetime.fromisoformat(DEMO_AS_OF_DATE).replace(
    hour=23, minute=59, second=59, tzinfo=UTC
)
FIRST_DAY = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    """The generator package ``scripts/demo_data``."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        return importlib.import_module("demo_data")
    finally:
        sys.path.remove(str(SCRIPT.parent))


@pytest.fixture(scope="module")
def small(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("small")
    return out, gen.generate(out, scale=SMALL, seed=42)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_ts(text: str) -> datetime:
    """The three timestamp forms the generator writes."""
    if text.endswith("Z"):
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if text.endswith("+0000"):
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def family(type_value: str) -> str:
    return FAMILIES.get(type_value, "unknown")


def test_same_seed_gives_identical_bytes(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", scale=SMALL, seed=7)
    gen.generate(tmp_path / "b", scale=SMALL, seed=7)
    for name in CONTRACT:
        a = (tmp_path / "a" / f"{name}.csv").read_bytes()
        b = (tmp_path / "b" / f"{name}.csv").read_bytes()
        assert a == b, f"{name}.csv differs between two runs with the same seed"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        f"{name}.csv" for name in CONTRACT
    ), "only the contract files are left behind"


def test_different_seed_differs(gen: ModuleType, small: tuple[Path, Any], tmp_path: Path) -> None:
    gen.generate(tmp_path, scale=SMALL, seed=43)
    for name in ("opportunity", "opportunity_history", "lead", "account"):
        assert (tmp_path / f"{name}.csv").read_bytes() != (small[0] / f"{name}.csv").read_bytes()


def test_output_does_not_depend_on_jobs(
    gen: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gen.blocks, "ACCOUNTS_PER_BLOCK", 12)  # 30 accounts -> 3 blocks
    gen.generate(tmp_path / "one", scale=SMALL, seed=5, jobs=1)
    gen.generate(tmp_path / "two", scale=SMALL, seed=5, jobs=2)
    for name in CONTRACT:
        one = (tmp_path / "one" / f"{name}.csv").read_bytes()
        assert one == (tmp_path / "two" / f"{name}.csv").read_bytes(), name
    ids = [r["Id"] for r in read_rows(tmp_path / "one" / "opportunity_history.csv")]
    assert len(set(ids)) == len(ids) - 1, "ids unique across blocks (but the planted duplicate)"


def test_every_file_has_the_contract_header(small: tuple[Path, Any]) -> None:
    out, _ = small
    for name, columns in CONTRACT.items():
        raw = (out / f"{name}.csv").read_bytes()
        raw.decode("utf-8")
        header = next(csv.reader(raw.decode("utf-8").splitlines()))
        assert header == columns, name
        assert raw.count(b"\r\n") >= 2, f"{name}: header and rows, CRLF line ends"


def test_ids_look_like_salesforce_ids(small: tuple[Path, Any]) -> None:
    out, _ = small
    prefixes = {
        "opportunity": "006",
        "opportunity_history": "008",
        "lead": "00Q",
        "opportunity_contact_role": "00K",
        "account": "001",
        "user": "005",
    }
    for name, prefix in prefixes.items():
        for row in read_rows(out / f"{name}.csv"):
            assert len(row["Id"]) == 18 and row["Id"].startswith(prefix), row["Id"]
    for row in read_rows(out / "opportunity_contact_role.csv"):
        assert row["ContactId"].startswith("003") and len(row["ContactId"]) == 18


def test_history_is_ordered_in_time_per_opportunity(small: tuple[Path, Any]) -> None:
    out, _ = small
    by_opp: dict[str, list[datetime]] = defaultdict(list)
    for row in read_rows(out / "opportunity_history.csv"):
        by_opp[row["OpportunityId"]].append(parse_ts(row["CreatedDate"]))
    assert len(by_opp) > 50
    ties = 0
    for times in by_opp.values():
        assert times == sorted(times)
        ties += len(times) - len(set(times))
    rows = sum(len(t) for t in by_opp.values())
    assert ties <= 0.02 * rows, "only a few exact-same-timestamp rows"


def test_timestamps_within_the_demo_window(small: tuple[Path, Any]) -> None:
    out, _ = small
    columns = {
        "opportunity": ("CreatedDate", "LastModifiedDate"),
        "opportunity_history": ("CreatedDate",),
        "lead": ("CreatedDate", "MQL_Date__c", "SAL_Date__c"),
        "opportunity_contact_role": ("CreatedDate",),
    }
    forms: dict[str, int] = defaultdict(int)
    for name, cols in columns.items():
        for row in read_rows(out / f"{name}.csv"):
            for col in cols:
                if not row[col] or row[col] == "not-a-date":
                    continue
                ts = parse_ts(row[col])
                assert FIRST_DAY <= ts <= AS_OF_END, (name, col, row[col])
                forms["Z" if row[col].endswith("Z") else row[col][-5:]] += 1
    total = sum(forms.values())
    assert forms["Z"] > 0.85 * total
    assert forms["+0000"] > 0.01 * total, "a few percent in the +0000 form"
    assert total - forms["Z"] - forms["+0000"] > 0.005 * total, "a few in the space form"


def test_all_families_and_currencies_are_present(small: tuple[Path, Any]) -> None:
    out, _ = small
    opps = read_rows(out / "opportunity.csv")
    families = {family(o["Type"]) for o in opps}
    assert {"acquisition", "retention", "upsell", "cross_sell"} <= families
    assert {o["CurrencyIsoCode"] for o in opps} == {"USD", "EUR", "GBP"}
    rates = read_rows(out / "dated_conversion_rate.csv")
    assert {r["IsoCode"] for r in rates} == {"USD", "EUR", "GBP"}
    for code in ("USD", "EUR", "GBP"):
        periods = sorted((r for r in rates if r["IsoCode"] == code), key=lambda r: r["StartDate"])
        assert periods[0]["StartDate"] == "2023-10-01"
        assert periods[-1]["NextStartDate"] == ""
        assert all(a["NextStartDate"] == b["StartDate"] for a, b in pairwise(periods))
    assert all(r["ConversionRate"] == "1.000000" for r in rates if r["IsoCode"] == "USD")


def test_current_opportunity_is_consistent(small: tuple[Path, Any]) -> None:
    out, result = small
    duplicated = result.planted["duplicate_opportunity_id"]
    last_history: dict[str, dict[str, str]] = {}
    for row in read_rows(out / "opportunity_history.csv"):
        last_history[row["OpportunityId"]] = row
    same = total = 0
    for opp in read_rows(out / "opportunity.csv"):
        stage = opp["StageName"]
        assert opp["IsClosed"] == ("true" if stage in ("Closed Won", "Closed Lost") else "false")
        assert opp["IsWon"] == ("true" if stage == "Closed Won" else "false")
        last = last_history.get(opp["Id"])
        if last is None or opp["Id"] == duplicated:
            continue
        total += 1
        assert parse_ts(opp["LastModifiedDate"]) >= parse_ts(last["CreatedDate"])
        assert opp["IsDeleted"] == last["IsDeleted"]
        same += (opp["StageName"], opp["Amount"], opp["CloseDate"]) == (
            last["StageName"],
            last["Amount"],
            last["CloseDate"],
        )
    assert same >= 0.95 * total, "the current record is (nearly always) the last history row"


def test_follow_up_deals_come_after_the_first_win(small: tuple[Path, Any]) -> None:
    out, _ = small
    opps = read_rows(out / "opportunity.csv")
    won_at: dict[str, datetime] = {}
    closes = {
        r["OpportunityId"]: parse_ts(r["CreatedDate"])
        for r in read_rows(out / "opportunity_history.csv")
        if r["StageName"] == "Closed Won"
    }
    for o in opps:
        if family(o["Type"]) == "acquisition" and o["Id"] in closes:
            won_at[o["AccountId"]] = min(closes[o["Id"]], won_at.get(o["AccountId"], AS_OF_END))
    for o in opps:
        if family(o["Type"]) in ("retention", "upsell", "cross_sell") and o["AccountId"] in won_at:
            assert parse_ts(o["CreatedDate"]) > won_at[o["AccountId"]]


def test_converted_leads_point_to_same_day_acquisitions(small: tuple[Path, Any]) -> None:
    out, _ = small
    opps = {o["Id"]: o for o in read_rows(out / "opportunity.csv")}
    converted = [r for r in read_rows(out / "lead.csv") if r["IsConverted"] == "true"]
    assert converted
    for lead in converted:
        opp = opps[lead["ConvertedOpportunityId"]]
        assert family(opp["Type"]) in ("acquisition", "unknown")
        assert parse_ts(opp["CreatedDate"]).date().isoformat() == lead["ConvertedDate"]
        assert opp["LeadSource"] == lead["LeadSource"]
        assert opp["AccountId"] == lead["ConvertedAccountId"]
        assert lead["Status"] == "Closed - Converted"


def test_at_most_one_primary_contact_role(small: tuple[Path, Any]) -> None:
    out, _ = small
    primaries: dict[str, int] = defaultdict(int)
    for row in read_rows(out / "opportunity_contact_role.csv"):
        primaries[row["OpportunityId"]] += row["IsPrimary"] == "true"
    assert primaries and max(primaries.values()) <= 1


def test_planted_bad_rows(small: tuple[Path, Any]) -> None:
    out, result = small
    planted = result.planted
    assert all(planted.values()) and "-" not in planted.values()
    history = read_rows(out / "opportunity_history.csv")
    opps = read_rows(out / "opportunity.csv")
    opp_ids = {o["Id"] for o in opps}
    orphans = [h["Id"] for h in history if h["OpportunityId"] not in opp_ids]
    assert orphans == [planted["orphan_history_id"]]
    dup = [h for h in history if h["Id"] == planted["duplicate_history_id"]]
    assert len(dup) == 2 and dup[0] == dup[1]
    bad = [h for h in history if h["Id"] == planted["bad_amount_history_id"]]
    assert [h["Amount"] for h in bad] == ["12,5O0"]
    stale = [o for o in opps if o["Id"] == planted["duplicate_opportunity_id"]]
    assert len(stale) == 2
    assert parse_ts(stale[1]["LastModifiedDate"]) < parse_ts(stale[0]["LastModifiedDate"])
    leads = [r for r in read_rows(out / "lead.csv") if r["CreatedDate"] == "not-a-date"]
    assert [r["Id"] for r in leads] == [planted["bad_date_lead_id"]]


def test_scale_scales_row_counts(gen: ModuleType, small: tuple[Path, Any], tmp_path: Path) -> None:
    _, base = small
    double = gen.generate(tmp_path, scale=2 * SMALL, seed=42)
    for name in ("account", "opportunity", "opportunity_history", "lead"):
        ratio = double.counts[name] / base.counts[name]
        assert 1.5 < ratio < 2.6, (name, ratio)
    assert double.counts["user"] == base.counts["user"]


def test_parquet_output_is_readable(
    gen: ModuleType, small: tuple[Path, Any], tmp_path: Path
) -> None:
    out, csv_result = small
    result = gen.generate(tmp_path, scale=SMALL, seed=42, fmt="parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.parquet" for n in CONTRACT)
    con = duckdb.connect()
    for name, columns in CONTRACT.items():
        path = (tmp_path / f"{name}.parquet").as_posix()
        rel = con.sql(f"select * from read_parquet('{path}')")
        assert rel.columns == columns, name
        count = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()
        assert count == (result.counts[name],)
        assert result.counts[name] == csv_result.counts[name]
    first_csv = read_rows(out / "opportunity.csv")[0]
    first_parquet = con.execute(
        f"select * from read_parquet('{(tmp_path / 'opportunity.parquet').as_posix()}') limit 1"
    ).fetchone()
    assert first_parquet is not None
    assert [v or "" for v in first_parquet] == [first_csv[c] for c in CONTRACT["opportunity"]]


def test_cli_prints_a_one_line_summary(
    gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen.main(["--out", str(tmp_path), "--scale", str(SMALL), "--seed", "3"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert "opportunity_history=" in lines[0] and "lead=" in lines[0]


def test_fast_row_writer_matches_csv_module(gen: ModuleType, tmp_path: Path) -> None:
    rows = [
        ("a", "b", ""),
        ("Holloway, Pierce & Co.", "x", "12,5O0"),
        ('The "Blue Door" Group', "", "y"),
        ("multi\nline", "cr\rhere", "Zürich"),
        ("", "", ""),
    ]
    with open(tmp_path / "fast.csv", "w", encoding="utf-8", newline="") as handle:
        write = gen.row_writer(handle)
        for row in rows:
            write(row)
    with open(tmp_path / "ref.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()


def test_readme_command_works_with_a_python_without_the_dependencies(tmp_path: Path) -> None:
    """`python3 scripts/generate_demo_data.py ...` as the README writes it: run by the base
    interpreter (no duckdb there), the script re-executes itself in the project venv."""
    base_python = getattr(sys, "_base_executable", sys.executable)
    probe = subprocess.run(
        [base_python, "-I", "-c", "import sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()).resolve() != (SCRIPT.parents[1] / ".venv").resolve()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    completed = subprocess.run(
        [base_python, str(SCRIPT), "--out", str(tmp_path), "--scale", str(SMALL), "--seed", "3"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, (probe.stdout, completed.stdout, completed.stderr)
    # (the first run on a machine also prints the bootstrap's "installing ..." lines first)
    assert completed.stdout.splitlines()[-1].startswith(f"wrote csv to {tmp_path}:")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.csv" for n in CONTRACT)
