/* urun-init-util.c: what every file of init uses: the failure and its
 * report to the parent, the messages init waits for, bounded copies, the
 * procfs handle, directories made, signals reset (see urun-init-util.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.  Calls nothing of init
 * but the message framing (urun-sync.c): every other file of init may
 * call it, and it calls none of them back.
 */
#include "config.h"

#include "init/urun-init-util.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

size_t
urun_init_strlcpy (char *dst, const char *src, size_t size)
{
  size_t len = strlen (src);

  if (size > 0)
    {
      size_t n = len < size - 1 ? len : size - 1;
      memcpy (dst, src, n);
      dst[n] = '\0';
    }
  return len;
}

int
urun_init_fail (UrunInitFailure *failure, UrunInitStep step, int errsv, const char *detail)
{
  if (errsv < 0)
    errsv = -errsv;
  failure->step = step;
  failure->errsv = errsv;
  urun_init_strlcpy (failure->detail, detail ? detail : "", sizeof failure->detail);
  return errsv > 0 ? -errsv : -EIO;
}

/* "/proc/self/fd/N" for @fd into @buf; no snprintf in this zone. */
const char *
urun_init_fd_path (char buf[URUN_INIT_FD_PATH_MAX], int fd)
{
  static const char prefix[] = "/proc/self/fd/";
  char digits[16];
  size_t n = 0, len = sizeof prefix - 1;

  memcpy (buf, prefix, len);
  do
    {
      digits[n++] = (char) ('0' + fd % 10);
      fd /= 10;
    }
  while (fd > 0 && n < sizeof digits);
  while (n > 0)
    buf[len++] = digits[--n];
  buf[len] = '\0';
  return buf;
}

/* exec.fifo, open for writing once `start` has released init, until
 * execve closes it.  Between the two, `create` has exited and nobody reads
 * the sync socket, so a failure (a startContainer hook, execve itself) is
 * written here for `start` to report. */
static int start_fifo_fd = -1;

void
urun_init_report_and_exit (const UrunInitPlan *plan, const UrunInitFailure *failure)
{
  if (start_fifo_fd >= 0)
    {
      UrunSyncMessage message;

      urun_sync_message_fill (&message, URUN_SYNC_ERROR, failure->step, failure->errsv,
                              failure->value, failure->detail);
      if (write (start_fifo_fd, &message, sizeof message) < 0)
        _exit (1);
    }
  else
    urun_sync_send (plan->sync_fd, URUN_SYNC_ERROR, failure->step, failure->errsv,
                    failure->value, failure->detail);
  /* The exit codes of a shell: 127 for a program that is not there, 126
   * for one that cannot be executed; urun itself exits with the same
   * (urun-main.c). */
  if (failure->step == URUN_STEP_EXEC_NOT_FOUND)
    _exit (127);
  if (failure->step == URUN_STEP_EXEC)
    _exit (126);
  _exit (1);
}

int
urun_init_wait_for_message (const UrunInitPlan *plan, UrunSyncType expected,
                            UrunInitFailure *failure)
{
  UrunSyncMessage message;
  int r = urun_sync_receive (plan->sync_fd, &message);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_SYNC, r, NULL);
  if (message.type != expected)
    return urun_init_fail (failure, URUN_STEP_SYNC, EPROTO, NULL);
  return 0;
}

int
urun_init_ask_parent (const UrunInitPlan *plan, UrunSyncType request, UrunInitFailure *failure)
{
  int r = urun_sync_send (plan->sync_fd, request, URUN_STEP_NONE, 0, 0, NULL);

  if (r < 0)
    return urun_init_fail (failure, URUN_STEP_SYNC, r, NULL);
  return urun_init_wait_for_message (plan, URUN_SYNC_CONTINUE, failure);
}

int
urun_init_wait_for_start (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  char path[URUN_INIT_FD_PATH_MAX];
  int fd;

  if (plan->exec_fifo_fd < 0)
    return urun_init_wait_for_message (plan, URUN_SYNC_CONTINUE, failure);

  /* Opening the fifo for writing blocks until `start` opens it for
   * reading; the byte tells `start` that init is on its way.  The fd stays
   * open (close-on-exec) so that `start` sees end-of-file only once the
   * process runs, or a failure record before it. */
  urun_init_fd_path (path, plan->exec_fifo_fd);
  do
    fd = urun_init_open_proc (path, O_WRONLY);
  while (fd == -EINTR);
  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_EXEC_FIFO, fd, "exec.fifo");
  if (write (fd, "0", 1) != 1)
    {
      int saved = errno;
      close (fd);
      return urun_init_fail (failure, URUN_STEP_EXEC_FIFO, saved, "exec.fifo");
    }
  start_fifo_fd = fd;
  return 0;
}

