/* urun-notify.h: the NOTIFY_SOCKET proxy (sd_notify for containers).
 *
 * Zone: host side (GLib).
 *
 * When urun itself runs with NOTIFY_SOCKET (a systemd service of
 * Type=notify), the host's socket is never handed to the container: the
 * payload could then claim any MAINPID, send fds into the service manager,
 * or keep notifying after urun is gone.  Instead:
 *
 *  - create/run make `<state>/notify/` and bind that directory read-only
 *    into the container at the directory of the container's socket path:
 *    the NOTIFY_SOCKET of the config's process.env when it names an
 *    absolute path, else /run/notify/notify.sock (as runc).  The process
 *    gets NOTIFY_SOCKET set to that path.  The directory, not the socket
 *    file, is bound, so that the socket inside can be replaced by `start`.
 *  - urun binds a datagram socket of that name in `<state>/notify/` and
 *    relays what the container sends to the host's socket, line by line:
 *    READY=1, STATUS=, WATCHDOG=, EXTEND_TIMEOUT_USEC=, RELOADING=1 (with
 *    its MONOTONIC_USEC=, which Type=notify-reload requires) and STOPPING=1.
 *    Everything else (MAINPID, FDSTORE and the fds, ...) is dropped.  With
 *    the first READY=1 urun sends MAINPID=<host pid of the container's
 *    process>.  After that, where the kernel lets urun (it needs
 *    CAP_SYS_ADMIN: root), its messages carry the main pid as their
 *    SCM_CREDENTIALS, so that NotifyAccess=main keeps accepting them.
 *  - Who listens when: a foreground `run` serves the socket from its
 *    GMainLoop for the container's whole life.  `run --detach` and
 *    `start` serve it until READY=1 (or the death of the container), then
 *    return, as systemd expects of a Type=notify start command.  Between
 *    `create` and `start` nobody listens, and nobody needs to: the
 *    payload only runs after `start`, which binds a fresh socket (the
 *    one `create` bound, named as the container expects, is replaced)
 *    before it releases init.  What the payload sends after `start` or
 *    `run --detach` returned finds no listener (ECONNREFUSED), as with
 *    runc and crun.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "plan/urun-plan-build.h"
#include "spec/urun-spec.h"

G_BEGIN_DECLS

#define URUN_NOTIFY_DEFAULT_PATH "/run/notify/notify.sock"

typedef struct _UrunNotifyProxy UrunNotifyProxy;

/* create/run, before the clone: makes `<state>/notify`, binds the
 * container's socket in it (see above), adds the read-only bind mount of
 * the directory to @owner's plan and sets NOTIFY_SOCKET in its env.
 * Returns the proxy listening on the new socket, relaying to
 * @host_socket, urun's own NOTIFY_SOCKET (UrunRuntime.notify_socket). */
UrunNotifyProxy *urun_notify_setup (UrunPlanOwner *owner, const UrunSpec *spec, int state_dirfd,
                                    const char *host_socket, GError **error);

/* start: a fresh socket in place of the one `create` left in
 * `<state>/notify`.  NULL without error when the container has no notify
 * directory (it was created without NOTIFY_SOCKET). */
UrunNotifyProxy *urun_notify_reopen (int state_dirfd, const char *host_socket, GError **error);

void urun_notify_proxy_free (UrunNotifyProxy *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunNotifyProxy, urun_notify_proxy_free)

/* The socket's fd, to watch for G_IO_IN. */
int urun_notify_proxy_get_fd (UrunNotifyProxy *proxy);

/* The host pid of the container's process, sent as MAINPID with READY. */
void urun_notify_proxy_set_main_pid (UrunNotifyProxy *proxy, pid_t pid);

/* Relays every datagram waiting (never blocks).  Sets *@out_ready to TRUE
 * once READY=1 has been relayed.  A host socket that refuses a message is
 * not an error of the container: the failure is logged (debug) and the
 * relay goes on. */
void urun_notify_proxy_dispatch (UrunNotifyProxy *proxy, gboolean *out_ready);

/* `start` and `run --detach`: relays until READY=1 or until @pidfd (the
 * container's init) becomes readable, i.e. it exited.  Sets
 * *@out_ready.  Fails when READY=1 did not come within
 * URUN_TIMEOUT_READY_S (urun-timeout.h; extended by EXTEND_TIMEOUT_USEC=),
 * or when the host's reader did not take it within
 * URUN_TIMEOUT_NOTIFY_SEND_S.  Messages other than READY=1 never wait for
 * a reader that does not read: they are dropped. */
gboolean urun_notify_proxy_wait_ready (UrunNotifyProxy *proxy, int pidfd, gboolean *out_ready,
                                       GError **error);

G_END_DECLS
