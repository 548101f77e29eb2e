/* urun-proc.c: processes through /proc (see urun-proc.h).
 * Zone: host side; the parser is a raw helper. */
#include "config.h"

#include "util/urun-proc.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Field 22 of stat(5) is the 20th field after the closing ')' of comm
 * (fields 3..22). */
#define FIELDS_AFTER_COMM 20

int
urun_proc_stat_parse (const char *text, size_t len, UrunProcStat *out_stat)
{
  const char *close = NULL;
  const char *p;
  const char *end = text + len;
  UrunProcStat parsed = { 0 };
  int field = 0;

  /* comm is attacker-chosen (prctl PR_SET_NAME) and may hold ") " itself:
   * only the last ')' is the end of it. */
  for (p = text; p < end; p++)
    if (*p == ')')
      close = p;
  if (close == NULL)
    return -EINVAL;

  p = close + 1;
  while (p < end && field < FIELDS_AFTER_COMM)
    {
      const char *start;
      uint64_t value = 0;
      int numeric = 1;

      while (p < end && *p == ' ')
        p++;
      if (p >= end || *p == '\n')
        break;
      start = p;
      while (p < end && *p != ' ' && *p != '\n')
        {
          if (*p >= '0' && *p <= '9' && numeric)
            {
              if (value > (UINT64_MAX - 9) / 10)
                return -EINVAL;
              value = value * 10 + (uint64_t) (*p - '0');
            }
          else
            numeric = 0;
          p++;
        }
      field++;
      switch (field)
        {
        case 1: /* field 3: state */
          if (p - start != 1)
            return -EINVAL;
          parsed.state = *start;
          break;
        case 2: /* field 4: ppid */
          if (!numeric)
            return -EINVAL;
          parsed.ppid = (pid_t) value;
          break;
        case FIELDS_AFTER_COMM: /* field 22: starttime */
          if (!numeric)
            return -EINVAL;
          parsed.start_time = value;
          break;
        default:
          break;
        }
    }
  if (field < FIELDS_AFTER_COMM)
    return -EINVAL;
  *out_stat = parsed;
  return 0;
}

gboolean
urun_proc_stat_read (pid_t pid, UrunProcStat *out_stat, GError **error)
{
  URUN_AUTOCLOSE int fd = -1;
  char path[64];
  char buffer[4096];
  size_t total = 0;
  int r;

  g_return_val_if_fail (pid > 0, FALSE);

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return urun_fail_errno (error, errno, "open `%s`", path);
  for (;;)
    {
      ssize_t n = read (fd, buffer + total, sizeof buffer - total);

      if (n < 0 && errno == EINTR)
        continue;
      /* A process that exits between open and read yields ESRCH. */
      if (n < 0)
        return urun_fail_errno (error, errno, "read `%s`", path);
      if (n == 0)
        break;
      total += (size_t) n;
      if (total == sizeof buffer)
        break;
    }
  r = urun_proc_stat_parse (buffer, total, out_stat);
  if (r < 0)
    return urun_fail (error, URUN_ERROR_FAILED, "cannot parse `%s`", path);
  return TRUE;
}

gboolean
urun_proc_is_alive (pid_t pid, uint64_t start_time)
{
  g_autoptr (GError) local_error = NULL;
  UrunProcStat stat;

  if (pid <= 0)
    return FALSE;
  if (!urun_proc_stat_read (pid, &stat, &local_error))
    {
      g_debug ("process %d: %s", (int) pid, local_error->message);
      return FALSE;
    }
  /* A zombie has finished running; 'X' is the instant before it is gone. */
  if (stat.state == 'Z' || stat.state == 'X')
    return FALSE;
  if (start_time != 0 && stat.start_time != start_time)
    return FALSE;
  return TRUE;
}

void
urun_proc_pid_namespace_others (pid_t init, GArray *pids)
{
  g_autofree char *init_ns_path = g_strdup_printf ("/proc/%d/ns/pid", (int) init);
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  struct stat init_ns, own_ns;
  const char *name;

  if (proc == NULL || stat (init_ns_path, &init_ns) < 0 || stat ("/proc/self/ns/pid", &own_ns) < 0
      || init_ns.st_ino == own_ns.st_ino)
    return;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *ns_path = NULL;
      struct stat st;
      gint64 pid = g_ascii_strtoll (name, NULL, 10);

      if (pid <= 0 || pid == init)
        continue;
      ns_path = g_strdup_printf ("/proc/%s/ns/pid", name);
      if (stat (ns_path, &st) == 0 && st.st_ino == init_ns.st_ino && st.st_dev == init_ns.st_dev)
        {
          pid_t p = (pid_t) pid;

          g_array_append_val (pids, p);
        }
    }
}

static gint
compare_pids (gconstpointer a, gconstpointer b)
{
  return *(const pid_t *) a - *(const pid_t *) b;
}

void
urun_proc_sort_pids (GArray *pids)
{
  g_array_sort (pids, compare_pids);
}

gboolean
urun_proc_write_oom_score_adj (pid_t pid, int value, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/oom_score_adj", (int) pid);
  g_autofree char *text = g_strdup_printf ("%d", value);
  URUN_AUTOCLOSE int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t n = -1;

  if (fd >= 0)
    do
      n = write (fd, text, strlen (text));
    while (n < 0 && errno == EINTR);
  if (n < 0)
    return urun_fail (error, URUN_ERROR_INIT_FAILED, "set oom_score_adj `%s`: %s", text,
                      g_strerror (errno));
  return TRUE;
}

int
urun_proc_pidfd_open_verified (pid_t pid, uint64_t start_time)
{
  int pidfd;

  if (pid <= 0)
    {
      errno = ESRCH;
      return -1;
    }
  pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  if (pidfd < 0)
    return -1;
  /* After pidfd_open: the pidfd pins the process it was opened on, so if
   * that one still has the recorded start time now, nothing done through
   * the pidfd can reach a newcomer that reused the pid. */
  if (!urun_proc_is_alive (pid, start_time))
    {
      close (pidfd);
      errno = ESRCH;
      return -1;
    }
  return pidfd;
}

gboolean
urun_proc_signal (pid_t pid, uint64_t start_time, int signum)
{
  URUN_AUTOCLOSE int pidfd = urun_proc_pidfd_open_verified (pid, start_time);

  if (pidfd < 0)
    return FALSE;
  return syscall (SYS_pidfd_send_signal, pidfd, signum, NULL, 0) == 0;
}

void
urun_proc_signal_pid_namespace_others (pid_t init, uint64_t init_start_time, int signum)
{
  URUN_AUTOCLOSE int init_pidfd = urun_proc_pidfd_open_verified (init, init_start_time);
  g_autoptr (GArray) pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autofree char *init_ns_path = g_strdup_printf ("/proc/%d/ns/pid", (int) init);
  struct stat init_ns;

  /* init, still ours and pinned by its pidfd, names the namespace. */
  if (init_pidfd < 0 || stat (init_ns_path, &init_ns) < 0)
    return;
  urun_proc_pid_namespace_others (init, pids);
  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);
      URUN_AUTOCLOSE int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
      g_autofree char *ns_path = g_strdup_printf ("/proc/%d/ns/pid", (int) pid);
      struct stat st;

      /* Checked again once the pidfd pins the process: a pid that was
       * reused since the listing belongs to another namespace now. */
      if (pidfd >= 0 && stat (ns_path, &st) == 0 && st.st_ino == init_ns.st_ino
          && st.st_dev == init_ns.st_dev)
        syscall (SYS_pidfd_send_signal, pidfd, signum, NULL, 0);
    }
}
