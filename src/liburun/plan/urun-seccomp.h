/* urun-seccomp.h: linux.seccomp compiled to a classic BPF program with
 * libseccomp, and the runtime-spec's "seccomp notify" hand-over of the
 * listener fd.
 *
 * Zone: host side (GLib).  Why compile in the parent: libseccomp allocates
 * and parses; init may do neither (see DESIGN.md §3), so the parent turns
 * the profile into plain BPF instructions before the clone and init only
 * hands them to seccomp(2).
 */
#pragma once

#include <glib.h>

#include "spec/urun-spec.h"

G_BEGIN_DECLS

typedef struct
{
  guint8 *bpf;            /* struct sock_filter[], g_free() it */
  gsize n_instructions;   /* number of struct sock_filter in @bpf */
  guint flags;            /* SECCOMP_FILTER_FLAG_* to load it with; includes
                           * NEW_LISTENER when @uses_notify */
  gboolean uses_notify;   /* some action is SCMP_ACT_NOTIFY */
} UrunSeccompProgram;

/* Compiles @seccomp.  Architectures that libseccomp does not know and
 * syscall names unknown to it on every architecture are skipped with a
 * debug line, as runc and crun do; so is a rule whose action equals the
 * default action.  Several args with the same index on one entry become one
 * rule per arg (an OR), as runc does; otherwise all args of an entry make
 * one rule (an AND).  A NOTIFY action without listenerPath is an error.
 * Fills @out only on success; free it with urun_seccomp_program_clear().
 * Errors: URUN_ERROR_INVALID_CONFIG for what the config asks and libseccomp
 * refuses, URUN_ERROR_NOT_SUPPORTED without libseccomp. */
gboolean urun_seccomp_compile (const UrunSpecSeccomp *seccomp, UrunSeccompProgram *out,
                               GError **error);
void urun_seccomp_program_clear (UrunSeccompProgram *program);

/* The runtime-spec's containerProcessState as JSON: ociVersion, fds
 * ["seccompFd"], pid, metadata (when not NULL) and state (@state_json, the
 * container's state document, inserted as an object).  Returns a new
 * string, or NULL with @error set when @state_json is not a JSON object. */
char *urun_seccomp_process_state_json (int pid, const char *metadata, const char *state_json,
                                       GError **error);

/* Connects to the AF_UNIX SOCK_STREAM socket @listener_path and sends one
 * containerProcessState (see above) with @notify_fd in SCM_RIGHTS, in a
 * single sendmsg(), then closes the connection.  Does not close
 * @notify_fd. */
gboolean urun_seccomp_send_to_listener (const char *listener_path, const char *metadata, int pid,
                                        const char *state_json, int notify_fd, GError **error);

G_END_DECLS
