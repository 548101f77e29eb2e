#!/bin/bash
# start-systemd-env.sh - urun's copy of the test environment described in
# DESIGN.md §7: boot a REAL systemd system manager (PID 1 of an
# nspawn container) plus a real `systemd --user` manager for an unprivileged
# test user, on a host whose PID 1 is not systemd.
#
# How it works
#   * the host root filesystem is used read-only as the lower layer of an
#     overlayfs whose upper layer is a tmpfs; all of that lives in a private
#     mount namespace, so nothing is mounted on the host and every write made
#     inside the container is thrown away when it stops;
#   * systemd-nspawn boots that tree (--register=no --keep-unit, no machined,
#     no host systemd needed) in its own pid/mount/uts/ipc/cgroup/net
#     namespaces, with a pure cgroup v2 (unified) /sys/fs/cgroup by default;
#   * the launcher first moves ITSELF into a fresh cgroup "sdenv-$NAME" at the
#     root of the host's cgroup2 hierarchy (and of name=systemd v1 when the
#     host is hybrid), so the container's systemd owns only that subtree;
#   * before boot the overlay is seeded with: a minimal default target
#     (sdenv.target = basic + dbus + logind), the test user, /etc/subuid and
#     /etc/subgid ranges, and lingering for that user, so user@UID.service
#     (systemd --user + its dbus session bus) comes up at boot.
#
# Idempotent: if the environment is already up and healthy it only prints how
# to use it.  A stale/broken one is stopped and cleaned first.
#
# Settings (environment variables):
#   SDENV_NAME        machine name and cgroup suffix          (default: sdenv)
#   SDENV_STATE_DIR   state/log dir        (default: /run/urun-systemd-env/$SDENV_NAME;
#                     outside the tree, which may be read-only in CI)
#   SDENV_USER        unprivileged test user (default: urun-tester, made by
#                     tests/setup-debian.sh with its subuid/subgid ranges)
#   SDENV_UID         uid for SDENV_USER if it must be created (default: useradd picks)
#   SDENV_SUBID_COUNT size of the subuid/subgid range         (default: 65536)
#   SDENV_CGROUP      unified | hybrid | legacy  cgroup layout inside (default: unified)
#   SDENV_BIND        space separated host dirs bind-mounted read-write at the
#                     same path inside (default: none; e.g. SDENV_BIND=$PWD from
#                     the repository root).  Without it the host's files are still
#                     visible inside (read-only lower layer of the overlay; writes
#                     go to the tmpfs and are lost).  System/volatile dirs (/, /tmp,
#                     /run, /etc, /usr, /var/tmp, ...) are refused: the container's
#                     systemd-tmpfiles would e.g. empty a bound /tmp at boot.
#   SDENV_BIND_RO     same, read-only                         (default: none)
#   SDENV_BPF         1: let the container use bpf() (nspawn's seccomp filter
#                     blocks it by default), so systemd's DevicePolicy=/DeviceAllow=
#                     and a runtime's own cgroup-v2 device programs work as root
#                     (default: 1; 0 = plain nspawn defaults)
#   SDENV_NSPAWN_ARGS extra systemd-nspawn arguments (word-split)
#   SDENV_TIMEOUT     seconds to wait for boot                (default: 60)
#   SDENV_INSTALL     1: apt-get install missing packages     (default: 1)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SDENV_NAME=${SDENV_NAME:-urun-sdenv}
SDENV_STATE_DIR=${SDENV_STATE_DIR:-/run/urun-systemd-env/$SDENV_NAME}
SDENV_USER=${SDENV_USER:-urun-tester}
SDENV_UID=${SDENV_UID:-}
SDENV_SUBID_COUNT=${SDENV_SUBID_COUNT:-65536}
SDENV_CGROUP=${SDENV_CGROUP:-unified}
SDENV_BIND=${SDENV_BIND:-}
SDENV_BIND_RO=${SDENV_BIND_RO:-}
SDENV_NSPAWN_ARGS=${SDENV_NSPAWN_ARGS:-}
SDENV_BPF=${SDENV_BPF:-1}
SDENV_TIMEOUT=${SDENV_TIMEOUT:-60}
SDENV_INSTALL=${SDENV_INSTALL:-1}
export SDENV_NAME SDENV_STATE_DIR SDENV_USER SDENV_UID SDENV_SUBID_COUNT \
       SDENV_CGROUP SDENV_BIND SDENV_BIND_RO SDENV_NSPAWN_ARGS SDENV_BPF

