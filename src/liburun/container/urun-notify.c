/* urun-notify.c: the NOTIFY_SOCKET proxy (see urun-notify.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "container/urun-notify.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "plan/urun-mount-options.h"
#include "util/urun-timeout.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define NOTIFY_DIR "notify"
/* systemd reads at most this much of one notification; so do we. */
#define MAX_MESSAGE 4096

struct _UrunNotifyProxy
{
  int fd;                        /* the container's socket, bound, nonblocking */
  int host_fd;                   /* unbound datagram socket towards the host */
  struct sockaddr_un host_addr;
  socklen_t host_addr_len;
  pid_t main_pid;
  gboolean ready_sent;           /* READY=1 and MAINPID went out */
  gboolean try_credentials;      /* may claim main_pid in SCM_CREDENTIALS */
  int ready_errno;               /* why READY=1 did not reach the host, or 0 */
  gint64 extend_until;           /* monotonic usec of the last EXTEND_TIMEOUT_USEC=, or 0 */
  char *host_socket;             /* for messages */
};

void
urun_notify_proxy_free (UrunNotifyProxy *proxy)
{
  if (proxy == NULL)
    return;
  urun_close_fdp (&proxy->fd);
  urun_close_fdp (&proxy->host_fd);
  g_free (proxy->host_socket);
  g_free (proxy);
}

int
urun_notify_proxy_get_fd (UrunNotifyProxy *proxy)
{
  return proxy->fd;
}

void
urun_notify_proxy_set_main_pid (UrunNotifyProxy *proxy, pid_t pid)
{
  proxy->main_pid = pid;
}

/* "@name" is an abstract socket, as in systemd's sd_notify(). */
static gboolean
host_address (const char *host_socket, struct sockaddr_un *out, socklen_t *out_len,
              GError **error)
{
  size_t len = strlen (host_socket);

  memset (out, 0, sizeof *out);
  out->sun_family = AF_UNIX;
  if (len >= sizeof out->sun_path || (host_socket[0] != '/' && host_socket[0] != '@'))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "NOTIFY_SOCKET `%s` is not a socket path or an abstract name",
                      host_socket);
  memcpy (out->sun_path, host_socket, len);
  if (host_socket[0] == '@')
    out->sun_path[0] = '\0';
  *out_len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len
                          + (host_socket[0] == '@' ? 0 : 1));
  return TRUE;
}

/* Binds a datagram socket at @name in the directory @dirfd, replacing
 * whatever was there, and opens it to every user: the container's process
 * may run as any uid of its user namespace. */
