/* urun-sync.c: framing of parent/init messages (see urun-sync.h).
 * Zone: shared, GLib-free: init calls it between clone() and execve(). */
#include "config.h"

#include "init/urun-sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const step_names[URUN_STEP_LAST_] = {
  [URUN_STEP_NONE] = "init",
  [URUN_STEP_SYNC] = "synchronise with the runtime",
  [URUN_STEP_JOIN_NAMESPACE] = "join namespace",
  [URUN_STEP_UNSHARE] = "create namespaces",
  [URUN_STEP_BECOME_ROOT] = "become root in the user namespace",
  [URUN_STEP_ROOT_PROPAGATION] = "set the propagation of /",
  [URUN_STEP_BIND_ROOTFS] = "bind the rootfs",
  [URUN_STEP_MOUNT] = "mount",
  [URUN_STEP_MOUNT_DESTINATION] = "resolve mount destination",
  [URUN_STEP_DEVICES] = "create device",
  [URUN_STEP_PIVOT_ROOT] = "pivot_root",
  [URUN_STEP_ROOT_READONLY] = "make the root read-only",
  [URUN_STEP_MASK_PATH] = "mask path",
  [URUN_STEP_READONLY_PATH] = "make path read-only",
  [URUN_STEP_HOSTNAME] = "set hostname",
  [URUN_STEP_DOMAINNAME] = "set domainname",
  [URUN_STEP_SYSCTL] = "set sysctl",
  [URUN_STEP_RLIMIT] = "set rlimit",
  [URUN_STEP_OOM_SCORE_ADJ] = "set oom_score_adj",
  [URUN_STEP_HOOK] = "run hook",
  [URUN_STEP_KEYRING] = "create session keyring",
  [URUN_STEP_USER] = "set user",
  [URUN_STEP_CWD] = "change directory",
  [URUN_STEP_EXEC_FIFO] = "wait on exec.fifo",
  [URUN_STEP_CLOSE_FDS] = "close file descriptors",
  [URUN_STEP_EXEC] = "exec",
  [URUN_STEP_EXEC_NOT_FOUND] = "exec",
  [URUN_STEP_TERMINAL] = "set up the terminal",
  [URUN_STEP_CAPABILITIES] = "set capabilities",
  [URUN_STEP_NO_NEW_PRIVS] = "set no_new_privs",
  [URUN_STEP_SECCOMP] = "load the seccomp filter",
  [URUN_STEP_APPARMOR] = "set the AppArmor profile",
  [URUN_STEP_SELINUX] = "set the SELinux label",
  [URUN_STEP_PERSONALITY] = "set personality",
  [URUN_STEP_SCHEDULER] = "set the scheduler",
  [URUN_STEP_IOPRIO] = "set the I/O priority",
  [URUN_STEP_CPU_AFFINITY] = "set the CPU affinity",
  [URUN_STEP_MEMORY_POLICY] = "set the memory policy",
  [URUN_STEP_MOUNT_ON_SYMLINK] = "refuse a symlink as the mount point of proc or sysfs",
  [URUN_STEP_PROCFS] = "open procfs",
  [URUN_STEP_CGROUP] = "move into the container's cgroup",
};

const char *
urun_init_step_name (UrunInitStep step)
{
  if ((unsigned) step >= URUN_STEP_LAST_ || step_names[step] == NULL)
    return "init";
  return step_names[step];
}

void
urun_sync_message_fill (UrunSyncMessage *message, UrunSyncType type, UrunInitStep step, int errsv,
              int value, const char *detail)
{
  memset (message, 0, sizeof *message);
  message->type = type;
  message->step = step;
  message->errsv = errsv < 0 ? -errsv : errsv;
  message->value = value;
  if (detail != NULL)
    {
      size_t len = strnlen (detail, sizeof message->detail - 1);
      memcpy (message->detail, detail, len);
    }
}

ssize_t
urun_send_with_fd (int socket_fd, const void *data, size_t len, int passed_fd)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = (void *) data, .iov_len = len };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  ssize_t n;

  if (passed_fd >= 0)
    {
      struct cmsghdr *cmsg;

      memset (&control, 0, sizeof control);
      msg.msg_control = control.buf;
      msg.msg_controllen = sizeof control.buf;
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (cmsg), &passed_fd, sizeof (int));
    }
  do
    n = sendmsg (socket_fd, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

/* Sends @message with @passed_fd as SCM_RIGHTS when it is >= 0. */
static int
send_message (int fd, UrunSyncMessage *message, int passed_fd)
{
  ssize_t n = urun_send_with_fd (fd, message, sizeof *message, passed_fd);

  if (n < 0)
    return (int) n;
  if ((size_t) n != sizeof *message)
    return -EMSGSIZE;
  return 0;
}

int
urun_sync_send (int fd, UrunSyncType type, UrunInitStep step, int errsv, int value,
                const char *detail)
{
  UrunSyncMessage message;

  urun_sync_message_fill (&message, type, step, errsv, value, detail);
  return send_message (fd, &message, -1);
}

int
urun_sync_send_fd (int fd, UrunSyncType type, int passed_fd, const char *detail)
{
  UrunSyncMessage message;

  if (passed_fd < 0)
    return -EBADF;
  urun_sync_message_fill (&message, type, URUN_STEP_NONE, 0, 0, detail);
  return send_message (fd, &message, passed_fd);
}

int
urun_sync_receive_fd (int fd, UrunSyncMessage *out, int *out_fd)
{
  UrunSyncMessage message;
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = &message, .iov_len = sizeof message };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  struct cmsghdr *cmsg;
  int passed_fd = -1;
  ssize_t n;

  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  do
    n = recvmsg (fd, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  for (cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS
        && cmsg->cmsg_len >= CMSG_LEN (sizeof (int)))
      memcpy (&passed_fd, CMSG_DATA (cmsg), sizeof (int));
  /* Never keep a passed fd with a message that is refused, nor one the
   * caller did not ask for. */
  if (n == 0 || (size_t) n != sizeof message || message.type < URUN_SYNC_GO
      || message.type >= URUN_SYNC_LAST_ || out_fd == NULL)
    {
      if (passed_fd >= 0)
        close (passed_fd);
      passed_fd = -1;
    }
  if (n == 0)
    return -EPIPE;
  if ((size_t) n != sizeof message || message.type < URUN_SYNC_GO || message.type >= URUN_SYNC_LAST_)
    return -EBADMSG;
  message.detail[sizeof message.detail - 1] = '\0';
  *out = message;
  if (out_fd != NULL)
    *out_fd = passed_fd;
  return 0;
}

int
urun_sync_receive (int fd, UrunSyncMessage *out)
{
  return urun_sync_receive_fd (fd, out, NULL);
}
