/* urun-monitor.c: signal forwarding, reaping, the terminal relay and the
 * notify proxy of a foreground `run` (see urun-monitor.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "container/urun-monitor.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "container/urun-terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bytes one relay direction holds before it stops reading its source. */
#define RELAY_BUFFER 16384
/* At most this much per write: a pipe or terminal that polls writable
 * takes a page without blocking, and urun's stdout stays in blocking mode
 * (its flags belong to the file description urun shares with its caller). */
#define RELAY_CHUNK 4096

/* Signals the kernel raises for a fault of urun itself stay unblocked. */
static void
forwarded_signals (sigset_t *set)
{
  sigfillset (set);
  sigdelset (set, SIGKILL);
  sigdelset (set, SIGSTOP);
  sigdelset (set, SIGSEGV);
  sigdelset (set, SIGBUS);
  sigdelset (set, SIGILL);
  sigdelset (set, SIGFPE);
  sigdelset (set, SIGTRAP);
  sigdelset (set, SIGABRT);
  sigdelset (set, SIGSYS);
}

void
urun_monitor_block_signals (sigset_t *out_saved)
{
  sigset_t set;

  forwarded_signals (&set);
  sigprocmask (SIG_BLOCK, &set, out_saved);
}

int
urun_monitor_exit_status (int wait_status)
{
  if (WIFSIGNALED (wait_status))
    return 128 + WTERMSIG (wait_status);
  return WEXITSTATUS (wait_status);
}

typedef struct _Monitor Monitor;

/* One direction of the terminal relay: src -> buffer -> dst, each end
 * watched only while it can make progress. */
typedef struct
{
  Monitor *monitor;
  int src;
  int dst;
  char buffer[RELAY_BUFFER];
  gsize len;
  gsize off;
  gboolean src_done;   /* end of file or error: read no more */
  gboolean dst_dead;   /* cannot be written: drop what comes */
  GSource *src_source;
  GSource *dst_source;
} Relay;

struct _Monitor
{
  GMainContext *context;
  GMainLoop *loop;
  pid_t pid;
  int pidfd;
  int wait_status;
  gboolean exited;
  int terminal_fd;     /* the pty master, or -1 */
  int size_fd;         /* urun's terminal, for the window size, or -1 */
  UrunNotifyProxy *notify;
  Relay to_container;
  Relay from_container;
};

static void
reap_children (Monitor *monitor)
{
  for (;;)
    {
      int status;
      pid_t child = waitpid (-1, &status, WNOHANG);

      if (child <= 0)
        break;
      if (child == monitor->pid)
        {
          monitor->wait_status = status;
          monitor->exited = TRUE;
          g_main_loop_quit (monitor->loop);
        }
    }
}

static void
forward (Monitor *monitor, int signum)
{
  if (monitor->exited)
    return;
  g_debug ("forwarding signal %d to process %d", signum, (int) monitor->pid);
  if (monitor->pidfd >= 0)
    syscall (SYS_pidfd_send_signal, monitor->pidfd, signum, NULL, 0);
  else
    kill (monitor->pid, signum);
}

static gboolean
on_signal (int fd, GIOCondition condition, gpointer user_data)
{
  Monitor *monitor = user_data;
  struct signalfd_siginfo info;

  while (read (fd, &info, sizeof info) == sizeof info)
    {
      if (info.ssi_signo == SIGCHLD)
        {
          /* What the payload sent before it died goes out first, while
           * its pid (a zombie now) can still be named as the sender. */
          if (monitor->notify != NULL)
            urun_notify_proxy_dispatch (monitor->notify, NULL);
          reap_children (monitor);
        }
      else if ((pid_t) info.ssi_pid == getpid ())
        /* urun's own doing (SIGPIPE of a write to a closed stdout): not
         * the user's wish, and not the container's business. */
        continue;
      else if (info.ssi_signo == SIGWINCH && monitor->terminal_fd >= 0)
        {
          if (monitor->size_fd >= 0)
            urun_terminal_copy_size (monitor->size_fd, monitor->terminal_fd);
        }
      else
        forward (monitor, (int) info.ssi_signo);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_notify (int fd, GIOCondition condition, gpointer user_data)
{
  Monitor *monitor = user_data;

  urun_notify_proxy_dispatch (monitor->notify, NULL);
  return G_SOURCE_CONTINUE;
}

static GSource *
watch_fd (Monitor *monitor, int fd, GIOCondition condition, GUnixFDSourceFunc func,
          gpointer data)
{
  GSource *source = g_unix_fd_source_new (fd, condition);

  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) func, data, NULL);
  g_source_attach (source, monitor->context);
  return source;
}

