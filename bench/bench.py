#!/usr/bin/env python3
"""bench.py: the measuring half of bench/run-bench.sh (see there).

Runs each runtime's commands as children and takes wall time from a
monotonic clock and CPU time from wait4()'s rusage of that child.

Peak RSS cannot come from the same wait4(): ru_maxrss is the high-water mark
over the child's whole life, and a child spawned by this Python process
starts out with Python's memory (vfork or fork) before its execve.  So every
other iteration runs the same commands under GNU time (`/usr/bin/time -f
%M`), a small process whose child starts at about 1 MiB (the floor: what
/bin/true itself reports), and the RSS columns come from those iterations;
the wall and CPU columns from the others.  Prints medians and the paired
ratios of urun to crun and runc.

--driver picks the cgroup driver of urun and crun (disabled or cgroupfs;
runc always uses cgroupfs and has no other choice here), each --floor
NAME=PATH adds a build of bench/minimal-runtime.c to the `run` rows, and
--base another urun build (urun/base: what a change bought).  The
state roots are in --state (default: --work).  As a user (rootless) the
same runs happen in the user's own state roots.  Each runtime's stderr goes
to a file in --work, printed when a command fails.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

DEVNULL = os.open(os.devnull, os.O_RDWR)
STDERR = None
WORK = None


def runtimes(urun, state, driver, base=None):
    def cmd(argv, root):
        return lambda *args: argv + ["--root", root] + list(args)

    manager = "--cgroup-manager=" + driver
    rts = {
        # The same driver for urun and crun: the same work on both sides.
        "urun": cmd([urun, manager], os.path.join(state, "state-urun")),
        "crun": cmd(["crun", manager], os.path.join(state, "state-crun")),
        "runc": cmd(["runc"], os.path.join(state, "state-runc")),
    }
    if base:
        rts["base"] = cmd([base, manager], os.path.join(state, "state-base"))
    return rts


def measure(argv, check=True, rss=False):
    """Runs argv; returns (wall seconds, cpu seconds, peak RSS KiB or None).

    With rss, argv runs under GNU time and only the RSS is meaningful."""
    out = None
    if rss:
        out = tempfile.NamedTemporaryFile(prefix="rss.", dir=WORK, delete=False)
        out.close()
        argv = ["/usr/bin/time", "-f", "%M", "-o", out.name] + argv
    t0 = time.monotonic()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, DEVNULL, 0),
                                        (os.POSIX_SPAWN_DUP2, DEVNULL, 1),
                                        (os.POSIX_SPAWN_DUP2, STDERR, 2)])
    _, wstatus, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    status = os.waitstatus_to_exitcode(wstatus)
    if check and status != 0:
        os.lseek(STDERR, 0, os.SEEK_SET)
        sys.stderr.write(os.read(STDERR, 65536).decode(errors="replace"))
        raise RuntimeError("%s exited with %d" % (" ".join(argv), status))
    os.ftruncate(STDERR, 0)
    os.lseek(STDERR, 0, os.SEEK_SET)
    peak = None
    if rss:
        with open(out.name) as f:
            peak = int(f.read().split()[-1])
        os.unlink(out.name)
    return wall, ru.ru_utime + ru.ru_stime, peak


def wait_stopped(rt, cid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(rt("state", cid), capture_output=True, text=True)
        if out.returncode == 0 and '"stopped"' in out.stdout.replace(" ", ""):
            return
        time.sleep(0.005)
    raise RuntimeError("%s did not stop" % cid)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urun", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--driver", choices=["disabled", "cgroupfs"], default="disabled")
    ap.add_argument("--floor", action="append", default=[], metavar="NAME=PATH",
                    help="a build of bench/minimal-runtime.c, shown as NAME")
    ap.add_argument("--state", help="the directory of the state roots (default: --work)")
    ap.add_argument("--no-runc", action="store_true", help="leave runc out")
    ap.add_argument("--base", help="another urun build, shown as base: what a change bought")
    args = ap.parse_args()

    global WORK, STDERR
    WORK = args.work
    STDERR = os.open(os.path.join(WORK, "stderr"), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    rts = runtimes(args.urun, args.state or args.work, args.driver, args.base)
    if args.no_runc:
        del rts["runc"]
    names = list(rts)
    floors = [f.split("=", 1) for f in args.floor]
    # floor_runs[name] = list of (wall, cpu, rss), one per iteration
    floor_runs = {name: [] for name, _ in floors}
    rootfs = os.path.join(args.bundle, "rootfs")
    ops = ["run", "create", "start", "delete"]
    # results[op][runtime] = list of (wall, cpu, rss), one per iteration
    results = {op: {n: [] for n in names} for op in ops}

    # One untimed round first: page cache, apt's fresh binaries.
    for name in names:
        measure(rts[name]("run", "--bundle", args.bundle, "warmup"))

    # Even iterations time, odd ones take the peak RSS (see the docstring).
    floor = []
    for i in range(2 * args.n):
        rss = i % 2 == 1
        order = names[:]
        random.shuffle(order)
        for name in order:
            rt = rts[name]
            cid = "b%d" % i
            steps = [("run", rt("run", "--bundle", args.bundle, cid + "r")),
                     ("create", rt("create", "--bundle", args.bundle, cid)),
                     ("start", rt("start", cid)),
                     ("delete", rt("delete", cid))]
            for op, argv in steps:
                if op == "delete":
                    wait_stopped(rt, cid)
                w = measure(argv, rss=rss)
                if rss:
                    results[op][name][i // 2] = results[op][name][i // 2][:2] + (w[2],)
                else:
                    results[op][name].append(w[:2] + (None,))
        if rss:
            floor.append(measure(["/bin/true"], rss=True)[2])
        for name, path in floors:
            w = measure([path, rootfs, "/bin/true"], rss=rss)
            runs = floor_runs[name]
            if rss:
                runs[i // 2] = runs[i // 2][:2] + (w[2],)
            else:
                runs.append(w[:2] + (None,))
        if (i + 1) % 20 == 0:
            print("# %d/%d" % ((i + 1) // 2, args.n), file=sys.stderr, flush=True)

    def med(xs):
        return statistics.median(xs)

    print()
    print("medians over %d iterations (wall and CPU in ms, peak RSS in KiB)" % args.n)
    print("%-8s %-10s %9s %9s %9s" % ("op", "rt", "wall", "cpu", "rss"))
    for op in ops:
        for name in names:
            rs = results[op][name]
            print("%-8s %-10s %9.2f %9.2f %9d" % (op, name, med([r[0] for r in rs]) * 1000,
                                                  med([r[1] for r in rs]) * 1000,
                                                  med([r[2] for r in rs])))
    for name, runs in floor_runs.items():
        print("%-8s %-10s %9.2f %9.2f %9d   (bench/minimal-runtime.c)" % (
            "run", name, med([r[0] for r in runs]) * 1000,
            med([r[1] for r in runs]) * 1000, med([r[2] for r in runs])))
    print("(peak RSS floor of the GNU time launcher, /bin/true: %d KiB)" % med(floor))
    print()
    print("paired ratios (median of per-iteration ratios; < 1 means urun is better)")
    print("%-8s %-16s %9s %9s %9s" % ("op", "ratio", "wall", "cpu", "rss"))
    for op in ops:
        u = results[op]["urun"]
        others = [(n, results[op][n]) for n in names if n != "urun"]
        if op == "run":
            others += list(floor_runs.items())
        for other, o in others:
            ratios = []
            for k in range(3):
                pairs = [(a[k], b[k]) for a, b in zip(u, o) if b[k] > 0]
                ratios.append(med([a / b for a, b in pairs]) if pairs else float("nan"))
            print("%-8s %-16s %9.2f %9.2f %9.2f" % (op, "urun/" + other, *ratios))
    total = {n: sum(med([r[0] for r in results[op][n]]) for op in ("create", "start", "delete"))
             for n in names}
    print()
    print("create+start+delete, sum of medians (ms): " +
          ", ".join("%s %.2f" % (n, total[n] * 1000) for n in names))


if __name__ == "__main__":
    main()