static UrunNotifyProxy *
proxy_new (int dirfd, const char *name, const char *host_socket, GError **error)
{
  g_autoptr (UrunNotifyProxy) proxy = g_new0 (UrunNotifyProxy, 1);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int len;

  proxy->fd = -1;
  proxy->host_fd = -1;
  proxy->try_credentials = TRUE;
  proxy->host_socket = g_strdup (host_socket);
  if (!host_address (host_socket, &proxy->host_addr, &proxy->host_addr_len, error))
    return NULL;

  /* Through /proc/self/fd: the state directory's own path may be longer
   * than sun_path. */
  len = snprintf (addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd, name);
  if (len < 0 || (size_t) len >= sizeof addr.sun_path)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "NOTIFY_SOCKET: the socket name `%s` is too long", name), NULL;
  if (unlinkat (dirfd, name, 0) < 0 && errno != ENOENT)
    return urun_fail_errno (error, errno, "replace the notify socket"), NULL;

  proxy->fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (proxy->fd < 0)
    return urun_fail_errno (error, errno, "notify socket"), NULL;
  if (bind (proxy->fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    return urun_fail_errno (error, errno, "bind the notify socket"), NULL;
  if (fchmodat (dirfd, name, 0777, 0) < 0)
    return urun_fail_errno (error, errno, "open the notify socket to the container"), NULL;

  proxy->host_fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (proxy->host_fd < 0)
    return urun_fail_errno (error, errno, "socket towards NOTIFY_SOCKET"), NULL;
  /* A datagram to a reader whose queue is full (it stopped reading) waits
   * for room as long as SO_SNDTIMEO says: forever by default. */
  if (urun_socket_set_timeout (proxy->host_fd, SO_SNDTIMEO,
                               urun_peer_timeout (URUN_TIMEOUT_NOTIFY_SEND_S))
      < 0)
    return urun_fail_errno (error, errno, "socket towards NOTIFY_SOCKET"), NULL;
  return g_steal_pointer (&proxy);
}

/* The path of the socket inside the container: the config's own
 * NOTIFY_SOCKET when it is a file path we can bind a directory for. */
static char *
container_socket_path (const UrunSpec *spec)
{
  const char *wanted = spec->process ? g_environ_getenv ((char **) spec->process->env, "NOTIFY_SOCKET") : NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *dir = NULL;

  if (wanted == NULL || !g_path_is_absolute (wanted) || g_str_has_suffix (wanted, "/"))
    return g_strdup (URUN_NOTIFY_DEFAULT_PATH);
  canonical = g_canonicalize_filename (wanted, "/");
  dir = g_path_get_dirname (canonical);
  /* Binding over the container's "/" is no option. */
  if (strcmp (dir, "/") == 0)
    return g_strdup (URUN_NOTIFY_DEFAULT_PATH);
  return g_steal_pointer (&canonical);
}

static void
plan_add_mount (UrunPlanOwner *owner, const char *source, const char *destination)
{
  static const char *const options[] = { "bind", "ro", "nosuid", "nodev", "noexec", NULL };
  UrunInitPlan *plan = &owner->plan;
  UrunPlanMount *mounts = urun_plan_owner_keep (owner, g_new0 (UrunPlanMount, plan->n_mounts + 1));
  UrunPlanMount *m = &mounts[plan->n_mounts];

  if (plan->n_mounts > 0)
    memcpy (mounts, plan->mounts, sizeof (UrunPlanMount) * plan->n_mounts);
  m->kind = URUN_PLAN_MOUNT_BIND;
  m->source = urun_plan_owner_strdup (owner, source);
  m->destination = urun_plan_owner_strdup (owner, destination);
  urun_mount_flags_parse (options, &m->flags);
  urun_plan_owner_keep (owner, m->flags.data);
  m->source_is_dir = TRUE;
  m->tree_fd = -1;
  /* Last: over whatever tmpfs the config puts at /run. */
  plan->mounts = mounts;
  plan->n_mounts++;
}

static void
plan_set_env (UrunPlanOwner *owner, const char *path)
{
  UrunInitPlan *plan = &owner->plan;
  g_autoptr (GPtrArray) env = g_ptr_array_new ();

  for (gsize i = 0; plan->envp != NULL && plan->envp[i] != NULL; i++)
    if (!g_str_has_prefix (plan->envp[i], "NOTIFY_SOCKET="))
      g_ptr_array_add (env, plan->envp[i]);
  g_ptr_array_add (env, urun_plan_owner_keep (owner, g_strconcat ("NOTIFY_SOCKET=", path, NULL)));
  g_ptr_array_add (env, NULL);
  plan->envp = urun_plan_owner_keep (owner, g_memdup2 (env->pdata, sizeof (char *) * env->len));
}

/* Root: a detached, read-only clone of the directory for init to attach
 * (see urun-plan.h, notify_dir).  -errno where the kernel or our
 * privileges do not allow it. */
static int
clone_directory (int dirfd)
{
  struct mount_attr attr = {
    .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
  };
  URUN_AUTOCLOSE int tree = open_tree (dirfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                                                    | AT_EMPTY_PATH);

  if (tree < 0)
    return -errno;
  if (mount_setattr (tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
    return -errno;
  return urun_steal_fd (&tree);
}

UrunNotifyProxy *
urun_notify_setup (UrunPlanOwner *owner, const UrunSpec *spec, int state_dirfd,
                   const char *host_socket, GError **error)
{
  g_autofree char *path = container_socket_path (spec);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  UrunNotifyProxy *proxy;
  int dirfd;
  int tree;

  if (mkdirat (state_dirfd, NOTIFY_DIR, 0755) < 0 && errno != EEXIST)
    return urun_fail_errno (error, errno, "create the notify directory"), NULL;
  dirfd = openat (state_dirfd, NOTIFY_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dirfd < 0)
    return urun_fail_errno (error, errno, "open the notify directory"), NULL;
  dirfd = urun_plan_owner_keep_fd (owner, dirfd, error);
  if (dirfd < 0)
    return NULL;
  /* 0755 whatever the umask: the container's users must reach the socket. */
  if (fchmodat (state_dirfd, NOTIFY_DIR, 0755, 0) < 0)
    return urun_fail_errno (error, errno, "open the notify directory to the container"), NULL;

  proxy = proxy_new (dirfd, name, host_socket, error);
  if (proxy == NULL)
    return NULL;

  tree = clone_directory (dirfd);
  if (tree >= 0)
    {
      owner->plan.notify_tree_fd = urun_plan_owner_keep_fd (owner, tree, error);
      if (owner->plan.notify_tree_fd < 0)
        {
          urun_notify_proxy_free (proxy);
          return NULL;
        }
      owner->plan.notify_dir = urun_plan_owner_strdup (owner, dir);
    }
  else
    {
      g_autofree char *fd_path = g_strdup_printf ("/proc/self/fd/%d", dirfd);
      g_autofree char *source = g_file_read_link (fd_path, NULL);

      /* Rootless: init, root of a user namespace that the caller owns,
       * walks to the directory by name like any bind source. */
      if (source == NULL)
        {
          urun_notify_proxy_free (proxy);
          return urun_fail_errno (error, errno, "find the notify directory"), NULL;
        }
      plan_add_mount (owner, source, dir);
    }
  plan_set_env (owner, path);
  return proxy;
}

UrunNotifyProxy *
urun_notify_reopen (int state_dirfd, const char *host_socket, GError **error)
{
  URUN_AUTOCLOSE int dirfd = openat (state_dirfd, NOTIFY_DIR,
                                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  g_autofree char *name = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autofree char *path = NULL;
  const char *entry;

  if (dirfd < 0)
    {
      if (errno != ENOENT)
        urun_fail_errno (error, errno, "open the notify directory");
      return NULL;
    }
  /* The one socket create bound carries the name the container knows. */
  path = g_strdup_printf ("/proc/self/fd/%d", dirfd);
  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return NULL;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      struct stat st;

      if (fstatat (dirfd, entry, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISSOCK (st.st_mode))
        {
          name = g_strdup (entry);
          break;
        }
    }
  if (name == NULL)
    return urun_fail (error, URUN_ERROR_FAILED, "the container's notify socket is missing"),
           NULL;
  return proxy_new (dirfd, name, host_socket, error);
}

static gboolean
line_is_relayed (const char *line, gsize len)
{
  static const char *const prefixes[] = {
    "READY=1", "STATUS=", "WATCHDOG=", "EXTEND_TIMEOUT_USEC=", "RELOADING=1",
    "MONOTONIC_USEC=", "STOPPING=1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize plen = strlen (prefixes[i]);
      /* Flags must match whole ("READY=1", not "READY=10"). */
      gboolean whole = prefixes[i][plen - 1] != '=';

      if (len >= plen && memcmp (line, prefixes[i], plen) == 0 && (!whole || len == plen))
        return TRUE;
    }
  return FALSE;
}

/* @flags: MSG_DONTWAIT for what may be lost when the host does not read;
 * READY=1 waits (up to SO_SNDTIMEO) for room. */
static int
send_to_host (UrunNotifyProxy *proxy, const char *data, gsize len, int flags)
{
  struct iovec iov = { .iov_base = (void *) data, .iov_len = len };
  struct msghdr msg = {
    .msg_name = &proxy->host_addr,
    .msg_namelen = proxy->host_addr_len,
    .msg_iov = &iov,
    .msg_iovlen = 1,
  };
  union
  {
    char buf[CMSG_SPACE (sizeof (struct ucred))];
    struct cmsghdr align;
  } control;

  /* Once the main pid is the container's, speak for it (NotifyAccess=main
   * accepts only the main pid); only a privileged urun may. */
  if (proxy->ready_sent && proxy->try_credentials && proxy->main_pid > 0)
    {
      struct ucred cred = { .pid = proxy->main_pid, .uid = getuid (), .gid = getgid () };
      struct cmsghdr *cmsg;

      memset (&control, 0, sizeof control);
      msg.msg_control = control.buf;
      msg.msg_controllen = sizeof control.buf;
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_CREDENTIALS;
      cmsg->cmsg_len = CMSG_LEN (sizeof cred);
      memcpy (CMSG_DATA (cmsg), &cred, sizeof cred);
      if (sendmsg (proxy->host_fd, &msg, MSG_NOSIGNAL | flags) >= 0)
        return 0;
      /* EPERM: not privileged, stop trying; ESRCH: the main pid is
       * gone.  Either way the message still goes, as urun's own. */
      if (errno == EPERM)
        proxy->try_credentials = FALSE;
      msg.msg_control = NULL;
      msg.msg_controllen = 0;
    }
  return sendmsg (proxy->host_fd, &msg, MSG_NOSIGNAL | flags) < 0 ? -errno : 0;
}

/* EXTEND_TIMEOUT_USEC=N: the payload asks for N more microseconds from
 * now, which extends the wait for READY=1 as it extends systemd's. */
static void
extend_timeout (UrunNotifyProxy *proxy, const char *value, gsize len)
{
  g_autofree char *text = g_strndup (value, len);
  guint64 usec;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2, &usec, NULL))
    proxy->extend_until = MAX (proxy->extend_until, g_get_monotonic_time () + (gint64) usec);
}

/* Relays the allowed lines of one message; TRUE when it held READY=1. */
static gboolean
relay (UrunNotifyProxy *proxy, const char *data, gsize len)
{
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean ready = FALSE;
  const char *p = data;
  const char *end = data + len;
  int r;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      gsize line_len = (gsize) ((nl ? nl : end) - p);

      if (line_is_relayed (p, line_len))
        {
          g_string_append_len (out, p, (gssize) line_len);
          g_string_append_c (out, '\n');
          if (line_len == 7 && memcmp (p, "READY=1", 7) == 0)
            ready = TRUE;
          else if (line_len > 20 && memcmp (p, "EXTEND_TIMEOUT_USEC=", 20) == 0)
            extend_timeout (proxy, p + 20, line_len - 20);
        }
      p += line_len + 1;
    }
  if (out->len == 0)
    return FALSE;
  if (ready && !proxy->ready_sent && proxy->main_pid > 0)
    {
      g_autofree char *mainpid = g_strdup_printf ("MAINPID=%d\n", (int) proxy->main_pid);
      g_string_prepend (out, mainpid);
    }
  r = send_to_host (proxy, out->str, out->len, ready ? 0 : MSG_DONTWAIT);
  if (r < 0)
    g_debug ("relay to NOTIFY_SOCKET: %s", g_strerror (-r));
  if (ready && !proxy->ready_sent)
    proxy->ready_errno = r < 0 ? -r : 0;
  if (ready)
    proxy->ready_sent = TRUE;
  return ready;
}

void
urun_notify_proxy_dispatch (UrunNotifyProxy *proxy, gboolean *out_ready)
{
  char buffer[MAX_MESSAGE];

  for (;;)
    {
      /* MSG_TRUNC: the real length, to drop what systemd would refuse.
       * No control buffer: fds sent along (FDSTORE=1) are closed by the
       * kernel rather than reaching urun. */
      ssize_t n = recv (proxy->fd, buffer, sizeof buffer, MSG_DONTWAIT | MSG_TRUNC);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno != EAGAIN)
            g_debug ("read the notify socket: %s", g_strerror (errno));
          return;
        }
      if ((size_t) n > sizeof buffer)
        {
          g_debug ("dropped a notification of %zd bytes", n);
          continue;
        }
      if (relay (proxy, buffer, (gsize) n) && out_ready != NULL)
        *out_ready = TRUE;
    }
}