static void
unwatch (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static gboolean on_relay_readable (int fd, GIOCondition condition, gpointer user_data);
static gboolean on_relay_writable (int fd, GIOCondition condition, gpointer user_data);

static void
relay_update (Relay *relay)
{
  /* With a dead destination the source is still read, and dropped: a
   * container writing to its terminal must not block because urun's
   * stdout went away. */
  gboolean want_read = !relay->src_done && relay->len < sizeof relay->buffer;
  gboolean want_write = !relay->dst_dead && relay->len > relay->off;

  if (want_read && relay->src_source == NULL)
    relay->src_source = watch_fd (relay->monitor, relay->src, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                  on_relay_readable, relay);
  else if (!want_read)
    unwatch (&relay->src_source);
  if (want_write && relay->dst_source == NULL)
    relay->dst_source = watch_fd (relay->monitor, relay->dst, G_IO_OUT | G_IO_ERR,
                                  on_relay_writable, relay);
  else if (!want_write)
    unwatch (&relay->dst_source);
}

static gboolean
on_relay_readable (int fd, GIOCondition condition, gpointer user_data)
{
  Relay *relay = user_data;
  ssize_t n = read (relay->src, relay->buffer + relay->len, sizeof relay->buffer - relay->len);

  if (n > 0 && !relay->dst_dead)
    relay->len += (gsize) n;
  else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    /* EOF, or EIO: the pty's slave is closed, or urun's stdin is a
     * terminal it may not read (a background job). */
    relay->src_done = TRUE;
  relay_update (relay);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_relay_writable (int fd, GIOCondition condition, gpointer user_data)
{
  Relay *relay = user_data;
  ssize_t n = write (relay->dst, relay->buffer + relay->off,
                     MIN (relay->len - relay->off, RELAY_CHUNK));

  if (n > 0)
    {
      relay->off += (gsize) n;
      if (relay->off == relay->len)
        relay->off = relay->len = 0;
    }
  else if (n < 0 && errno != EAGAIN && errno != EINTR)
    {
      relay->dst_dead = TRUE;
      relay->off = relay->len = 0;
    }
  relay_update (relay);
  return G_SOURCE_CONTINUE;
}

static void
relay_start (Monitor *monitor, Relay *relay, int src, int dst)
{
  relay->monitor = monitor;
  relay->src = src;
  relay->dst = dst;
  /* A closed stdin or stdout: nothing to relay that way. */
  relay->src_done = fcntl (src, F_GETFD) < 0;
  relay->dst_dead = fcntl (dst, F_GETFD) < 0;
  relay_update (relay);
}

static void
relay_stop (Relay *relay)
{
  unwatch (&relay->src_source);
  unwatch (&relay->dst_source);
}

/* After init's exit: what the container wrote last is still in the pty
 * (and in our buffer); it goes out before urun does.  Bounded, in case a
 * process outside init's pid namespace keeps writing. */
static void
drain_terminal (Monitor *monitor)
{
  Relay *relay = &monitor->from_container;

  if (relay->dst_dead)
    return;
  if (urun_write_all (relay->dst, relay->buffer + relay->off, relay->len - relay->off) < 0)
    return;
  relay->off = relay->len = 0;
  for (int i = 0; i < 256 && !relay->src_done; i++)
    {
      ssize_t n = read (relay->src, relay->buffer, sizeof relay->buffer);

      if (n <= 0 || urun_write_all (relay->dst, relay->buffer, (gsize) n) < 0)
        break;
    }
}

gboolean
urun_monitor_wait (pid_t pid, int pidfd, const UrunMonitorOptions *options,
                   int *out_wait_status, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr (GSource) signal_source = NULL;
  g_autoptr (GSource) notify_source = NULL;
  g_autofree Monitor *monitor = g_new0 (Monitor, 1);
  UrunTerminalMode mode = URUN_TERMINAL_MODE_INIT;
  URUN_AUTOCLOSE int sfd = -1;
  sigset_t set;

  monitor->context = context;
  monitor->loop = loop;
  monitor->pid = pid;
  monitor->pidfd = pidfd;
  monitor->terminal_fd = options ? options->terminal_fd : -1;
  monitor->size_fd = -1;
  monitor->notify = options ? options->notify : NULL;

  forwarded_signals (&set);
  sfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    return urun_fail_errno (error, errno, "signalfd");

  signal_source = watch_fd (monitor, sfd, G_IO_IN, on_signal, monitor);
  if (monitor->notify != NULL)
    notify_source = watch_fd (monitor, urun_notify_proxy_get_fd (monitor->notify), G_IO_IN,
                              on_notify, monitor);

  if (monitor->terminal_fd >= 0)
    {
      g_autoptr (GError) raw_error = NULL;
      int flags = fcntl (monitor->terminal_fd, F_GETFL);

      if (flags >= 0)
        fcntl (monitor->terminal_fd, F_SETFL, flags | O_NONBLOCK);
      if (isatty (STDIN_FILENO))
        monitor->size_fd = STDIN_FILENO;
      else if (isatty (STDOUT_FILENO))
        monitor->size_fd = STDOUT_FILENO;
      if (monitor->size_fd >= 0)
        urun_terminal_copy_size (monitor->size_fd, monitor->terminal_fd);
      /* From here to the restore below there is no return: signals come
       * through the signalfd, so none ends urun with the terminal raw. */
      if (!urun_terminal_make_raw (STDIN_FILENO, &mode, &raw_error))
        g_debug ("%s", raw_error->message);
      relay_start (monitor, &monitor->to_container, STDIN_FILENO, monitor->terminal_fd);
      relay_start (monitor, &monitor->from_container, monitor->terminal_fd, STDOUT_FILENO);
    }

  /* init may have exited before the signalfd existed: its SIGCHLD is then
   * pending in the blocked set and the signalfd reports it, but reap once
   * anyway in case the status was collected some other way. */
  g_debug ("waiting for process %d: forwarding signals%s", (int) pid,
           monitor->terminal_fd >= 0 ? ", relaying its terminal" : "");
  reap_children (monitor);
  if (!monitor->exited)
    g_main_loop_run (loop);
  if (WIFSIGNALED (monitor->wait_status))
    g_debug ("process %d was killed by signal %d", (int) pid, WTERMSIG (monitor->wait_status));
  else
    g_debug ("process %d exited with status %d", (int) pid, WEXITSTATUS (monitor->wait_status));

  if (monitor->terminal_fd >= 0)
    {
      relay_stop (&monitor->to_container);
      relay_stop (&monitor->from_container);
      drain_terminal (monitor);
      urun_terminal_restore (&mode);
    }
  if (monitor->notify != NULL)
    {
      /* A last STOPPING=1 or STATUS= sent on the way out. */
      urun_notify_proxy_dispatch (monitor->notify, NULL);
      g_source_destroy (notify_source);
    }
  g_source_destroy (signal_source);

  *out_wait_status = monitor->wait_status;
  return TRUE;
}
