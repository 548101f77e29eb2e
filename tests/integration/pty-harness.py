#!/usr/bin/env python3
"""pty-harness.py: drive a terminal: urun's own, or a container's.

Usage: pty-harness.py [--rows R] [--cols C] [--timeout SECS] STEPS -- CMD ARGS...
       pty-harness.py --console-socket PATH [--timeout SECS] STEPS

The second form is a console socket receiver, like runc's recvtty: it
listens on the AF_UNIX stream socket PATH (created here; PATH.ready appears
once it listens), takes one connection and one message whose SCM_RIGHTS
carries a pty master, then runs STEPS against that master and reads it
until the container's side is closed (EIO).  Its JSON has "name" (the
message's payload) and "status" null.

CMD runs as the session leader of a new session whose controlling terminal
is the slave of a new pty of size R x C (default 24 x 80).  STEPS is a JSON
list of steps run in order against the master, while everything CMD writes
is collected:

  ["expect", TEXT]        wait until the output so far contains TEXT
  ["send", TEXT]          write TEXT to the master (as the user typing it)
  ["resize", ROWS, COLS]  set the pty's window size, as a terminal emulator
                          does (the kernel sends SIGWINCH to its foreground
                          process group)
  ["kill", SIGNAME]       send the signal to CMD itself (the direct child;
                          not with --console-socket)
  ["wait_file", PATH]     wait until PATH exists
  ["sleep", SECS]

Then it waits for CMD to exit and prints one JSON object on stdout:
  {"status": exit status (128+N when killed by N), "output": text,
   "modes_before": stty -g of the terminal before CMD,
   "modes_after": the same after CMD exited, "error": null or what failed}
A step that times out ends the script (CMD is killed) with "error" set.
"""
import array
import fcntl
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import time


def stty_g(fd):
    """The terminal's modes in the form `stty -g` prints them."""
    iflag, oflag, cflag, lflag, _, _, cc = termios.tcgetattr(fd)
    chars = [c if isinstance(c, int) else ord(c) for c in cc]
    return "%x:%x:%x:%x:%s" % (iflag, oflag, cflag, lflag, ":".join("%x" % c for c in chars))


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def receive_master(path, timeout):
    """Listens at path, returns (master fd, payload) of the first message."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    open(path + ".ready", "w").close()
    listener.settimeout(timeout)
    conn, _ = listener.accept()
    conn.settimeout(timeout)
    fds = array.array("i")
    data, anc, _, _ = conn.recvmsg(4096, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
    conn.close()
    listener.close()
    if len(fds) != 1:
        raise OSError("expected one fd in the console socket message, got %d" % len(fds))
    return fds[0], data.decode(errors="replace")


def main():
    args = sys.argv[1:]
    rows, cols, timeout = 24, 80, 20.0
    console_socket = None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--rows":
            rows = int(args.pop(0))
        elif opt == "--cols":
            cols = int(args.pop(0))
        elif opt == "--timeout":
            timeout = float(args.pop(0))
        elif opt == "--console-socket":
            console_socket = args.pop(0)
        else:
            sys.exit("unknown option " + opt)
    steps = json.loads(args.pop(0))
    proc = None
    name = None
    before = after = None
    if console_socket is not None:
        if args:
            sys.exit(__doc__)
        try:
            master, name = receive_master(console_socket, timeout)
        except OSError as e:
            print(json.dumps({"status": None, "output": "", "name": None, "error": str(e)}))
            return
    else:
        if not args or args.pop(0) != "--" or not args:
            sys.exit(__doc__)
        master, slave = os.openpty()
        set_size(master, rows, cols)
        before = stty_g(slave)

        def child_setup():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                                preexec_fn=child_setup, close_fds=True)
    output = bytearray()
    error = None
    eof = [False]

    def pump(wait):
        """Reads what is there within `wait` seconds."""
        if eof[0]:
            time.sleep(wait)
            return
        r, _, _ = select.select([master], [], [], wait)
        if not r:
            return
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if not data:
            eof[0] = True
        output.extend(data)

    def until(cond, what):
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError("timed out: " + what)
            pump(0.05)

    try:
        for step in steps:
            kind = step[0]
            if kind == "expect":
                text = step[1].encode()
                until(lambda: text in output, "expect %r" % step[1])
            elif kind == "send":
                os.write(master, step[1].encode())
            elif kind == "resize":
                # As a terminal emulator does; the kernel then signals
                # SIGWINCH to the terminal's foreground process group.
                set_size(master, step[1], step[2])
            elif kind == "kill" and proc is not None:
                proc.send_signal(getattr(signal, "SIG" + step[1]))
            elif kind == "wait_file":
                until(lambda: os.path.exists(step[1]), "wait_file " + step[1])
            elif kind == "sleep":
                end = time.monotonic() + float(step[1])
                while time.monotonic() < end:
                    pump(0.05)
            else:
                raise ValueError("unknown step %r" % (step,))
        if proc is not None:
            until(lambda: proc.poll() is not None, "the program to exit")
        else:
            until(lambda: eof[0], "the container to close its terminal")
    except (TimeoutError, ValueError, OSError) as e:
        error = str(e)
        if proc is not None and proc.poll() is None:
            proc.kill()
    result = {"output": None, "error": error}
    if proc is not None:
        status = proc.wait()
        # The rest of the output (our slave is still open: no EOF comes).
        while True:
            r, _, _ = select.select([master], [], [], 0.2)
            if not r:
                break
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            output.extend(data)
        after = stty_g(slave)
        result.update(status=status if status >= 0 else 128 - status,
                      modes_before=before, modes_after=after)
    else:
        result.update(status=None, name=name)
    result["output"] = output.decode(errors="replace")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
