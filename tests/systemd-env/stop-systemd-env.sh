#!/bin/bash
# stop-systemd-env.sh - stop the environment started by start-systemd-env.sh
# (same SDENV_NAME / SDENV_STATE_DIR) and remove what it left on the host:
# its cgroups "sdenv-$SDENV_NAME" and its state files.  Only the processes it
# started are signalled, by pid (the nspawn process; as a last resort the
# processes still inside its own cgroup subtree).  Idempotent.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SDENV_NAME=${SDENV_NAME:-urun-sdenv}
SDENV_STATE_DIR=${SDENV_STATE_DIR:-/run/urun-systemd-env/$SDENV_NAME}
ENVFILE=$SDENV_STATE_DIR/env
CGNAME=sdenv-$SDENV_NAME
STOP_TIMEOUT=${SDENV_STOP_TIMEOUT:-30}

log() { printf '[sdenv-stop %s] %s\n' "$(date +%T.%N | cut -c1-12)" "$*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }
[ -d "$SDENV_STATE_DIR" ] || { log "nothing to stop ($SDENV_STATE_DIR does not exist)"; exit 0; }
if [ -z "${SDENV_NO_LOCK:-}" ]; then
    exec 9>"$SDENV_STATE_DIR/.lock"
    flock -w 120 9 || { log "could not take $SDENV_STATE_DIR/.lock"; exit 1; }
fi
T0=$(date +%s.%N)

is_our_nspawn() {
    [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] &&
        tr '\0' ' ' < "/proc/$1/cmdline" | grep -q "systemd-nspawn .*--machine=$SDENV_NAME "
}

PID=
[ -r "$SDENV_STATE_DIR/nspawn.pid" ] && PID=$(cat "$SDENV_STATE_DIR/nspawn.pid")
if is_our_nspawn "$PID"; then
    # SIGTERM to systemd-nspawn = orderly shutdown of the container (its
    # systemd gets SIGRTMIN+3 and powers off)
    log "stopping systemd-nspawn pid $PID"
    kill -TERM "$PID"
    for _ in $(seq $((STOP_TIMEOUT * 10))); do
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then
        log "still alive after ${STOP_TIMEOUT}s, sending SIGKILL to $PID"
        kill -KILL "$PID" 2>/dev/null
        sleep 0.5
    fi
else
    [ -n "$PID" ] && log "pid $PID is not our systemd-nspawn (already gone)"
    # nspawn died but the container's systemd may still run (orphaned): ask it
    # to power off (SIGRTMIN+4), if it is really ours (inside our cgroup)
    LEADER=$(sed -n 's/^SDENV_LEADER_PID=//p' "$ENVFILE" 2>/dev/null)
    if [ -n "$LEADER" ] && [ "$(cat "/proc/$LEADER/comm" 2>/dev/null)" = systemd ] &&
       grep -q "/$CGNAME/" "/proc/$LEADER/cgroup" 2>/dev/null; then
        log "orphaned container systemd pid $LEADER: sending SIGRTMIN+4 (poweroff)"
        kill -s RTMIN+4 "$LEADER"
        for _ in $(seq $((STOP_TIMEOUT * 10))); do
            [ -d "/proc/$LEADER" ] || break
            sleep 0.1
        done
    fi
fi

# cgroups we created: kill leftovers (only processes inside OUR subtree), then rmdir
CGDIRS=()
case "$(stat -f -c %T /sys/fs/cgroup)" in
    cgroup2fs) CGDIRS+=("/sys/fs/cgroup/$CGNAME") ;;
    tmpfs) CGDIRS+=("/sys/fs/cgroup/unified/$CGNAME" "/sys/fs/cgroup/systemd/$CGNAME") ;;
esac
for cg in "${CGDIRS[@]}"; do
    [ -d "$cg" ] || continue
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        procs=$(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
        [ -z "$procs" ] && break
        log "left-over processes in $cg: $(tr "\n" " " <<< "$procs")"
        if [ -e "$cg/cgroup.kill" ]; then
            echo 1 > "$cg/cgroup.kill" 2>/dev/null
        else
            # shellcheck disable=SC2086
            kill -KILL $procs 2>/dev/null
        fi
        sleep 0.3
    done
    find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
    [ -d "$cg" ] && log "WARNING: could not remove $cg"
done

rm -f "$ENVFILE" "$SDENV_STATE_DIR/nspawn.pid"
log "stopped in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"
exit 0
