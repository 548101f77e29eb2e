/* urun-init-terminal.c: process.terminal in init: the pty, /dev/console,
 * the controlling terminal and fds 0-2 (see urun_init_setup_terminal() in
 * urun-init-terminal.h).
 *
 * Zone: init.  No GLib, no allocation, no stdio.
 *
 * Why the pty comes from the container and not from urun: a pty belongs to
 * the devpts instance of the ptmx it was opened from.  Opened by urun from
 * the host's /dev/ptmx, its slave would be /dev/pts/N of the host, a path
 * that names nothing (or another terminal) in the container's own devpts:
 * ttyname(), `tty`, ssh-style re-opening of the terminal and /dev/console
 * would all be wrong, and in a user namespace the slave would be owned by
 * ids the container cannot map.  So init opens it after pivot_root from
 * the container's /dev/pts/ptmx and hands the master to the parent over
 * the sync socket, as runc and crun do.  The parent keeps it for a
 * foreground `run` or sends it on to --console-socket.
 */
#include "config.h"

#include "init/urun-init-terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

/* The container's own ptmx first: /dev/ptmx may be a bind of the host's
 * node (rootless /dev) rather than the link into /dev/pts. */
static int
open_master (void)
{
  int fd = open ("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

  if (fd < 0)
    fd = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

/* The slave of @master.  TIOCGPTPEER (Linux 4.13) opens it through the
 * master, so no path lookup can be raced or resolve into another devpts;
 * older kernels open @path. */
static int
open_slave (int master, const char *path)
{
  int fd = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);

  if (fd < 0 && (errno == EINVAL || errno == ENOTTY))
    fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

/* Binds the slave onto /dev/console, so that programs that write to the
 * console (and systemd as a payload) reach the terminal.  The file
 * usually exists already (urun-init-devices.c makes it for create_console). */
static int
bind_console (int slave, const char *slave_path)
{
  char fd_path[URUN_INIT_FD_PATH_MAX];
  const char *source = slave_path;
  struct stat by_path, by_fd;

  /* A /dev/pts that is not the pty's devpts (no devpts of its own in the
   * config) has no, or another, node at that path: bind through the fd. */
  if (stat (slave_path, &by_path) < 0 || fstat (slave, &by_fd) < 0
      || by_path.st_rdev != by_fd.st_rdev)
    {
      source = urun_init_fd_path (fd_path, slave);
    }
  if (mount (source, "/dev/console", NULL, MS_BIND, NULL) == 0)
    return 0;
  if (errno != ENOENT)
    return -errno;
  {
    int fd = open ("/dev/console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0 && errno != EEXIST)
      return -errno;
    if (fd >= 0)
      close (fd);
  }
  return mount (source, "/dev/console", NULL, MS_BIND, NULL) == 0 ? 0 : -errno;
}

int
urun_init_setup_terminal (const UrunInitPlan *plan, UrunInitFailure *failure)
{
  char slave_path[32];
  unsigned int number = 0;
  int unlock = 0;
  int master, slave;
  int r;

  if (!plan->terminal)
    return 0;

  master = open_master ();
  if (master < 0)
    return urun_init_fail (failure, URUN_STEP_TERMINAL, master, "/dev/ptmx");
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0 || ioctl (master, TIOCGPTN, &number) < 0)
    {
      r = errno;
      close (master);
      return urun_init_fail (failure, URUN_STEP_TERMINAL, r, "unlock the pty");
    }
  snprintf (slave_path, sizeof slave_path, "/dev/pts/%u", number);
  slave = open_slave (master, slave_path);
  if (slave < 0)
    {
      close (master);
      return urun_init_fail (failure, URUN_STEP_TERMINAL, slave, slave_path);
    }

  /* consoleSize before anybody reads the size; a foreground `run` then
   * sets the size of urun's own terminal on the master. */
  if (plan->console_rows > 0 && plan->console_cols > 0)
    {
      struct winsize size = { .ws_row = plan->console_rows, .ws_col = plan->console_cols };

      if (ioctl (slave, TIOCSWINSZ, &size) < 0)
        {
          r = errno;
          goto fail;
        }
    }

  /* The terminal belongs to the process's user, as login(1) would leave
   * it, so that it may reopen it by name.  An id the user namespace does
   * not map (EINVAL) leaves it to the container's root. */
  if (fchown (slave, plan->uid, (gid_t) -1) < 0 && errno != EINVAL && errno != EPERM)
    {
      r = errno;
      goto fail;
    }

  /* Only for the container's own process: an `exec` shares the
   * container's mount namespace, and must not take /dev/console away from
   * the terminal of init (urun-init-exec.c leaves create_console off). */
  r = plan->create_console ? bind_console (slave, slave_path) : 0;
  if (r < 0)
    {
      close (master);
      close (slave);
      return urun_init_fail (failure, URUN_STEP_TERMINAL, r, "/dev/console");
    }

  r = urun_sync_send_fd (plan->sync_fd, URUN_SYNC_TERMINAL, master, slave_path);
  close (master);
  if (r < 0)
    {
      close (slave);
      return urun_init_fail (failure, URUN_STEP_SYNC, r, "send the pty master");
    }

  /* A session of its own, with the slave as its controlling terminal: the
   * line discipline then sends SIGINT, SIGWINCH, SIGHUP... to the
   * process.  TIOCSCTTY makes our process group the terminal's
   * foreground group. */
  if (setsid () < 0 || ioctl (slave, TIOCSCTTY, 0) < 0)
    {
      r = errno;
      close (slave);
      return urun_init_fail (failure, URUN_STEP_TERMINAL, r, "controlling terminal");
    }
  for (int fd = 0; fd <= 2; fd++)
    if (dup2 (slave, fd) < 0)
      {
        r = errno;
        close (slave);
        return urun_init_fail (failure, URUN_STEP_TERMINAL, r, "stdio");
      }
  if (slave > 2)
    close (slave);
  return 0;

fail:
  close (master);
  close (slave);
  return urun_init_fail (failure, URUN_STEP_TERMINAL, r, slave_path);
}
