#!/usr/bin/env python3
"""stuck-peer.py MODE PATH: a peer of urun that stops answering.

  console  a stream socket at PATH that listens and never accepts, its
           backlog already full (one connection waits in it): connect(2)
           to it blocks, as to a console-socket receiver that got stuck.
  notify   a datagram socket at PATH that never reads, its queue already
           full: sending to it blocks, as to a NOTIFY_SOCKET reader that got
           stuck.

Writes PATH.ready once set up, then sleeps until killed."""
import os
import socket
import sys
import time


def main():
    mode, path = sys.argv[1], sys.argv[2]
    keep = []
    if mode == "console":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path)
        sock.listen(0)
        # With a backlog of 0 one pending connection fills it.
        waiting = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        waiting.connect(path)
        keep += [sock, waiting]
    elif mode == "notify":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        filler = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        filler.setblocking(False)
        try:
            while True:
                filler.sendto(b"STATUS=filler", path)
        except BlockingIOError:
            pass
        keep += [sock, filler]
    else:
        sys.exit("unknown mode %s" % mode)
    os.chmod(path, 0o777)
    open(path + ".ready", "w").close()
    while True:
        time.sleep(3600)


main()
