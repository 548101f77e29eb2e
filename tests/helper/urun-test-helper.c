/* urun-test-helper.c: a static probe that integration tests run inside
 * containers.  Zone: test payload (plain libc, no GLib, linked -static so it
 * needs nothing from the rootfs).
 *
 * `urun-test-helper [report]` prints one JSON object, on one line, describing
 * what the process sees: credentials, fds, limits, capabilities, namespaces,
 * mounts, /dev and so on.  The other subcommands give tests a payload with a
 * known behaviour:
 *
 *   exit N                 exit with status N
 *   sleep SECS             sleep (fractions allowed), then exit 0
 *   pause [READY_FILE]     block every signal, create READY_FILE (if given)
 *                          once they are blocked, then print the name of each
 *                          signal received, one per line; exit 143 on SIGTERM
 *   cat-file PATH          copy PATH to stdout
 *   write-file PATH TEXT   write TEXT (no newline added) to PATH, mode 0644
 *   ls PATH                print the names in directory PATH, sorted, one per
 *                          line (without . and ..)
 *   notify MSG             send MSG (sd_notify(3) text, "\n" between
 *                          assignments) as one datagram to $NOTIFY_SOCKET
 *   notify-file PATH       send the bytes of PATH (any, up to 256 KiB) as
 *                          one datagram to $NOTIFY_SOCKET
 *   syscall NAME [ARG...]  make one system call and print "ok" or
 *                          "errno N NAME" (exit 0 either way): mkdir PATH,
 *                          getppid, getpriority WHICH WHO, open-wronly PATH,
 *                          open-rdonly PATH, nr NUMBER (that syscall number,
 *                          no arguments)
 *
 * Errors go to stderr as "urun-test-helper: ..." with exit status 1; a usage
 * error exits with 2.  */

#include "urun-test-helper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int
fail (const char *what, int errnum)
{
  fprintf (stderr, "urun-test-helper: %s: %s\n", what, strerror (errnum));
  return 1;
}

static int
usage (void)
{
  fputs ("usage: urun-test-helper [report | exit N | sleep SECS | pause [READY_FILE]\n"
         "                         | cat-file PATH | write-file PATH TEXT | ls PATH\n"
         "                         | notify MSG | notify-file PATH\n"
         "                         | syscall NAME [ARG...]]\n",
         stderr);
  return 2;
}

/* ---- report: credentials and process ---------------------------------- */

static void report_session_keyring (JsonOut *j);

static void
report_ids (JsonOut *j)
{
  gid_t groups[NGROUPS_MAX];
  int n = getgroups (NGROUPS_MAX, groups);

  json_key (j, "pid");
  json_int (j, getpid ());
  json_key (j, "ppid");
  json_int (j, getppid ());
  json_key (j, "sid");
  json_int (j, getsid (0));
  json_key (j, "pgid");
  json_int (j, getpgid (0));
  json_key (j, "uid");
  json_int (j, getuid ());
  json_key (j, "gid");
  json_int (j, getgid ());
  json_key (j, "euid");
  json_int (j, geteuid ());
  json_key (j, "egid");
  json_int (j, getegid ());
  json_key (j, "groups");
  json_begin_array (j);
  for (int i = 0; i < n; i++)
    json_int (j, groups[i]);
  json_end_array (j);
}

static void
report_strv (JsonOut *j, const char *key, char **v)
{
  json_key (j, key);
  json_begin_array (j);
  for (; v != NULL && *v != NULL; v++)
    json_string (j, *v);
  json_end_array (j);
}

