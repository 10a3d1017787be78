#!/usr/bin/env bash
# mitra1 opens Keuangan, changes period, exports a CSV from the pane whose totals match the
# screen; the superadmin's per-mitra rows add up; export invoices on the command line agrees.
source "$(dirname "$0")/lib.sh"
e2e_setup
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
THIS=$(TZ=Asia/Jakarta date +%Y-%m)
NEXT=$(TZ=Asia/Jakarta date -d "$(TZ=Asia/Jakarta date +%Y-%m-15) +1 month" +%Y-%m)
export FIBERNODE_PASSWORD='Admin123!'
for p in "$THIS" "$NEXT"; do "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin invoices generate --period "$p" >/dev/null || fail "generate $p"; done
# mitra1 pays Ahmad's invoice of next month (100.000) by transfer
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 invoices pay "INV-${NEXT/-/}-000001" --method transfer >/dev/null || fail "pay"
unset FIBERNODE_PASSWORD

tui_start a --db "$FIBERNODE_DB"
wait_for a "Nama pengguna"
tui_type a mitra1; tui_keys a Enter; tui_type a 'Mitra123!'; tui_keys a Enter
wait_for a "mitra1 ("
tui_keys a 4
wait_for a "m:Bulan"
# this month's period: nothing paid yet
wait_for a "2 tagihan · ditagih Rp 240.000 · terbayar Rp 0 (0,0%) · sisa Rp 240.000"
tui_keys a ']'
wait_for a "2 tagihan · ditagih Rp 240.000 · terbayar Rp 100.000 (41,7%) · sisa Rp 140.000"
assert_not_contains "$(screen a)" "Rudi Hartono"
assert_not_contains "$(screen a)" "w:Mitra"
# export the period's invoices from the pane (the dialog proposes its due month); a mitra
# types a file name and it lands in its own export folder next to the database (issue 12)
OUT="$E2E_TMP/exports/mitra1/rekap.csv"
tui_keys a E
wait_for a "Ekspor rekap tagihan"
tui_keys a Enter; tui_keys a Enter; tui_keys a Enter
tui_keys a C-u; tui_type a "rekap.csv"; tui_keys a Enter
wait_for a "2 tagihan diekspor ke $OUT"
[ -f "$OUT" ] || fail "no export file"
python3 - "$OUT" <<'PY' || fail "CSV totals differ from the screen"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
data = [r for r in rows[1:] if r and r[0].startswith('INV-')]
assert len(data) == 2, data
assert all(r[3] == 'WiFi Sukamaju' for r in data), data
tot = {r[0]: r for r in rows if r and r[0] in ('TOTAL', 'TERBAYAR', 'BELUM TERBAYAR')}
assert tot['TOTAL'][9] == '240000' and tot['TERBAYAR'][9] == '100000' and tot['BELUM TERBAYAR'][9] == '140000', tot
assert sum(int(r[9]) for r in data) == 240000 and sum(int(r[11]) for r in data) == 100000
PY

# The superadmin: per-mitra rows for next month add up to the whole.
tui_start b --db "$FIBERNODE_DB"
wait_for b "Nama pengguna"
tui_type b superadmin; tui_keys b Enter; tui_type b 'Admin123!'; tui_keys b Enter
wait_for b "superadmin ("
tui_keys b 4
wait_for b "w:Mitra"
tui_keys b ']'
wait_for b "sisa Rp 390.000"
tui_keys b w
wait_for b "Pemilik "
S=$(screen b)
assert_contains "$(echo "$S" | grep 'WiFi Sukamaju')" "240.000"
assert_contains "$(echo "$S" | grep 'FiberNode Pusat' | tail -1)" "250.000"
assert_contains "$(echo "$S" | grep 'Total')" "490.000"

# The command line agrees with both, and a mitra cannot name another owner.
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin --json export invoices \
  --from "$THIS-01" --to "$(TZ=Asia/Jakarta date -d "$THIS-01 +1 month -1 day" +%F)" -o "$E2E_TMP/all.xlsx" --format xlsx > "$E2E_TMP/out.json" \
  || fail "export xlsx"
assert_contains "$(cat "$E2E_TMP/out.json")" '"total":490000'
assert_contains "$(cat "$E2E_TMP/out.json")" '"paid":100000'
set +e
FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 export invoices --from 2020-01-01 --to 2030-01-01 \
  --owner "FiberNode Pusat" -o "$E2E_TMP/x.csv" 2>"$E2E_TMP/err"
rc=$?
set -e
assert_eq "$rc" "3"
[ -f "$E2E_TMP/x.csv" ] && fail "refused export wrote a file"
set +e
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin export invoices --from 2026-13-01 --to 2030-01-01 -o "$E2E_TMP/y.csv" 2>"$E2E_TMP/err"
rc=$?
set -e
assert_eq "$rc" "2"
assert_contains "$(cat "$E2E_TMP/err")" "--from"
echo "ok finance"
