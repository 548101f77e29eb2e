/* test-terminal.c: unit tests of the pieces around terminals and
 * NOTIFY_SOCKET: sync messages that carry an fd, the console socket
 * message, and the notify proxy's filter, MAINPID and READY detection. */
#include "config.h"

#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "container/urun-notify.h"
#include "init/urun-sync.h"
#include "container/urun-terminal.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static gboolean
same_file (int a, int b)
{
  struct stat sa, sb;

  return fstat (a, &sa) == 0 && fstat (b, &sb) == 0 && sa.st_dev == sb.st_dev
         && sa.st_ino == sb.st_ino;
}

static void
test_sync_fd (void)
{
  int sv[2];
  int pipefd[2];
  UrunSyncMessage message;
  int received = -1;

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
  g_assert_no_errno (pipe2 (pipefd, O_CLOEXEC));

  g_assert_cmpint (urun_sync_send_fd (sv[1], URUN_SYNC_TERMINAL, pipefd[0], "/dev/pts/3"), ==, 0);
  g_assert_cmpint (urun_sync_receive_fd (sv[0], &message, &received), ==, 0);
  g_assert_cmpuint (message.type, ==, URUN_SYNC_TERMINAL);
  g_assert_cmpstr (message.detail, ==, "/dev/pts/3");
  g_assert_cmpint (received, >=, 0);
  g_assert_true (same_file (received, pipefd[0]));
  g_assert_cmpint (fcntl (received, F_GETFD) & FD_CLOEXEC, !=, 0);
  close (received);

  /* A plain message: no fd. */
  g_assert_cmpint (urun_sync_send (sv[1], URUN_SYNC_READY, URUN_STEP_NONE, 0, 0, NULL), ==, 0);
  g_assert_cmpint (urun_sync_receive_fd (sv[0], &message, &received), ==, 0);
  g_assert_cmpuint (message.type, ==, URUN_SYNC_READY);
  g_assert_cmpint (received, ==, -1);

  /* An fd nobody asked for is dropped, and the message still arrives. */
  g_assert_cmpint (urun_sync_send_fd (sv[1], URUN_SYNC_TERMINAL, pipefd[0], NULL), ==, 0);
  g_assert_cmpint (urun_sync_receive (sv[0], &message), ==, 0);
  g_assert_cmpuint (message.type, ==, URUN_SYNC_TERMINAL);

  g_assert_cmpint (urun_sync_send_fd (sv[1], URUN_SYNC_TERMINAL, -1, NULL), ==, -EBADF);

  close (sv[0]);
  close (sv[1]);
  close (pipefd[0]);
  close (pipefd[1]);
}

static void
test_console_message (void)
{
  g_autoptr (GError) error = NULL;
  int sv[2];
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  char payload[64] = "";
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = payload, .iov_len = sizeof payload - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  struct cmsghdr *cmsg;
  ssize_t n;
  int received;

  if (master < 0)
    {
      g_test_skip ("no pty available");
      return;
    }
  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
  g_assert_true (urun_terminal_send_master (sv[1], master, "/dev/ptmx", &error));
  g_assert_no_error (error);

  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  n = recvmsg (sv[0], &msg, MSG_CMSG_CLOEXEC);
  g_assert_cmpint (n, ==, strlen ("/dev/ptmx"));
  g_assert_cmpstr (payload, ==, "/dev/ptmx");
  cmsg = CMSG_FIRSTHDR (&msg);
  g_assert_nonnull (cmsg);
  g_assert_cmpint (cmsg->cmsg_type, ==, SCM_RIGHTS);
  memcpy (&received, CMSG_DATA (cmsg), sizeof received);
  g_assert_true (same_file (received, master));
  close (received);
  close (master);
  close (sv[0]);
  close (sv[1]);
}