static void
report_process (JsonOut *j, char **argv)
{
  char buf[PATH_MAX];
  struct utsname uts;
  mode_t mask;
  int persona;

  json_key (j, "cwd");
  if (getcwd (buf, sizeof buf) != NULL)
    json_string (j, buf);
  else
    json_null (j);

  report_strv (j, "argv", argv);
  report_strv (j, "env", environ);

  json_key (j, "hostname");
  if (uname (&uts) == 0)
    {
      json_string (j, uts.nodename);
      json_key (j, "domainname");
      json_string (j, uts.domainname);
    }
  else
    {
      json_null (j);
      json_key (j, "domainname");
      json_null (j);
    }

  /* umask() can only be read by setting it; put it back at once. */
  mask = umask (022);
  umask (mask);
  snprintf (buf, sizeof buf, "%04o", (unsigned) mask);
  json_key (j, "umask");
  json_string (j, buf);

  persona = personality (0xffffffff);
  json_key (j, "personality");
  json_int (j, persona);

  json_key (j, "oom_score_adj");
  if (read_small_file ("/proc/self/oom_score_adj", buf, sizeof buf) >= 0)
    json_int (j, strtol (buf, NULL, 10));
  else
    json_null (j);

  report_session_keyring (j);

  json_key (j, "stdin_tty");
  json_bool (j, isatty (STDIN_FILENO));
  json_key (j, "stdin_tty_name");
  if (isatty (STDIN_FILENO) && ttyname_r (STDIN_FILENO, buf, sizeof buf) == 0)
    json_string (j, buf);
  else
    json_null (j);
}

/* ---- report: fds ------------------------------------------------------- */

static void
report_fds (JsonOut *j)
{
  DIR *d = opendir ("/proc/self/fd");
  struct dirent *de;
  int own;

  json_key (j, "fds");
  json_begin_array (j);
  if (d == NULL)
    {
      json_end_array (j);
      return;
    }
  own = dirfd (d);
  while ((de = readdir (d)) != NULL)
    {
      char path[64], target[PATH_MAX];
      ssize_t len;
      int fd;

      if (de->d_name[0] == '.')
        continue;
      fd = atoi (de->d_name);
      if (fd == own)
        continue;
      snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
      len = readlink (path, target, sizeof target - 1);
      target[len < 0 ? 0 : len] = '\0';
      json_begin_object (j);
      json_key (j, "fd");
      json_int (j, fd);
      json_key (j, "target");
      json_string (j, target);
      json_end_object (j);
    }
  closedir (d);
  json_end_array (j);
}

/* ---- report: limits, capabilities, security --------------------------- */

static const struct
{
  const char *name;
  int resource;
} rlimits[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

static void
json_rlim (JsonOut *j, rlim_t v)
{
  if (v == RLIM_INFINITY)
    json_int (j, -1);
  else
    json_int (j, (long long) v);
}

static void
report_rlimits (JsonOut *j)
{
  json_key (j, "rlimits");
  json_begin_object (j);
  for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++)
    {
      struct rlimit rl;

      if (getrlimit ((__rlimit_resource_t) rlimits[i].resource, &rl) < 0)
        continue;
      json_key (j, rlimits[i].name);
      json_begin_object (j);
      json_key (j, "soft");
      json_rlim (j, rl.rlim_cur);
      json_key (j, "hard");
      json_rlim (j, rl.rlim_max);
      json_end_object (j);
    }
  json_end_object (j);
}

/* Copies the value of "Key:" from /proc/self/status, whitespace trimmed.  */
static int
status_field (const char *status, const char *key, char *out, size_t size)
{
  size_t klen = strlen (key);
  const char *p = status;

  while (p != NULL && *p != '\0')
    {
      if (strncmp (p, key, klen) == 0 && p[klen] == ':')
        {
          const char *v = p + klen + 1;
          size_t n;

          v += strspn (v, " \t");
          n = strcspn (v, "\n");
          if (n >= size)
            n = size - 1;
          memcpy (out, v, n);
          out[n] = '\0';
          return 0;
        }
      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }
  return -1;
}

