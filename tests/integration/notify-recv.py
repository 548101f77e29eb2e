#!/usr/bin/env python3
"""notify-recv.py SOCKET OUT: a stand-in for systemd's notification socket.

Binds a datagram socket at SOCKET, with SO_PASSCRED as systemd has it, and
appends one JSON line per message to OUT: {"text": ..., "pid": sender pid}.
Writes OUT.ready once bound.  Runs until killed (SIGTERM)."""
import json
import os
import signal
import socket
import struct
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    sock.bind(path)
    os.chmod(path, 0o777)
    open(out + ".ready", "w").close()
    ucred = struct.calcsize("3i")
    while True:
        data, anc, _, _ = sock.recvmsg(4096, socket.CMSG_SPACE(ucred))
        pid = None
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("3i", payload[:ucred])[0]
        with open(out, "a") as f:
            f.write(json.dumps({"text": data.decode(errors="replace"), "pid": pid}) + "\n")


if __name__ == "__main__":
    main()
