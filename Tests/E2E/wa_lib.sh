#!/usr/bin/env bash
# Helpers for the WhatsApp end-to-end tests: the fake WAHA as a process
# (`fibernode-bench fake-waha`) and a quick way to point FiberNode at it.
BENCH_BIN=${BENCH_BIN:-$(dirname "$FN_BIN")/fibernode-bench}
[ -x "$BENCH_BIN" ] || fail "no fibernode-bench next to $FN_BIN (needed for the fake WAHA)"

# fake_waha_start [--working SESSION]...: starts it on a free port; sets FAKE_URL and FAKE_PID.
fake_waha_start() {
  "$BENCH_BIN" fake-waha --port-file "$E2E_TMP/fake.port" "$@" 2>"$E2E_TMP/fake.log" &
  FAKE_PID=$!
  wait_file "$E2E_TMP/fake.port"
  FAKE_URL="http://127.0.0.1:$(cat "$E2E_TMP/fake.port")"
  trap 'kill "$FAKE_PID" 2>/dev/null; e2e_cleanup' EXIT
}

# admin_set KEY VALUE: a setting as the demo superadmin.
admin_set() {
  FIBERNODE_PASSWORD='Admin123!' "$FN_BIN" --db "$FIBERNODE_DB" --user superadmin settings set "$1" "$2" >/dev/null || fail "settings set $1"
}

# use_fake_waha: the installation's gateway is the fake, delays 0, quiet hours off, caps high.
use_fake_waha() {
  admin_set wa.gateway waha
  admin_set wa.waha.url "$FAKE_URL"
  for kv in wa.min_delay_s=0 wa.max_delay_s=0 wa.jitter_s=0 wa.batch_cooldown_s=0 wa.quiet_start=00:00 wa.quiet_end=00:00 \
            wa.max_per_hour=100000 wa.max_per_day=1000000; do
    admin_set "${kv%%=*}" "${kv#*=}"
  done
}

# fake_sent: what the fake WAHA received, as JSON.
fake_sent() { curl -fsS "$FAKE_URL/__fake/sent" | sed 's#\\/#/#g'; }
