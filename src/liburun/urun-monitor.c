/* urun-monitor.c: signal forwarding and reaping for a foreground `run` (see
 * urun-monitor.h).  Zone: host side (GLib). */
#include "config.h"

#include "urun-monitor.h"
#include "urun-error.h"
#include "urun-fd.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

typedef struct
{
  GMainLoop *loop;
  pid_t pid;
  int pidfd;
  int wait_status;
  gboolean exited;
} Monitor;

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
        reap_children (monitor);
      else
        forward (monitor, (int) info.ssi_signo);
    }
  return G_SOURCE_CONTINUE;
}

gboolean
urun_monitor_wait (pid_t pid, int pidfd, int *out_wait_status, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr (GSource) source = NULL;
  URUN_AUTOCLOSE int sfd = -1;
  Monitor monitor = { loop, pid, pidfd, 0, FALSE };
  sigset_t set;

  forwarded_signals (&set);
  sfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    return urun_fail_errno (error, errno, "signalfd");

  source = g_unix_fd_source_new (sfd, G_IO_IN);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_signal, &monitor, NULL);
  g_source_attach (source, context);

  /* init may have exited before the signalfd existed: its SIGCHLD is then
   * pending in the blocked set and the signalfd reports it, but reap once
   * anyway in case the status was collected some other way. */
  reap_children (&monitor);
  if (!monitor.exited)
    g_main_loop_run (loop);
  g_source_destroy (source);

  *out_wait_status = monitor.wait_status;
  return TRUE;
}
