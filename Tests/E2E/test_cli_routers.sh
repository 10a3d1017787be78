#!/usr/bin/env bash
# routers add/list/test/link/reconcile/remove and customers set-service against the fake
# RouterOS; isolate reaches the router and is read back; an unreachable router leaves the
# change queued (exit 0, said so) and `worker --once` applies it when the router is back.
source "$(dirname "$0")/lib.sh"
e2e_setup
source "$(dirname "$0")/router_lib.sh"
"$FN_BIN" --db "$FIBERNODE_DB" demo >/dev/null || fail "demo failed"
fake_router_start --secret ahmadfauzi:10M --secret rudi:50M
admin() { FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin "$@"; }

# The password never on the command line nor printed.
out=$(FIBERNODE_ROUTER_PASSWORD=rahasia admin routers add core --url "http://127.0.0.1:$ROUTER_PORT" --username fibernode 2>&1) || fail "routers add: $out"
assert_contains "$out" "Router core ditambahkan"
assert_contains "$out" "tanpa enkripsi"
out=$(admin routers list) || fail "routers list"
assert_contains "$out" "core"
assert_not_contains "$out" "rahasia"
assert_not_contains "$(sqlite3 "$FIBERNODE_DB" "SELECT metadata FROM activity_logs WHERE action = 'router.create'")" "rahasia"
out=$(admin routers test core 2>/dev/null) || fail "routers test"
assert_contains "$out" "RouterOS 7.16.2"
# A bad URL: exit 2, nothing written.
FIBERNODE_ROUTER_PASSWORD=x admin routers add bad --url "ftp://x" --username u 2>/dev/null; assert_eq "$?" "2"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM routers")" "1"
# A mitra may not manage routers.
FIBERNODE_ROUTER_PASSWORD=x FIBERNODE_PASSWORD='Mitra123!' "$FN_BIN" --db "$FIBERNODE_DB" --user mitra1 routers add m --url http://127.0.0.1:1 --username u 2>/dev/null
assert_eq "$?" "3"

# link: a dry run proposes, --apply saves.
out=$(admin routers link core) || fail "routers link"
assert_contains "$out" "ahmadfauzi → PLG-000001"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM customer_services")" "0"
admin routers link core --apply >/dev/null || fail "routers link --apply"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT target FROM customer_services")" "ahmadfauzi"
admin customers set-service PLG-000003 --router core --pppoe rudi >/dev/null || fail "set-service"
admin customers set-service PLG-000002 --router core 2>/dev/null; assert_eq "$?" "2"

# isolate reaches the router: profile isolir, session dropped; unisolate restores 50M.
out=$(admin customers isolate PLG-000003 2>&1) || fail "isolate"
assert_contains "$out" "diterapkan dan sudah dicek ulang"
router_state_has "secret rudi isolir"
router_state_lacks "active rudi"
out=$(admin --json customers unisolate PLG-000003 2>/dev/null) || fail "unisolate"
assert_contains "$out" '"router":"done"'
router_state_has "secret rudi 50M"

# reconcile: a hand edit on the router is found, then fixed.
admin customers isolate PLG-000001 >/dev/null 2>&1 || fail "isolate 1"
router_state_has "secret ahmadfauzi isolir"
sqlite3 "$FIBERNODE_DB" "UPDATE customers SET status = 'active' WHERE code = 'PLG-000001'"
out=$(admin --json routers reconcile core) || fail "reconcile"
assert_contains "$out" '"kind":"shouldBeActive"'
assert_contains "$out" '"applied":0'
out=$(admin routers reconcile core --apply) || fail "reconcile --apply"
assert_contains "$out" "1 perbedaan diperbaiki"
router_state_has "secret ahmadfauzi 10M"

# The router goes away: isolation is queued (exit 0, said so), the worker applies it later.
fake_router_stop
out=$(admin customers isolate PLG-000003 2>&1) || fail "isolate while the router is away must exit 0"
assert_contains "$out" "diantrekan"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status FROM customers WHERE code = 'PLG-000003'")" "isolated"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT status FROM router_actions WHERE action = 'isolate' ORDER BY created_at DESC LIMIT 1")" "pending"
fake_router_start --port "$ROUTER_PORT" --secret ahmadfauzi:10M --secret rudi:50M
sqlite3 "$FIBERNODE_DB" "UPDATE router_actions SET next_attempt_at = '2000-01-01 00:00:00.000' WHERE status = 'pending'"   # past the backoff
"$FN_BIN" --db "$FIBERNODE_DB" worker --once --no-daily >/dev/null || fail "worker --once"
router_state_has "secret rudi isolir"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM router_actions WHERE status = 'pending'")" "0"

out=$(admin routers remove core) || fail "remove"
assert_eq "$(sqlite3 "$FIBERNODE_DB" "SELECT count(*) FROM customer_services")" "0"
e2e_done
