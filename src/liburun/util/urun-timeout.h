/* urun-timeout.h: how long urun waits for a peer before it gives up.
 *
 * Zone: host side (GLib).
 *
 * No command may block forever on a process it does not control: a
 * console-socket receiver that stopped accepting, a NOTIFY_SOCKET reader
 * that stopped reading, an init stuck before it reports, a payload that
 * never says READY=1.  Each such wait has a bound, long enough for a slow
 * CI machine, and its failure names the peer that did not answer.
 *
 * URUN_PEER_TIMEOUT=SECONDS in urun's environment replaces every bound
 * below (tests use it to see a bound expire quickly; a service whose
 * payload needs longer than 90 s to get ready raises it).  0 or an
 * invalid value is ignored.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The console socket: connect and the one message with the pty master.
 * conmon, containerd and runc's recvtty accept at once; a minute without
 * an accept is a receiver that is stuck. */
#define URUN_TIMEOUT_CONSOLE_SOCKET_S 60

/* One message from init or the exec process over the sync socket.  Init
 * reports after each step of its setup (well under a second here); the
 * bound covers slow mounts, copy-ups and createContainer hooks that have
 * no timeout of their own; the timeouts of the hooks init runs are added
 * to it. */
#define URUN_TIMEOUT_INIT_S 120

/* READY=1 under a NOTIFY_SOCKET, for `start` and `run --detach`: the
 * default TimeoutStartSec of systemd (DefaultTimeoutStartSec=90s), after
 * which the service manager gives up on the start anyway.  A relayed
 * EXTEND_TIMEOUT_USEC= extends it, as it extends systemd's. */
#define URUN_TIMEOUT_READY_S 90

/* The host's NOTIFY_SOCKET taking READY=1 (its other messages are sent
 * without waiting: a reader that does not read loses them, as with
 * sd_notify). */
#define URUN_TIMEOUT_NOTIFY_SEND_S 10

/* @default_seconds, or the value of URUN_PEER_TIMEOUT when set. */
guint urun_peer_timeout (guint default_seconds);

/* Sets SO_SNDTIMEO or SO_RCVTIMEO (@option) of socket @fd to @seconds.
 * For an AF_UNIX stream socket SO_SNDTIMEO also bounds connect(2) to a
 * listener whose backlog is full.  Returns 0 or -errno. */
int urun_socket_set_timeout (int fd, int option, guint seconds);

G_END_DECLS