static void
report_status (JsonOut *j)
{
  static const char *const caps[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" };
  char status[8192], v[256];

  if (read_small_file ("/proc/self/status", status, sizeof status) < 0)
    status[0] = '\0';

  json_key (j, "capabilities");
  json_begin_object (j);
  for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
    {
      json_key (j, caps[i]);
      if (status_field (status, caps[i], v, sizeof v) == 0)
        json_string (j, v);
      else
        json_null (j);
    }
  json_end_object (j);

  json_key (j, "no_new_privs");
  json_int (j, prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));

  json_key (j, "seccomp");
  if (status_field (status, "Seccomp", v, sizeof v) == 0)
    json_int (j, strtol (v, NULL, 10));
  else
    json_null (j);

  json_key (j, "seccomp_filters");
  if (status_field (status, "Seccomp_filters", v, sizeof v) == 0)
    json_int (j, strtol (v, NULL, 10));
  else
    json_null (j);

  json_key (j, "sig_blocked");
  if (status_field (status, "SigBlk", v, sizeof v) == 0)
    json_string (j, v);
  else
    json_null (j);

  json_key (j, "sig_ignored");
  if (status_field (status, "SigIgn", v, sizeof v) == 0)
    json_string (j, v);
  else
    json_null (j);
}

/* ---- report: namespaces, cgroups, mounts, /dev ------------------------ */

static void
report_namespaces (JsonOut *j)
{
  static const char *const names[] = {
    "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
    "time", "time_for_children", "user", "uts",
  };

  json_key (j, "namespaces");
  json_begin_object (j);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      char path[64], target[256];
      ssize_t len;

      snprintf (path, sizeof path, "/proc/self/ns/%s", names[i]);
      len = readlink (path, target, sizeof target - 1);
      if (len < 0)
        continue;
      target[len] = '\0';
      json_key (j, names[i]);
      json_string (j, target);
    }
  json_end_object (j);
}

static void
report_cgroups (JsonOut *j)
{
  char buf[8192];
  char *line, *save = NULL;

  json_key (j, "cgroups");
  json_begin_array (j);
  if (read_small_file ("/proc/self/cgroup", buf, sizeof buf) >= 0)
    for (line = strtok_r (buf, "\n", &save); line != NULL; line = strtok_r (NULL, "\n", &save))
      json_string (j, line);
  json_end_array (j);
}

/* "session_keyring": {"serial": N, "description": "type;uid;gid;perm;name"}
 * of the process's session keyring, without creating one; null when the
 * kernel has no keyrings or refuses.  The description may be null when
 * the keyring cannot be viewed.  */
static void
report_session_keyring (JsonOut *j)
{
  /* KEYCTL_GET_KEYRING_ID, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING from
   * <linux/keyctl.h>, spelled out to keep the helper's includes small.  */
  long serial = syscall (SYS_keyctl, 0, -3, 0);
  char desc[512];
  long n;

  json_key (j, "session_keyring");
  if (serial < 0)
    {
      json_null (j);
      return;
    }
  json_begin_object (j);
  json_key (j, "serial");
  json_int (j, serial);
  json_key (j, "description");
  n = syscall (SYS_keyctl, 6, serial, desc, sizeof desc);
  if (n > 0 && (size_t) n <= sizeof desc)
    json_string (j, desc);
  else
    json_null (j);
  json_end_object (j);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo.  */
static void
unescape_octal (char *s)
{
  char *out = s;

  while (*s != '\0')
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7'
          && s[3] >= '0' && s[3] <= '7')
        {
          *out++ = (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
          s += 4;
        }
      else
        *out++ = *s++;
    }
  *out = '\0';
}