gboolean
urun_notify_proxy_wait_ready (UrunNotifyProxy *proxy, int pidfd, gboolean *out_ready,
                              GError **error)
{
  guint timeout = urun_peer_timeout (URUN_TIMEOUT_READY_S);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;
  gboolean ready = FALSE;

  while (!ready)
    {
      struct pollfd fds[2] = {
        { .fd = proxy->fd, .events = POLLIN },
        { .fd = pidfd, .events = POLLIN },
      };
      gint64 now = g_get_monotonic_time ();
      gint64 until = MAX (deadline, proxy->extend_until);
      int r;

      if (now >= until)
        return urun_fail (error, URUN_ERROR_FAILED,
                          "NOTIFY_SOCKET: the container did not send READY=1 within %u s "
                          "(URUN_PEER_TIMEOUT or EXTEND_TIMEOUT_USEC= give it longer)",
                          timeout);
      r = poll (fds, pidfd >= 0 ? 2 : 1, (int) MIN ((until - now + 999) / 1000, G_MAXINT));
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return urun_fail_errno (error, errno, "wait for the container's READY=1");
        }
      if (fds[0].revents & POLLIN)
        urun_notify_proxy_dispatch (proxy, &ready);
      if (!ready && pidfd >= 0 && (fds[1].revents & (POLLIN | POLLHUP)))
        {
          /* What it sent before it died still counts. */
          urun_notify_proxy_dispatch (proxy, &ready);
          break;
        }
    }
  if (ready && proxy->ready_errno == EAGAIN)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "NOTIFY_SOCKET `%s`: the receiver did not take READY=1 within %u s",
                      proxy->host_socket, urun_peer_timeout (URUN_TIMEOUT_NOTIFY_SEND_S));
  *out_ready = ready;
  return TRUE;
}
