/* urun-sync.h: the messages urun's parent and the container's init exchange
 * over their SOCK_SEQPACKET socketpair.
 *
 * Zone: shared.  The init child uses the raw send/receive helpers, so this
 * header is free of GLib; the host-side helpers that turn a message into a
 * GError live in container/urun-spawn.h (urun_spawn_fail_from_message()).
 *
 * Why SOCK_SEQPACKET: each message arrives whole or not at all, and a peer
 * that dies reads as end-of-file instead of a hang.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

typedef enum
{
  /* parent -> child: the id maps and the cgroup are in place; build the
   * container. */
  URUN_SYNC_GO = 1,
  /* child -> parent: the mount namespace is ready and not yet pivoted; run
   * the prestart and createRuntime hooks now, then answer CONTINUE. */
  URUN_SYNC_RUN_RUNTIME_HOOKS,
  /* parent -> child: the hooks ran; go on. */
  URUN_SYNC_CONTINUE,
  /* child -> parent: the container is built; init now waits on exec.fifo
   * (create) or goes straight to execve (run). */
  URUN_SYNC_READY,
  /* child -> parent: a step failed; see step, errsv and detail.  The child
   * exits right after sending it. */
  URUN_SYNC_ERROR,
  /* staged path, child -> parent: the new user namespace exists; write its
   * maps, then answer CONTINUE. */
  URUN_SYNC_USERNS_READY,
  /* staged path, child -> parent: the real init was cloned into the new
   * namespaces with pid `value` (in the parent's pid namespace); the
   * sender exits. */
  URUN_SYNC_INIT_PID,
  /* child -> parent: the pty master of process.terminal, as SCM_RIGHTS
   * (urun_sync_send_fd()); detail is the slave's path in the container. */
  URUN_SYNC_TERMINAL,
  /* child -> parent: the seccomp notify fd (SCM_RIGHTS) of a filter with
   * SCMP_ACT_NOTIFY, for the parent to pass on to linux.seccomp's
   * listenerPath; sent before READY. */
  URUN_SYNC_SECCOMP_FD,
  URUN_SYNC_LAST_,
} UrunSyncType;

/* What init was doing when it failed; the parent names it in the error. */
typedef enum
{
  URUN_STEP_NONE,
  URUN_STEP_SYNC,
  URUN_STEP_JOIN_NAMESPACE,
  URUN_STEP_UNSHARE,
  URUN_STEP_BECOME_ROOT,
  URUN_STEP_ROOT_PROPAGATION,
  URUN_STEP_BIND_ROOTFS,
  URUN_STEP_MOUNT,
  URUN_STEP_MOUNT_DESTINATION,
  URUN_STEP_DEVICES,
  URUN_STEP_PIVOT_ROOT,
  URUN_STEP_ROOT_READONLY,
  URUN_STEP_MASK_PATH,
  URUN_STEP_READONLY_PATH,
  URUN_STEP_HOSTNAME,
  URUN_STEP_DOMAINNAME,
  URUN_STEP_SYSCTL,
  URUN_STEP_RLIMIT,
  URUN_STEP_OOM_SCORE_ADJ,
  URUN_STEP_HOOK,
  URUN_STEP_KEYRING,
  URUN_STEP_USER,
  URUN_STEP_CWD,
  URUN_STEP_EXEC_FIFO,
  URUN_STEP_CLOSE_FDS,
  URUN_STEP_EXEC,
  URUN_STEP_EXEC_NOT_FOUND,
  URUN_STEP_TERMINAL,
  URUN_STEP_CAPABILITIES,
  URUN_STEP_NO_NEW_PRIVS,
  URUN_STEP_SECCOMP,
  URUN_STEP_APPARMOR,
  URUN_STEP_SELINUX,
  URUN_STEP_PERSONALITY,
  URUN_STEP_SCHEDULER,
  URUN_STEP_IOPRIO,
  URUN_STEP_CPU_AFFINITY,
  URUN_STEP_MEMORY_POLICY,
  URUN_STEP_MOUNT_ON_SYMLINK,
  URUN_STEP_PROCFS,
  URUN_STEP_CGROUP,
  URUN_STEP_LAST_
} UrunInitStep;

#define URUN_SYNC_DETAIL_MAX 1024

/* One fixed-size message.  Fixed size so that init never allocates. */
typedef struct
{
  uint32_t type;   /* UrunSyncType */
  uint32_t step;   /* UrunInitStep, for URUN_SYNC_ERROR */
  int32_t errsv;   /* positive errno, for URUN_SYNC_ERROR */
  int32_t value;   /* message-specific number */
  char detail[URUN_SYNC_DETAIL_MAX]; /* NUL-terminated: a path, a name */
} UrunSyncMessage;

/* Fills @message; @detail may be NULL and is truncated to fit. */
void urun_sync_message_fill (UrunSyncMessage *message, UrunSyncType type, UrunInitStep step,
                             int errsv, int value, const char *detail);

/* Sends one message of @type.  @detail may be NULL; it is truncated to fit.
 * Returns 0 or -errno.  Async-signal-safe: no allocation, no locks. */
int urun_sync_send (int fd, UrunSyncType type, UrunInitStep step, int errsv, int value,
                    const char *detail);

/* Receives one message into @out.  Returns 0, -EPIPE when the peer closed
 * the socket (it died), -EBADMSG for a short or malformed message, or
 * -errno. */
int urun_sync_receive (int fd, UrunSyncMessage *out);

/* Like urun_sync_send(), with @passed_fd attached as SCM_RIGHTS (one fd,
 * one message: a SEQPACKET message and its fd arrive together). */
int urun_sync_send_fd (int fd, UrunSyncType type, int passed_fd, const char *detail);

/* Like urun_sync_receive(), and stores a passed fd (O_CLOEXEC) in
 * @out_fd, or -1 when the message carried none.  @out_fd may be NULL: a
 * passed fd is then closed. */
int urun_sync_receive_fd (int fd, UrunSyncMessage *out, int *out_fd);

/* sendmsg() of @len bytes with @passed_fd attached as SCM_RIGHTS when it
 * is >= 0.  Returns the bytes sent or -errno.  No allocation. */
ssize_t urun_send_with_fd (int socket_fd, const void *data, size_t len, int passed_fd);

/* The name of @step for messages ("mount", "pivot_root", ...). */
const char *urun_init_step_name (UrunInitStep step);