static void
test_console_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("urun-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dead.sock", NULL);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  /* Bound, never listened on: what a crashed receiver leaves. */
  strcpy (addr.sun_path, path);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  close (fd);
  g_assert_cmpint (urun_terminal_connect (path, &error), ==, -1);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "console socket"));
  g_unlink (path);
  g_clear_error (&error);
  g_assert_cmpint (urun_terminal_connect (path, &error), ==, -1);
  g_assert_error (error, URUN_ERROR, URUN_ERROR_NOT_FOUND);
  g_rmdir (dir);
}

static void
test_raw_mode (void)
{
  g_autoptr (GError) error = NULL;
  UrunTerminalMode mode = URUN_TERMINAL_MODE_INIT;
  struct termios before, during, after;
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  int slave;
  int null_fd;

  if (master < 0 || grantpt (master) < 0 || unlockpt (master) < 0)
    {
      g_test_skip ("no pty available");
      return;
    }
  slave = open (ptsname (master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (slave, >=, 0);
  /* The struct has padding that tcgetattr() leaves alone: memcmp() below
   * compares it too (Valgrind's memcheck makes it differ). */
  memset (&before, 0, sizeof before);
  memset (&after, 0, sizeof after);
  g_assert_no_errno (tcgetattr (slave, &before));
  g_assert_true (urun_terminal_make_raw (slave, &mode, &error));
  g_assert_cmpint (mode.fd, ==, slave);
  g_assert_no_errno (tcgetattr (slave, &during));
  g_assert_cmpint (during.c_lflag & (ECHO | ICANON | ISIG), ==, 0);
  urun_terminal_restore (&mode);
  urun_terminal_restore (&mode);
  g_assert_no_errno (tcgetattr (slave, &after));
  g_assert_cmpint (memcmp (&before, &after, sizeof before), ==, 0);

  /* Not a terminal: nothing to do, nothing to restore. */
  null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_assert_true (urun_terminal_make_raw (null_fd, &mode, &error));
  g_assert_cmpint (mode.fd, ==, -1);
  close (null_fd);
  close (slave);
  close (master);
}

/* A proxy for a fake container: a state directory with the socket create
 * would have left, and a "host" socket that collects what is relayed. */
typedef struct
{
  char *dir;
  int state_dirfd;
  int host_fd;
  char *host_path;
  char *container_path;
} NotifyFixture;

static int
bind_dgram (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  return fd;
}

static void
notify_setup (NotifyFixture *f, gconstpointer data)
{
  g_autofree char *notify_dir = NULL;

  f->dir = g_dir_make_tmp ("urun-test-XXXXXX", NULL);
  notify_dir = g_build_filename (f->dir, "notify", NULL);
  g_assert_no_errno (g_mkdir (notify_dir, 0755));
  f->container_path = g_build_filename (notify_dir, "sd.sock", NULL);
  close (bind_dgram (f->container_path));
  f->host_path = g_build_filename (f->dir, "host.sock", NULL);
  f->host_fd = bind_dgram (f->host_path);
  f->state_dirfd = open (f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void
notify_teardown (NotifyFixture *f, gconstpointer data)
{
  g_autofree char *notify_dir = g_build_filename (f->dir, "notify", NULL);

  close (f->state_dirfd);
  close (f->host_fd);
  g_unlink (f->container_path);
  g_unlink (f->host_path);
  g_rmdir (notify_dir);
  g_rmdir (f->dir);
  g_free (f->container_path);
  g_free (f->host_path);
  g_free (f->dir);
}

static void
container_send (NotifyFixture *f, const char *text)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  strcpy (addr.sun_path, f->container_path);
  g_assert_cmpint (sendto (fd, text, strlen (text), 0, (struct sockaddr *) &addr, sizeof addr),
                   ==, strlen (text));
  close (fd);
}

/* The next relayed message, or NULL when there is none. */
static char *
host_receive (NotifyFixture *f)
{
  char buffer[4096];
  ssize_t n = recv (f->host_fd, buffer, sizeof buffer, MSG_DONTWAIT);

  return n < 0 ? NULL : g_strndup (buffer, (gsize) n);
}

static void
test_notify_relay (NotifyFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunNotifyProxy) proxy = urun_notify_reopen (f->state_dirfd, f->host_path, &error);
  g_autofree char *expected_ready
    = g_strdup_printf ("MAINPID=%d\nREADY=1\nSTATUS=ok\n", (int) getpid ());
  gboolean ready = FALSE;
  char *m;
  struct stat st;

  g_assert_no_error (error);
  g_assert_nonnull (proxy);
  /* The socket create left is replaced, and open to the container's users. */
  g_assert_no_errno (stat (f->container_path, &st));
  g_assert_true (S_ISSOCK (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0777);
  urun_notify_proxy_set_main_pid (proxy, getpid ());

  container_send (f, "STATUS=warming up");
  container_send (f, "BOGUS=1\nMAINPID=1\nFDSTORE=1");
  container_send (f, "READY=10");
  urun_notify_proxy_dispatch (proxy, &ready);
  g_assert_false (ready);
  m = host_receive (f);
  g_assert_cmpstr (m, ==, "STATUS=warming up\n");
  g_free (m);
  /* Nothing of the other two is relayed. */
  g_assert_null (host_receive (f));

  container_send (f, "MAINPID=1\nREADY=1\nSTATUS=ok");
  urun_notify_proxy_dispatch (proxy, &ready);
  g_assert_true (ready);
  m = host_receive (f);
  /* The container's MAINPID=1 is replaced by its host pid. */
  g_assert_cmpstr (m, ==, expected_ready);
  g_free (m);

  container_send (f, "WATCHDOG=1\nEXTEND_TIMEOUT_USEC=5000000\nRELOADING=1\nMONOTONIC_USEC=12\n"
                     "STOPPING=1");
  ready = FALSE;
  urun_notify_proxy_dispatch (proxy, &ready);
  g_assert_false (ready);
  m = host_receive (f);
  g_assert_cmpstr (m, ==, "WATCHDOG=1\nEXTEND_TIMEOUT_USEC=5000000\nRELOADING=1\n"
                          "MONOTONIC_USEC=12\nSTOPPING=1\n");
  g_free (m);
}

static void
test_notify_mainpid (NotifyFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunNotifyProxy) proxy = urun_notify_reopen (f->state_dirfd, f->host_path, &error);
  g_autofree char *expected = g_strdup_printf ("MAINPID=%d\nREADY=1\n", (int) getpid ());
  gboolean ready = FALSE;
  g_autofree char *m = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  urun_notify_proxy_set_main_pid (proxy, getpid ());
  container_send (f, "READY=1");
  urun_notify_proxy_dispatch (proxy, &ready);
  g_assert_true (ready);
  m = host_receive (f);
  g_assert_cmpstr (m, ==, expected);
  /* MAINPID goes with the first READY=1 only. */
  container_send (f, "READY=1");
  urun_notify_proxy_dispatch (proxy, &ready);
  second = host_receive (f);
  g_assert_cmpstr (second, ==, "READY=1\n");
}

static void
test_notify_no_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("urun-test-XXXXXX", NULL);
  int dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* A container created without NOTIFY_SOCKET: nothing to serve. */
  g_assert_null (urun_notify_reopen (dirfd, "/run/systemd/notify", &error));
  g_assert_no_error (error);
  close (dirfd);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/fd", test_sync_fd);
  g_test_add_func ("/terminal/console-message", test_console_message);
  g_test_add_func ("/terminal/console-refused", test_console_refused);
  g_test_add_func ("/terminal/raw-mode", test_raw_mode);
  g_test_add ("/notify/relay", NotifyFixture, NULL, notify_setup, test_notify_relay,
              notify_teardown);
  g_test_add ("/notify/mainpid", NotifyFixture, NULL, notify_setup, test_notify_mainpid,
              notify_teardown);
  g_test_add_func ("/notify/no-dir", test_notify_no_dir);
  return g_test_run ();
}
