#!/usr/bin/env python3
"""Check the benchmark's openpyxl-style workbooks against openpyxl itself.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl
    /tmp/venv/bin/python src/bin/shikaku-bench/verify-workbooks.py bench-data/100k bench-data/100k-inline

For every employer workbook of SHARED (rust_xlsxwriter, shared strings) and its namesake in
INLINE (shikaku-bench's own writer): openpyxl opens both without a warning, reads the same
values from every cell (text as text, dates as the same datetimes), and the inline one is what
openpyxl writes: text cells are inline strings and date cells carry `yyyy-mm-dd h:mm:ss`.
"""

import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl


def values(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return wb.sheetnames, rows


def inline_facts(path):
    """Cell types and date formats, from openpyxl's own view of the cells."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    formats = {c.number_format for row in ws.iter_rows() for c in row if c.is_date}
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        shared = "xl/sharedStrings.xml" in z.namelist()
    return formats, shared, sheet.count('t="inlineStr"')


def main(shared_dir, inline_dir):
    books = sorted(Path(shared_dir, "employers").glob("*.xlsx"))
    if not books:
        sys.exit(f"no workbooks in {shared_dir}/employers")
    cells = 0
    for shared in books:
        inline = Path(inline_dir, "employers", shared.name)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            names_a, a = values(shared)
            names_b, b = values(inline)
            formats, has_shared, inline_cells = inline_facts(inline)
        problems = []
        if names_a != names_b:
            problems.append(f"sheet names {names_a} vs {names_b}")
        if a != b:
            bad = next(i for i, (x, y) in enumerate(zip(a + [None], b + [None])) if x != y)
            problems.append(f"row {bad + 1}: {a[bad] if bad < len(a) else None} vs {b[bad] if bad < len(b) else None}")
        if formats != {"yyyy-mm-dd h:mm:ss"}:
            problems.append(f"date formats {formats}")
        text_cells = sum(isinstance(v, str) for row in b for v in row)
        if has_shared or inline_cells != text_cells:
            problems.append(f"{inline_cells} inline strings for {text_cells} text cells, shared table {has_shared}")
        if problems:
            sys.exit(f"{inline.name}: " + "; ".join(problems))
        cells += sum(v is not None for row in a for v in row)
    print(f"{len(books)} workbook pairs, {cells} cells: the same values in openpyxl; "
          f"the inline ones are inline strings with yyyy-mm-dd h:mm:ss dates")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