static void
report_mounts (JsonOut *j)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char *line = NULL;
  size_t cap = 0;

  json_key (j, "mounts");
  json_begin_array (j);
  while (f != NULL && getline (&line, &cap, f) > 0)
    {
      /* id parent maj:min root mount-point options [optional...] - fstype source super
       * Every token is split first: the optional fields vary in number, and
       * only the lone "-" after them marks where fstype starts. */
      char *field[64] = { NULL }, *save = NULL, *tok, *fstype = NULL, *source = NULL,
           *super = NULL;
      int n = 0;

      line[strcspn (line, "\n")] = '\0';
      for (tok = strtok_r (line, " ", &save); tok != NULL && n < 64; tok = strtok_r (NULL, " ", &save))
        field[n++] = tok;
      if (n < 6)
        continue;
      for (int i = 6; i < n; i++)
        if (strcmp (field[i], "-") == 0)
          {
            fstype = i + 1 < n ? field[i + 1] : NULL;
            source = i + 2 < n ? field[i + 2] : NULL;
            super = i + 3 < n ? field[i + 3] : NULL;
            break;
          }

      unescape_octal (field[3]);
      unescape_octal (field[4]);
      if (source != NULL)
        unescape_octal (source);

      json_begin_object (j);
      json_key (j, "mount_point");
      json_string (j, field[4]);
      json_key (j, "root");
      json_string (j, field[3]);
      json_key (j, "fstype");
      json_string (j, fstype != NULL ? fstype : "");
      json_key (j, "source");
      json_string (j, source != NULL ? source : "");
      json_key (j, "options");
      json_string (j, field[5]);
      json_key (j, "super_options");
      json_string (j, super != NULL ? super : "");
      json_end_object (j);
    }
  free (line);
  if (f != NULL)
    fclose (f);
  json_end_array (j);
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Reads the names in PATH (without . and ..), sorted.  Returns the count, or
 * -errno.  Free each name and the array.  */
