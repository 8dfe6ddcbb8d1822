#!/usr/bin/env bash
# Rebuild employers/c02-sakura-bussan.xls and employers/c03-sakura-roso.ods: the generator writes their
# .xlsx sources, LibreOffice Calc converts them. Run from the repository root. Needs `soffice`
# (Debian: apt-get install -y libreoffice-calc).
set -euo pipefail
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cargo run --release --features devtools --bin shikaku-gen -- sample --out sample-data --xls-ods-sources "$src"
# A private LibreOffice profile, so a running desktop instance does not swallow the conversion.
profile="-env:UserInstallation=file://$src/profile"
soffice "$profile" --headless --calc --convert-to 'xls:MS Excel 97' --outdir "$src/out" "$src/c02-sakura-bussan.xlsx"
soffice "$profile" --headless --calc --convert-to ods --outdir "$src/out" "$src/c03-sakura-roso.xlsx"
cp "$src/out/c02-sakura-bussan.xls" sample-data/employers/
cp "$src/out/c03-sakura-roso.ods" sample-data/employers/
echo "wrote sample-data/employers/c02-sakura-bussan.xls and c03-sakura-roso.ods"
