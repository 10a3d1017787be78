#!/usr/bin/env bash
# A WAHA URL that answers 404 for everything is a wrong address, not a STOPPED session
# (issue 13 item 9): `wa status` says so in words; the right URL answers with the state.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/wa_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
fake_waha_start --working default
use_fake_waha
admin_set wa.waha.url "$FAKE_URL/salah"
FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin wa status >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ "$?" != 0 ] || fail "a wrong address reads as success"
assert_contains "$(cat "$E2E_TMP/err")" "Alamat gateway salah"
assert_not_contains "$(cat "$E2E_TMP/out" "$E2E_TMP/err")" "STOPPED"
admin_set wa.waha.url "$FAKE_URL"
out=$(FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin wa status) || fail "wa status on the right address"
assert_not_contains "$out" "WORKING"
out=$(FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin --json wa status) || fail "json"
assert_contains "$out" '"status":"WORKING"'
e2e_done