static int
list_dir (const char *path, char ***out_names)
{
  DIR *d = opendir (path);
  struct dirent *de;
  char **names = NULL;
  int n = 0, cap = 0;

  if (d == NULL)
    return -errno;
  while ((de = readdir (d)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (n == cap)
        {
          char **bigger;

          cap = cap ? cap * 2 : 32;
          bigger = realloc (names, (size_t) cap * sizeof *names);
          if (bigger == NULL)
            abort ();
          names = bigger;
        }
      names[n] = strdup (de->d_name);
      if (names[n] == NULL)
        abort ();
      n++;
    }
  closedir (d);
  if (n > 0)
    qsort (names, (size_t) n, sizeof *names, compare_names);
  *out_names = names;
  return n;
}

static char
type_char (mode_t mode)
{
  switch (mode & S_IFMT)
    {
    case S_IFCHR: return 'c';
    case S_IFBLK: return 'b';
    case S_IFDIR: return 'd';
    case S_IFLNK: return 'l';
    case S_IFIFO: return 'p';
    case S_IFSOCK: return 's';
    default: return 'f';
    }
}

static void
report_dev (JsonOut *j)
{
  char **names = NULL;
  int n = list_dir ("/dev", &names);

  json_key (j, "dev");
  json_begin_array (j);
  for (int i = 0; i < n; i++)
    {
      char path[PATH_MAX], type[2] = { 0, 0 };
      struct stat st;

      snprintf (path, sizeof path, "/dev/%s", names[i]);
      if (lstat (path, &st) < 0)
        {
          free (names[i]);
          continue;
        }
      type[0] = type_char (st.st_mode);
      json_begin_object (j);
      json_key (j, "name");
      json_string (j, names[i]);
      json_key (j, "type");
      json_string (j, type);
      if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
        {
          char mm[32];

          snprintf (mm, sizeof mm, "%u:%u", major (st.st_rdev), minor (st.st_rdev));
          json_key (j, "major_minor");
          json_string (j, mm);
        }
      json_key (j, "mode");
      snprintf (path, sizeof path, "%04o", (unsigned) (st.st_mode & 07777));
      json_string (j, path);
      json_key (j, "uid");
      json_int (j, st.st_uid);
      json_key (j, "gid");
      json_int (j, st.st_gid);
      if (S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          ssize_t len;

          snprintf (path, sizeof path, "/dev/%s", names[i]);
          len = readlink (path, target, sizeof target - 1);
          target[len < 0 ? 0 : len] = '\0';
          json_key (j, "target");
          json_string (j, target);
        }
      json_end_object (j);
      free (names[i]);
    }
  free (names);
  json_end_array (j);
}

/* Scheduling as the process has it: policy, nice, I/O priority (the raw
 * ioprio_get value), allowed CPUs and the NUMA memory policy mode. */
static void
report_sched (JsonOut *j)
{
  char status[8192], v[256];
  int mode = -1;
  unsigned long nodes[16];

  json_key (j, "sched_policy");
  json_int (j, sched_getscheduler (0));
  errno = 0;
  json_key (j, "nice");
  json_int (j, getpriority (PRIO_PROCESS, 0));
  json_key (j, "ioprio");
  json_int (j, syscall (SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0));
  json_key (j, "cpus_allowed_list");
  if (read_small_file ("/proc/self/status", status, sizeof status) >= 0
      && status_field (status, "Cpus_allowed_list", v, sizeof v) == 0)
    json_string (j, v);
  else
    json_null (j);
  json_key (j, "mempolicy_mode");
  if (syscall (SYS_get_mempolicy, &mode, nodes, 8 * sizeof nodes, NULL, 0) == 0)
    json_int (j, mode);
  else
    json_null (j);
}

static int
cmd_report (char **argv)
{
  JsonOut j;

  json_out_init (&j, stdout);
  json_begin_object (&j);
  report_ids (&j);
  report_process (&j, argv);
  report_fds (&j);
  report_rlimits (&j);
  report_status (&j);
  report_sched (&j);
  report_namespaces (&j);
  report_cgroups (&j);
  report_mounts (&j);
  report_dev (&j);
  json_end_object (&j);
  fputc ('\n', stdout);
  return fflush (stdout) == 0 ? 0 : fail ("stdout", errno);
}

/* ---- the other subcommands -------------------------------------------- */

static int
cmd_sleep (const char *arg)
{
  char *end;
  double secs = strtod (arg, &end);
  struct timespec ts;

  if (*end != '\0' || secs < 0)
    return usage ();
  ts.tv_sec = (time_t) secs;
  ts.tv_nsec = (long) ((secs - (double) ts.tv_sec) * 1e9);
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
  return 0;
}

static int
cmd_pause (const char *ready_file)
{
  sigset_t all;

  /* Blocked signals are queued even for a pid-namespace init without
   * handlers, so sigwaitinfo() sees everything but SIGKILL and SIGSTOP.  */
  sigfillset (&all);
  if (sigprocmask (SIG_BLOCK, &all, NULL) < 0)
    return fail ("sigprocmask", errno);
  if (ready_file != NULL)
    {
      int fd = open (ready_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

      if (fd < 0)
        return fail (ready_file, errno);
      close (fd);
    }
  for (;;)
    {
      siginfo_t si;
      const char *abbrev;
      int sig = sigwaitinfo (&all, &si);

      if (sig < 0)
        {
          if (errno == EINTR)
            continue;
          return fail ("sigwaitinfo", errno);
        }
      abbrev = sigabbrev_np (sig);
      if (abbrev != NULL)
        printf ("SIG%s\n", abbrev);
      else
        printf ("SIG%d\n", sig);
      fflush (stdout);
      if (sig == SIGTERM)
        return 128 + SIGTERM;
    }
}

static int
cmd_cat_file (const char *path)
{
  char buf[65536];
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return fail (path, errno);
  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          close (fd);
          return fail (path, errno);
        }
      if (write_all (STDOUT_FILENO, buf, (size_t) n) < 0)
        {
          close (fd);
          return fail ("stdout", errno);
        }
    }
  close (fd);
  return 0;
}

static int
cmd_write_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    return fail (path, errno);
  if (write_all (fd, text, strlen (text)) < 0)
    {
      int saved = errno;

      close (fd);
      return fail (path, saved);
    }
  if (close (fd) < 0)
    return fail (path, errno);
  return 0;
}

static int
cmd_ls (const char *path)
{
  char **names = NULL;
  int n = list_dir (path, &names);

  if (n < 0)
    return fail (path, -n);
  for (int i = 0; i < n; i++)
    {
      puts (names[i]);
      free (names[i]);
    }
  free (names);
  return fflush (stdout) == 0 ? 0 : fail ("stdout", errno);
}

/* What sd_notify() does, without libsystemd: "@name" is abstract.  Sends
 * @len bytes of @message, whatever they are. */