# Everything is mounted in a private mount namespace, on a tmpfs at
# /run/systemd/nspawn (where nspawn keeps its locks anyway; /run is on disk on
# this host).  Not under the state dir: nspawn's --bind is recursive, so a
# bind dir containing the state dir would otherwise show the container's root
# inside itself.
TMP=/run/systemd/nspawn/sdenv-$SDENV_NAME   # upper/ work/ root/
ROOT=$TMP/root                              # overlay mount point

# A bind dir is shared READ-WRITE with a booting system: its systemd-tmpfiles
# empties /tmp ("D /tmp") etc. at boot.  (Binding the host's /tmp once wiped
# it.)  Refuse system directories and anything under the volatile/API ones.
bind_refused() {
    local p
    p=$(realpath -m -- "$1")
    case "$p" in
        /|/bin|/boot|/dev|/etc|/home|/lib|/lib32|/lib64|/libx32|/media|/mnt|/opt|/proc|/root|/run|/sbin|/srv|/sys|/tmp|/usr|/var|/work) return 0 ;;
        /tmp/*|/var/tmp|/var/tmp/*|/run/*|/var/run|/var/run/*|/dev/*|/proc/*|/sys/*|/etc/*|/usr/*|/boot/*|/var/lib|/var/lib/systemd|/var/lib/systemd/*|/var/log|/var/log/*|/var/cache|/var/spool) return 0 ;;
    esac
    return 1
}
for d in $SDENV_BIND $SDENV_BIND_RO; do
    if bind_refused "$d"; then
        echo "ERROR: refusing to bind '$d' into the booted system (system or volatile directory; pass a project directory instead)" >&2
        exit 2
    fi
done
_abs() { local d out=; for d in $1; do out+="${out:+ }$(realpath -m -- "$d")"; done; echo "$out"; }
SDENV_BIND=$(_abs "$SDENV_BIND"); SDENV_BIND_RO=$(_abs "$SDENV_BIND_RO")
ENVFILE=$SDENV_STATE_DIR/env
LOG=$SDENV_STATE_DIR/console.log

log() { printf '[sdenv %s] %s\n' "$(date +%T.%N | cut -c1-12)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------
# inner part: runs as the (future) nspawn process, in a private mount ns
# ---------------------------------------------------------------------------
seed_rootfs() {
    # /etc of the container: its own machine id + hostname
    systemd-id128 new > "$ROOT/etc/machine-id"
    echo "$SDENV_NAME" > "$ROOT/etc/hostname"

    # minimal default target: no multi-user.target.wants (postgres, podman,
    # getty, ...) of the host image get started
    cat > "$ROOT/etc/systemd/system/sdenv.target" <<'EOF'
[Unit]
Description=sdenv test environment (basic + dbus + logind)
Requires=basic.target dbus.service systemd-logind.service
Wants=systemd-user-sessions.service
After=basic.target dbus.service systemd-logind.service systemd-user-sessions.service
AllowIsolate=yes
EOF
    # (no default.target alias: default.target.wants/ of the host image would
    # then be pulled in, e.g. podman-restart.service; we boot systemd.unit=)
    local t
    for t in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer \
             fstrim.timer dpkg-db-backup.timer podman-auto-update.timer \
             systemd-timesyncd.service; do
        ln -sf /dev/null "$ROOT/etc/systemd/system/$t"
    done

    # the unprivileged test user (only inside the overlay; the host is untouched)
    if ! chroot "$ROOT" getent passwd "$SDENV_USER" >/dev/null; then
        chroot "$ROOT" useradd -m -s /bin/bash ${SDENV_UID:+-u "$SDENV_UID"} "$SDENV_USER"
    fi
    local f start
    for f in subuid subgid; do
        touch "$ROOT/etc/$f"
        if ! grep -q "^$SDENV_USER:" "$ROOT/etc/$f"; then
            # first free range at/after 100000 that overlaps no existing entry
            start=$(awk -F: 'BEGIN{m=100000} NF>=3 {e=$2+$3; if (e>m) m=e} END{print m}' "$ROOT/etc/$f")
            echo "$SDENV_USER:$start:$SDENV_SUBID_COUNT" >> "$ROOT/etc/$f"
        fi
    done
    # lingering => logind starts user@UID.service (systemd --user) at boot
    mkdir -p "$ROOT/var/lib/systemd/linger"
    : > "$ROOT/var/lib/systemd/linger/$SDENV_USER"
}

inner() {
    mkdir -p /run/systemd/nspawn    # the only thing created on the host's disk
    mount -t tmpfs -o mode=0755 "sdenv-$SDENV_NAME" /run/systemd/nspawn
    mkdir -p "$TMP/upper" "$TMP/work" "$ROOT"
    mount -t overlay "sdenv-$SDENV_NAME-root" \
        -o "lowerdir=/,upperdir=$TMP/upper,workdir=$TMP/work" "$ROOT"

    seed_rootfs

    local -a args=(-D "$ROOT" --boot --machine="$SDENV_NAME" --register=no --keep-unit
                   --private-network --console=read-only)
    local d
    for d in $SDENV_BIND; do
        [ "$d" = / ] && continue
        [ -d "$d" ] && args+=(--bind="$d")
    done
    for d in $SDENV_BIND_RO; do
        [ "$d" = / ] && continue
        [ -d "$d" ] && args+=(--bind-ro="$d")
    done
    if [ "$SDENV_BPF" = 1 ]; then
        args+=(--system-call-filter=bpf --capability=CAP_BPF --capability=CAP_PERFMON)
    fi
    # shellcheck disable=SC2206
    args+=($SDENV_NSPAWN_ARGS)

    case "$SDENV_CGROUP" in
        unified) export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 ;;
        legacy)  export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=0 ;;
        hybrid)  unset SYSTEMD_NSPAWN_UNIFIED_HIERARCHY ;;
        *) echo "bad SDENV_CGROUP=$SDENV_CGROUP" >&2; exit 2 ;;
    esac
    echo "$$" > "$SDENV_STATE_DIR/nspawn.pid"
    exec systemd-nspawn "${args[@]}" -- systemd.unit=sdenv.target
}

if [ "${1:-}" = __inner ]; then
    inner
    exit 1
fi

# ---------------------------------------------------------------------------
# outer part
# ---------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "must run as root"
T_START=$(date +%s.%N)
elapsed() { awk -v a="$T_START" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

mkdir -p "$SDENV_STATE_DIR"
exec 9>"$SDENV_STATE_DIR/.lock"
flock -w 120 9 || die "could not take $SDENV_STATE_DIR/.lock"

# --- packages ---------------------------------------------------------------
missing=()
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
command -v newuidmap >/dev/null || missing+=(uidmap)
[ -e /usr/lib/systemd/user/dbus.socket ] || missing+=(dbus-user-session)
command -v dbus-daemon >/dev/null || missing+=(dbus)
command -v busctl >/dev/null || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$SDENV_INSTALL" = 1 ] || die "missing packages: ${missing[*]}"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >&2
    log "packages installed ($(elapsed)s)"
fi

# --- already running? ------------------------------------------------------
nspawn_alive() {   # $1 = pid
    [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] &&
        tr '\0' ' ' < "/proc/$1/cmdline" | grep -q "systemd-nspawn .*--machine=$SDENV_NAME "
}
leader_of() { awk '{print $1}' "/proc/$1/task/$1/children" 2>/dev/null; }
in_c() { nsenter -t "$LEADER" -a -- "$@"; }

print_usage() {
    # shellcheck disable=SC1090
    . "$ENVFILE"
    cat <<EOF
sdenv '$SDENV_NAME' is up: nspawn pid $SDENV_NSPAWN_PID, container PID 1 = host pid $SDENV_LEADER_PID
  cgroup layout inside: $SDENV_CGROUP; host cgroup of the container: $SDENV_HOST_CGROUP
  test user: $SDENV_USER (uid $SDENV_UID), user bus unix:path=/run/user/$SDENV_UID/bus (inside)
  state/env file: $ENVFILE     console log: $LOG

Run a command inside (stdin/stdout/stderr and exit status are passed through):
  as root, as a transient system service (own cgroup in the container):
    $HERE/sdenv-exec -- busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 \\
        org.freedesktop.systemd1.Manager StartTransientUnit 'ssa(sv)a(sa(sv))' x.scope fail 2 PIDs au 1 <PID> Delegate b true 0
  as $SDENV_USER, as a transient service of its systemd --user (XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS set):
    $HERE/sdenv-exec -u -- systemd-run --user --scope -p Delegate=yes -- <cmd>
  raw (no systemd-run; the process stays in the host cgroup, outside the container's tree):
    nsenter -t $SDENV_LEADER_PID -a -- <cmd>
    nsenter -t $SDENV_LEADER_PID -a -- runuser -u $SDENV_USER -- env XDG_RUNTIME_DIR=/run/user/$SDENV_UID DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$SDENV_UID/bus <cmd>
  sdenv-exec options: -u (as $SDENV_USER), -t (pty instead of pipes), -e VAR[=VAL] (pass env), -C DIR (cwd), --raw (nsenter only)
Stop: $HERE/stop-systemd-env.sh
EOF
}

if [ -r "$ENVFILE" ]; then
    # shellcheck disable=SC1090
    . "$ENVFILE"
    LEADER=${SDENV_LEADER_PID:-}
    if nspawn_alive "${SDENV_NSPAWN_PID:-}" && [ "$(leader_of "$SDENV_NSPAWN_PID")" = "$LEADER" ] &&
       st=$(in_c systemctl is-system-running 2>/dev/null || true) &&
       { [ "$st" = running ] || [ "$st" = degraded ]; } &&
       in_c test -S "/run/user/$SDENV_UID/bus"; then
        log "already running (system state: $st)"
        print_usage
        exit 0
    fi
    log "stale state in $SDENV_STATE_DIR, cleaning up first"
fi
if [ -e "$SDENV_STATE_DIR/nspawn.pid" ] || [ -e "$ENVFILE" ]; then
    SDENV_NO_LOCK=1 "$HERE/stop-systemd-env.sh" >&2 || true
fi
rm -f "$ENVFILE" "$SDENV_STATE_DIR/nspawn.pid"

# --- host cgroup layout ----------------------------------------------------
CG2= ; CGV1=
case "$(stat -f -c %T /sys/fs/cgroup)" in
    cgroup2fs) CG2=/sys/fs/cgroup ;;
    tmpfs)
        [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] && CG2=/sys/fs/cgroup/unified
        [ "$(stat -f -c %T /sys/fs/cgroup/systemd 2>/dev/null)" = cgroupfs ] && CGV1=/sys/fs/cgroup/systemd
        ;;
esac
[ -n "$CG2$CGV1" ] || die "no usable cgroup hierarchy found under /sys/fs/cgroup"
CGNAME=sdenv-$SDENV_NAME
for h in $CG2 $CGV1; do mkdir -p "$h/$CGNAME"; done

# --- launch ----------------------------------------------------------------
: > "$LOG"
log "booting container '$SDENV_NAME' (cgroup layout: $SDENV_CGROUP)"
(
    cd /
    exec 9>&-   # do not leak the lock into the long-running container
    for h in $CG2 $CGV1; do echo "$BASHPID" > "$h/$CGNAME/cgroup.procs"; done
    exec setsid unshare --mount --propagation private -- "$HERE/start-systemd-env.sh" __inner
) </dev/null >"$LOG" 2>&1 &
NSPAWN_PID=$!

# wait for the container's PID 1
LEADER=
deadline=$(( $(date +%s) + SDENV_TIMEOUT ))
while [ -z "$LEADER" ]; do
    if ! kill -0 "$NSPAWN_PID" 2>/dev/null; then
        tail -n 30 "$LOG" >&2; die "systemd-nspawn exited during start-up (log: $LOG)"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$LOG" >&2; die "timeout waiting for the container"; }
    if nspawn_alive "$NSPAWN_PID"; then
        LEADER=$(leader_of "$NSPAWN_PID")
        # the leader must already be systemd (nspawn forks before exec'ing it)
        [ -n "$LEADER" ] && [ "$(cat /proc/"$LEADER"/comm 2>/dev/null)" = systemd ] || LEADER=
    fi
    [ -n "$LEADER" ] || sleep 0.1
done
log "container PID 1 is host pid $LEADER ($(elapsed)s)"

# wait for the system manager to finish booting
st=
while :; do
    kill -0 "$NSPAWN_PID" 2>/dev/null || { tail -n 30 "$LOG" >&2; die "container died while booting (log: $LOG)"; }
    st=$(in_c systemctl is-system-running 2>/dev/null || true)
    case "$st" in running|degraded) break ;; esac
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$LOG" >&2; die "timeout: system state '$st'"; }
    sleep 0.2
done
log "system manager is '$st' ($(elapsed)s)"
[ "$st" = running ] || in_c systemctl --failed --no-legend --no-pager >&2 || true

USER_UID=$(in_c id -u "$SDENV_USER")
while :; do
    if in_c test -S "/run/user/$USER_UID/bus" &&
       [ "$(in_c systemctl is-active "user@$USER_UID.service" 2>/dev/null)" = active ]; then
        break
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { in_c systemctl status "user@$USER_UID.service" --no-pager >&2 || true; die "timeout waiting for user@$USER_UID.service"; }
    sleep 0.2
done
log "user manager for $SDENV_USER (uid $USER_UID) is up ($(elapsed)s)"

cat > "$ENVFILE" <<EOF
SDENV_NAME=$SDENV_NAME
SDENV_NSPAWN_PID=$NSPAWN_PID
SDENV_LEADER_PID=$LEADER
SDENV_USER=$SDENV_USER
SDENV_UID=$USER_UID
SDENV_CGROUP=$SDENV_CGROUP
SDENV_HOST_CGROUP=/$CGNAME
SDENV_HOST_CG2=$CG2
SDENV_HOST_CGV1=$CGV1
SDENV_STATE_DIR=$SDENV_STATE_DIR
EOF
log "ready in $(elapsed)s"
print_usage
