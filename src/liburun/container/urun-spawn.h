/* urun-spawn.h: cloning the container's init and the parent's half of the
 * handshake with it.
 *
 * Zone: host side (GLib).  urun_spawn_init() must be called while the
 * process has a single thread (no GMainLoop sources, GDBus or GTask yet):
 * a lock held by another thread at clone time stays held in the child.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "plan/urun-idmap.h"
#include "init/urun-plan.h"
#include "init/urun-sync.h"

G_BEGIN_DECLS

typedef struct
{
  pid_t pid;       /* host pid of init */
  int pidfd;       /* pidfd of init, or -1 where the kernel has none */
  int sync_fd;     /* the parent's end of the socketpair */
  gboolean reaped; /* init was waited for */
  int wait_status; /* its status, when reaped */
  int terminal_fd; /* the pty master init sent (process.terminal), or -1 */
  int seccomp_fd;  /* the seccomp notify fd init sent (SCMP_ACT_NOTIFY), or -1 */
  gboolean born_in_cgroup; /* cloned into the cgroup_fd given (CLONE_INTO_CGROUP) */
} UrunInitProcess;

#define URUN_INIT_PROCESS_INIT { 0, -1, -1, FALSE, 0, -1, -1, FALSE }

/* What a cloned child runs; it never returns. */
typedef void (*UrunChildMain) (gpointer data);

/* Clones a child (into the new namespaces of @clone_flags, and with
 * @cgroup_fd >= 0 into that cgroup v2 directory when the kernel lets it:
 * born_in_cgroup says) that runs @child_main (@data), with a
 * SOCK_SEQPACKET socketpair between them: the
 * child's end is stored in *@child_sync_fd, which @data holds, for the
 * length of the clone; the parent's end, the pid and (with clone3) a pidfd
 * land in @out_process.  The child's end is numbered @fd_floor or above
 * (3 + the plan's preserve_fds: the fds below are the process's).  Every
 * signal is blocked across the clone.  @what names the child in the error. */
gboolean urun_spawn_child (int clone_flags, int cgroup_fd, int *child_sync_fd, int fd_floor,
                           UrunChildMain child_main, gpointer data, const char *what,
                           UrunInitProcess *out_process, GError **error);

/* Clones init into the plan's namespaces and writes the user namespace's
 * maps (@idmap); returns with init waiting for urun_spawn_go().  On the
 * staged path (namespaces to join) the pid returned is that of the real
 * init, cloned by the first stage.  plan->sync_fd is used here. */
gboolean urun_spawn_init (UrunInitPlan *plan, const UrunIdMapPlan *idmap,
                          UrunInitProcess *out_process, GError **error);

/* Where urun_spawn_follow_stage() stops. */
typedef enum
{
  /* init's staged path: once the real init is adopted; its own handshake
   * goes on with urun_spawn_go() and urun_spawn_wait_ready(). */
  URUN_STAGE_UNTIL_INIT_PID,
  /* exec: on after the hand-over, keeping the pty master and the seccomp
   * notify fd the process sends, until end of file: it ran execve. */
  URUN_STAGE_UNTIL_EXEC,
} UrunStageEnd;

/* The parent's half of a stage's handshake (urun-init-stage.h), for a
 * child cloned without its namespaces: answers URUN_SYNC_USERNS_READY by
 * writing @idmap's maps (init's staged path; with @idmap NULL it is
 * unexpected), and on URUN_SYNC_INIT_PID reaps the stage and makes
 * @process describe the process it cloned (pid and pidfd).  A
 * URUN_SYNC_ERROR or a child that dies fails with @who (e.g. "the
 * container's init") named, and the sender reaped. */
gboolean urun_spawn_follow_stage (UrunInitProcess *process, UrunStageEnd end,
                                  const UrunIdMapPlan *idmap, const char *who, GError **error);

/* Lets init go on: the maps and the cgroup are in place. */
gboolean urun_spawn_go (UrunInitProcess *process, GError **error);

/* Called when init asks for the prestart/createRuntime hooks. */
typedef gboolean (*UrunRuntimeHooksFunc) (gpointer user_data, GError **error);

/* Waits until init reports READY, running @hooks_func when init asks, and
 * keeping the pty master init sends on the way in process->terminal_fd
 * and the seccomp notify fd in process->seccomp_fd.  An
 * init that reports an error, or dies, fails with one error naming init's
 * step, the path concerned and the errno text; a missing program is
 * URUN_ERROR_COMMAND_NOT_FOUND with podman's wording. */
gboolean urun_spawn_wait_ready (UrunInitProcess *process, UrunRuntimeHooksFunc hooks_func,
                                gpointer user_data, GError **error);

/* Tells a READY init (of `run`) to go on to execve. */
gboolean urun_spawn_continue (UrunInitProcess *process, GError **error);

/* After urun_spawn_continue(): waits until init has run execve (or failed
 * before, in a startContainer hook or execve itself). */
gboolean urun_spawn_wait_exec (UrunInitProcess *process, GError **error);

/* The GError for an init's URUN_SYNC_ERROR message: one message naming
 * init's step, the path concerned and the errno text; a missing program is
 * URUN_ERROR_COMMAND_NOT_FOUND with podman's wording. */
gboolean urun_spawn_fail_from_message (const UrunSyncMessage *message, GError **error);

/* Kills init with SIGKILL and reaps it; for failure paths.  Safe to call on
 * a process that already exited or was never spawned. */
void urun_spawn_kill (UrunInitProcess *process);

/* Closes the fds of @process (not the process itself). */
void urun_init_process_clear (UrunInitProcess *process);

G_END_DECLS