static int
send_notify (const char *message, size_t len)
{
  const char *path = getenv ("NOTIFY_SOCKET");
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t addr_len;
  int fd;

  if (path == NULL || path[0] == '\0')
    return fail ("NOTIFY_SOCKET", ENOENT);
  if (strlen (path) >= sizeof addr.sun_path)
    return fail (path, ENAMETOOLONG);
  strcpy (addr.sun_path, path);
  if (path[0] == '@')
    addr.sun_path[0] = '\0';
  addr_len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + strlen (path) + (path[0] != '@'));
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return fail ("socket", errno);
  if (sendto (fd, message, len, MSG_NOSIGNAL, (struct sockaddr *) &addr, addr_len) < 0)
    {
      int saved = errno;

      close (fd);
      return fail (path, saved);
    }
  close (fd);
  return 0;
}

static int
cmd_notify (const char *message)
{
  return send_notify (message, strlen (message));
}

/* Garbage for the notify proxy (test-hostile.sh): the file as it is. */
static int
cmd_notify_file (const char *path)
{
  static char buf[256 * 1024];
  size_t len = 0;
  ssize_t n;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return fail (path, errno);
  while (len < sizeof buf && (n = read (fd, buf + len, sizeof buf - len)) != 0)
    {
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          close (fd);
          return fail (path, errno);
        }
      len += (size_t) n;
    }
  close (fd);
  return send_notify (buf, len);
}

/* One system call with a known effect, for seccomp and permission tests. */
static int
cmd_syscall (int argc, char **argv)
{
  const char *name = argv[0];
  long r;

  if (strcmp (name, "mkdir") == 0 && argc == 2)
    r = mkdir (argv[1], 0755);
  else if (strcmp (name, "getppid") == 0 && argc == 1)
    r = syscall (SYS_getppid);
  else if (strcmp (name, "getpriority") == 0 && argc == 3)
    r = syscall (SYS_getpriority, strtol (argv[1], NULL, 0), strtol (argv[2], NULL, 0));
  else if (strcmp (name, "open-wronly") == 0 && argc == 2)
    r = open (argv[1], O_WRONLY | O_CLOEXEC);
  else if (strcmp (name, "open-rdonly") == 0 && argc == 2)
    r = open (argv[1], O_RDONLY | O_CLOEXEC);
  else if (strcmp (name, "nr") == 0 && argc == 2)
    r = syscall (strtol (argv[1], NULL, 0), 0, 0, 0, 0, 0, 0);
  else
    return usage ();
  if (r < 0)
    {
      const char *errname = strerrorname_np (errno);
      printf ("errno %d %s\n", errno, errname != NULL ? errname : "?");
    }
  else
    puts ("ok");
  return fflush (stdout) == 0 ? 0 : fail ("stdout", errno);
}

int
main (int argc, char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : "report";

  if (strcmp (cmd, "report") == 0)
    return cmd_report (argv);
  if (strcmp (cmd, "exit") == 0 && argc == 3)
    return atoi (argv[2]);
  if (strcmp (cmd, "sleep") == 0 && argc == 3)
    return cmd_sleep (argv[2]);
  if (strcmp (cmd, "pause") == 0 && argc <= 3)
    return cmd_pause (argc == 3 ? argv[2] : NULL);
  if (strcmp (cmd, "cat-file") == 0 && argc == 3)
    return cmd_cat_file (argv[2]);
  if (strcmp (cmd, "write-file") == 0 && argc == 4)
    return cmd_write_file (argv[2], argv[3]);
  if (strcmp (cmd, "ls") == 0 && argc == 3)
    return cmd_ls (argv[2]);
  if (strcmp (cmd, "notify") == 0 && argc == 3)
    return cmd_notify (argv[2]);
  if (strcmp (cmd, "notify-file") == 0 && argc == 3)
    return cmd_notify_file (argv[2]);
  if (strcmp (cmd, "syscall") == 0 && argc >= 3)
    return cmd_syscall (argc - 2, argv + 2);
  return usage ();
}
