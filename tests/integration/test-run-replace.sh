#!/bin/bash
# test-run-replace.sh: `run` over the record of a stopped container of the
# same id (its urun was killed before it cleaned up, as when a service's
# stop times out): the old record and what it left are deleted, and the new
# container runs.  `create` keeps refusing an existing id, as runc's does;
# a live container is never replaced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

new_bundle b urun-test-helper pause || done_testing
b=$bundle

pid_of () { run_urun state "$1"; json_get "$out" 'r["pid"]'; }

# ---- a foreground run whose urun was killed ------------------------------------------
# The payload outlives its killed urun; once it is gone too, the record
# says stopped and nobody deleted it.
"$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$b" r1 >/dev/null 2>&1 &
urun_pid=$!
ok "the first run is running" wait_status r1 running
old=$(pid_of r1)
kill -KILL "$urun_pid"
wait "$urun_pid" 2>/dev/null
kill -KILL "$old"
ok "its record says stopped once its urun and payload were killed" wait_status r1 stopped
run_urun create --bundle "$b" r1
is "$status" 1 "create over the stopped record still fails"
like "$err" 'container `r1` already exists' "... with \"already exists\", as runc"
run_urun run -d --bundle "$b" r1
is "$status" 0 "run over the stopped record works"
[ "$status" -eq 0 ] || diag "$err"
like "$err" "container \`r1\` had stopped without being deleted \\(pid $old\\): deleted it to run the new one" \
  "... with a warning naming the old pid"
new=$(pid_of r1)
ok "the new container runs" wait_status r1 running
isnt_old=$([ -n "$new" ] && [ "$new" != "$old" ] && echo yes)
is "$isnt_old" yes "with a new init ($new, not $old)"

# ---- a live container is never replaced -------------------------------------------------
run_urun run -d --bundle "$b" r1
is "$status" 1 "run over a running container fails"
like "$err" 'container `r1` already exists' "... with \"already exists\""
is "$(pid_of r1)" "$new" "the running container is untouched"
ok "and still runs" wait_status r1 running 1
run_urun delete --force r1
no_leftovers "nothing left of r1" "$b" r1

# ---- a created container is not replaced either -------------------------------------------
run_urun create --bundle "$b" r2
is "$status" 0 "create r2"
run_urun run -d --bundle "$b" r2
is "$status" 1 "run over a created container fails"
like "$err" 'container `r2` already exists' "... with \"already exists\""
ok "r2 is still created" wait_status r2 created 1
run_urun delete --force r2
no_leftovers "nothing left of r2" "$b" r2

done_testing