/* Writes @contents to @fd, which it closes.  0 or -errno. */
static int
write_and_close (int fd, const char *contents)
{
  size_t len = strlen (contents);
  ssize_t n;

  do
    n = write (fd, contents, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;
      close (fd);
      return -saved;
    }
  close (fd);
  return (size_t) n == len ? 0 : -EIO;
}

/* init's handle on procfs: an fd of the /proc urun runs with, opened first
 * thing, before any namespace is joined or any mount of the container is
 * made, and checked to be procfs, so that neither a joined mount namespace
 * nor the rootfs can put another filesystem under the files init writes.
 * "self" resolves at each openat() to the process that calls it (the real
 * init, after the stage's clone), and it does so after the chroot of a
 * container without a mount namespace of its own, whose root usually has
 * no /proc.  Until execve closes it. */
static int procfs_fd = -1;

int
urun_init_open_procfs (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  struct statfs sfs;
  int fd = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return urun_init_fail (failure, URUN_STEP_PROCFS, errno, "/proc");
  if (fstatfs (fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
    {
      int saved = errno;
      close (fd);
      return urun_init_fail (failure, URUN_STEP_PROCFS, saved ? saved : EXDEV,
                             "/proc (not a procfs)");
    }
  /* Above the fds the process is given, which survive execve. */
  procfs_fd = urun_fd_move_above (fd, 3 + plan->preserve_fds);
  if (procfs_fd < 0)
    return urun_init_fail (failure, URUN_STEP_PROCFS, -procfs_fd, "/proc");
  return 0;
}

int
urun_init_open_proc (const char *path, int flags)
{
  static const char prefix[] = "/proc/";
  int fd;

  if (procfs_fd < 0 || strncmp (path, prefix, sizeof prefix - 1) != 0)
    return -EBADF;
  fd = openat (procfs_fd, path + sizeof prefix - 1, flags | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

/* No PR_SET_DUMPABLE toggling: the files written here after init stops
 * being dumpable (attr/exec) are writable by everyone for their own
 * process; timens_offsets is written while init is still dumpable, and
 * the parent writes oom_score_adj. */
int
urun_init_write_proc (const char *path, const char *contents)
{
  int fd = urun_init_open_proc (path, O_WRONLY);

  if (fd < 0)
    return fd;
  return write_and_close (fd, contents);
}

void
urun_init_reset_signals (void)
{
  struct sigaction action;
  sigset_t none;

  /* urun blocks signals around the clone and while it waits for hooks, and
   * its caller may have ignored some (SIGPIPE); ignored signals and the
   * mask survive execve, so reset them all. */
  memset (&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &action, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

static int
make_directories (const char *path)
{
  char buffer[PATH_MAX];
  char *p;

  if (urun_init_strlcpy (buffer, path, sizeof buffer) >= sizeof buffer)
    return -ENAMETOOLONG;
  for (p = buffer + 1; *p != '\0'; p++)
    {
      if (*p != '/')
        continue;
      *p = '\0';
      if (mkdir (buffer, 0755) < 0 && errno != EEXIST)
        return -errno;
      *p = '/';
    }
  if (mkdir (buffer, 0755) < 0 && errno != EEXIST)
    return -errno;
  return 0;
}

/* mkdir -p of a directory urun itself needs in the container (process.cwd,
 * NOTIFY_SOCKET's directory).  Where the rootfs cannot be written (a
 * read-only filesystem or bind), the detail says what to create, with
 * @or_else appended to that advice. */
int
urun_init_make_needed_directory (const char *path, UrunInitStep step, const char *or_else,
                                 UrunInitFailure *failure)
{
  static const char advice[] = " (missing from the read-only rootfs: create it in the image";
  char detail[URUN_SYNC_DETAIL_MAX];
  int r = make_directories (path);
  size_t n;

  if (r == 0)
    return 0;
  if (r != -EROFS)
    return urun_init_fail (failure, step, r, path);
  n = urun_init_strlcpy (detail, path, sizeof detail);
  if (n < sizeof detail)
    n += urun_init_strlcpy (detail + n, advice, sizeof detail - n);
  if (n < sizeof detail)
    n += urun_init_strlcpy (detail + n, or_else, sizeof detail - n);
  if (n < sizeof detail)
    urun_init_strlcpy (detail + n, ")", sizeof detail - n);
  return urun_init_fail (failure, step, r, detail);
}
