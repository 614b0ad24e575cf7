#!/usr/bin/env bash
# make previews: the first page of each output of the demo (fujian), as a reader gets it on paper, into
# docs/images/: LibreOffice prints the Word and Excel files, Chromium the HTML, pdftoppm makes the PNGs.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT="$(pwd)"
YY="$PROJECT/.venv/bin/yytrack"
DEMO="$PROJECT/.demo/跟踪仓库"
[ -d "$DEMO" ] || bash scripts/demo.sh >/dev/null
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/src" "$WORK/pdf" docs/images

cd "$DEMO"
"$YY" report --plan fujian --format docx -o "$WORK/src/通报.docx" >/dev/null
"$YY" report --plan fujian --format xlsx -o "$WORK/src/台账.xlsx" >/dev/null
"$YY" report --plan fujian --template "$PROJECT/templates/督导通报.html.j2" -o "$WORK/src/网页.html" >/dev/null
"$YY" forms --plan fujian --unit 省卫健委 -o "$WORK/forms" >/dev/null
cp "$WORK"/forms/*.xlsx "$WORK/src/报送表.xlsx"
"$YY" remind --plan fujian --unit 省民政厅 --notice -o "$WORK/notice" >/dev/null
cp "$WORK"/notice/*.docx "$WORK/src/催办通知.docx"

soffice "-env:UserInstallation=file://$WORK/lo-profile" --headless --convert-to pdf --outdir "$WORK/pdf" \
    "$WORK/src/通报.docx" "$WORK/src/台账.xlsx" "$WORK/src/报送表.xlsx" "$WORK/src/催办通知.docx" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync "--user-data-dir=$WORK/chromium" --no-pdf-header-footer \
    "--print-to-pdf=$WORK/pdf/网页.pdf" "file://$WORK/src/网页.html" >/dev/null 2>&1

cd "$PROJECT"
for pair in 通报:report-docx 台账:ledger-xlsx 报送表:form-xlsx 催办通知:notice-docx 网页:report-html; do
    name="${pair%%:*}" out="${pair##*:}"
    pdftoppm -f 1 -l 1 -r 60 -png -singlefile "$WORK/pdf/$name.pdf" "docs/images/$out"
    echo "docs/images/$out.png"
done
