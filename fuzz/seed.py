#!/usr/bin/env python3
"""Write the seed corpus of one fuzz target into fuzz/corpus/TARGET/ (gitignored).

The seeds are the repository's own inputs: sample-data/ and tests/fixtures/, each prefixed with
the mode byte the target reads first (README "Fuzzing"). Run by `just fuzz`; safe to re-run
(files are named by content, so libFuzzer's own finds in the directory are kept).
"""

import glob
import hashlib
import io
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def files(*patterns):
    for p in patterns:
        yield from sorted(glob.glob(os.path.join(ROOT, p), recursive=True))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def csv_seeds():
    for path in files("sample-data/*.csv", "sample-data/employers/*.csv", "tests/fixtures/ingest/*.csv", "tests/fixtures/hostile/*.csv"):
        data = read(path)[:64 << 10]
        for mode in (0, 1, 2, 3):
            yield bytes([mode]) + data


def workbook_seeds():
    modes = {".xlsx": 0, ".xls": 1, ".xlsb": 2, ".ods": 3}
    for path in files("sample-data/employers/*", "tests/fixtures/ingest/*", "tests/fixtures/hostile/*"):
        ext = os.path.splitext(path)[1].lower()
        if ext not in modes:
            continue
        data = read(path)
        if len(data) > 256 << 10:
            continue
        yield bytes([modes[ext]]) + data
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
            names = z.namelist()
            if ext == ".xlsx" and "xl/worksheets/sheet1.xml" in names:
                sst = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
                seed = bytes([4]) + z.read("xl/worksheets/sheet1.xml") + b"\xff" + sst
                if len(seed) <= 256 << 10:
                    yield seed
            if ext == ".ods" and "content.xml" in names:
                seed = bytes([5]) + z.read("content.xml")
                if len(seed) <= 256 << 10:
                    yield seed
        except Exception:
            # Not a zip, or a damaged one (the hostile corpus has both): the raw seed is enough.
            continue


def date_seeds():
    forms = ["1954-08-01", "1954/8/1", "19540801", "1954年8月1日", "昭和29年8月1日", "昭和元年12月25日",
             "令和元年5月1日", "S29.8.1", "S29.08.01", "S29/8/1", "S29-8-1", "H01.01.08", "S290801", "R元.5.1",
             "3290801", "5290801", "昭和２９年８月１日", "H31.5.1", "R1.4.30", "R5.2.29", "29.8.1", "明治45年7月30日",
             "1954-08-01 00:00:00", "1954-08-01T00:00:00", "平成32年1月1日"]
    for f in forms:
        yield f.encode()
    import struct
    for serial in (0.0, 1.0, 59.0, 60.0, 61.0, 19937.0, 2958465.0, -1.0, 1e300, float("nan")):
        yield struct.pack("<d", serial) + b"1954-08-01"


def value_seeds():
    seen = set()
    for path in files("sample-data/*.csv", "sample-data/employers/*.csv", "tests/fixtures/hostile/*.csv"):
        text = read(path).decode("utf-8", "replace") if not path.endswith(("national-list.csv", "national-registry.csv")) else read(path).decode("cp932", "replace")
        for line in text.splitlines()[:40]:
            for cell in line.split(","):
                if cell not in seen:
                    seen.add(cell)
                    yield cell.encode()
    for s in ["2718 5436 5090", "２７１８－５４３６－５０９０", "141,421,356,230", "1001-271854365090-00", "\x1b[2J", "〒100-0005", "280,000円"]:
        yield s.encode()


def config_seeds():
    for i, name in enumerate(["columns.toml", "companies.toml", "checks.toml"]):
        for path in files(f"rules/{name}", f"sample-data/rules/{name}", f"tests/fixtures/**/{name}"):
            yield bytes([i]) + read(path)


SEEDS = {
    "ingest_csv": csv_seeds,
    "ingest_workbook": workbook_seeds,
    "dates": date_seeds,
    "values": value_seeds,
    "config": config_seeds,
    "pipeline": lambda: iter([b"", bytes(range(256))]),
}

if __name__ == "__main__":
    target = sys.argv[1]
    out = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(out, exist_ok=True)
    n = 0
    for seed in SEEDS[target]():
        name = hashlib.sha1(seed).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed)
        n += 1
    print(f"{n} seeds in fuzz/corpus/{target}")
