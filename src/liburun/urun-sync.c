/* urun-sync.c: framing of parent/init messages (see urun-sync.h).
 * Zone: shared, GLib-free: init calls it between clone() and execve(). */
#include "config.h"

#include "urun-sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

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
};

const char *
urun_init_step_name (UrunInitStep step)
{
  if ((unsigned) step >= URUN_STEP_LAST_ || step_names[step] == NULL)
    return "init";
  return step_names[step];
}

int
urun_sync_send (int fd, UrunSyncType type, UrunInitStep step, int errsv, int value,
                const char *detail)
{
  UrunSyncMessage message;
  ssize_t n;

  memset (&message, 0, sizeof message);
  message.type = type;
  message.step = step;
  message.errsv = errsv < 0 ? -errsv : errsv;
  message.value = value;
  if (detail != NULL)
    {
      size_t len = strnlen (detail, sizeof message.detail - 1);
      memcpy (message.detail, detail, len);
    }

  do
    n = send (fd, &message, sizeof message, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  if ((size_t) n != sizeof message)
    return -EMSGSIZE;
  return 0;
}

int
urun_sync_receive (int fd, UrunSyncMessage *out)
{
  UrunSyncMessage message;
  ssize_t n;

  do
    n = recv (fd, &message, sizeof message, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  if (n == 0)
    return -EPIPE;
  if ((size_t) n != sizeof message || message.type < URUN_SYNC_GO || message.type >= URUN_SYNC_LAST_)
    return -EBADMSG;
  message.detail[sizeof message.detail - 1] = '\0';
  *out = message;
  return 0;
}
