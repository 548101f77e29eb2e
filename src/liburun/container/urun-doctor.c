/* urun-doctor.c: the checks of `urun doctor` (see urun-doctor.h).
 *
 * Zone: host side (GLib).  Reuses the modules that do the real work: the
 * subordinate id parser and its free-range finder, the newuidmap lookup of
 * the id mapper, the cgroup layout probe and the state root rules, so that
 * the doctor and `run` cannot disagree.
 */
#include "config.h"

#include "container/urun-doctor.h"
#include "cgroup/urun-cgroup-private.h"
#include "util/urun-error.h"
#include "plan/urun-idmap.h"
#include "util/urun-subid.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

/* The size of the range a fix suggests: what useradd gives a user. */
#define SUGGESTED_COUNT 65536u

const char *
urun_doctor_status_to_string (UrunDoctorStatus status)
{
  switch (status)
    {
    case URUN_DOCTOR_OK:
      return "ok";
    case URUN_DOCTOR_WARN:
      return "warn";
    case URUN_DOCTOR_FAIL:
      return "fail";
    }
  g_assert_not_reached ();
}

void
urun_doctor_check_free (UrunDoctorCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->name);
  g_free (check->detail);
  g_free (check->fix);
  g_free (check);
}

/* Takes @detail and @fix. */
static void
add (GPtrArray *checks, const char *name, UrunDoctorStatus status, char *detail, char *fix)
{
  UrunDoctorCheck *check = g_new0 (UrunDoctorCheck, 1);

  check->name = g_strdup (name);
  check->status = status;
  check->detail = detail;
  check->fix = status == URUN_DOCTOR_OK ? (g_free (fix), NULL) : fix;
  g_ptr_array_add (checks, check);
}

gboolean
urun_doctor_ready (GPtrArray *checks)
{
  for (guint i = 0; i < checks->len; i++)
    if (((UrunDoctorCheck *) g_ptr_array_index (checks, i))->status == URUN_DOCTOR_FAIL)
      return FALSE;
  return TRUE;
}

static char *
read_trimmed (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strstrip (text);
}

/* ---- user namespaces ----------------------------------------------------- */

/* Whether this process may create a user namespace: tried in a child, so
 * that the caller's own namespaces stay as they are.  0 or an errno. */
static int
probe_userns (void)
{
  int wstatus;
  pid_t pid = fork ();

  if (pid < 0)
    return errno;
  if (pid == 0)
    _exit (unshare (CLONE_NEWUSER) == 0 ? 0 : (errno & 0x7f));
  while (waitpid (pid, &wstatus, 0) < 0)
    if (errno != EINTR)
      return errno;
  return WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : EINVAL;
}

static void
check_userns (GPtrArray *checks, gboolean rootless)
{
  g_autofree char *clone = read_trimmed ("/proc/sys/kernel/unprivileged_userns_clone");
  g_autofree char *max = read_trimmed ("/proc/sys/user/max_user_namespaces");
  g_autofree char *apparmor
    = read_trimmed ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  /* Why only a warning for root: the default spec for root has no user
   * namespace. */
  UrunDoctorStatus bad = rootless ? URUN_DOCTOR_FAIL : URUN_DOCTOR_WARN;
  int err = probe_userns ();

  if (g_strcmp0 (max, "0") == 0)
    add (checks, "user-namespaces", bad,
         g_strdup (_("user.max_user_namespaces is 0: no user namespace can be created")),
         g_strdup ("sudo sysctl -w user.max_user_namespaces=15000 && echo "
                   "user.max_user_namespaces=15000 | sudo tee /etc/sysctl.d/50-userns.conf"));
  else if (rootless && g_strcmp0 (clone, "0") == 0)
    add (checks, "user-namespaces", bad,
         g_strdup (_("kernel.unprivileged_userns_clone is 0: unprivileged users may not "
                     "create user namespaces")),
         g_strdup ("sudo sysctl -w kernel.unprivileged_userns_clone=1 && echo "
                   "kernel.unprivileged_userns_clone=1 | sudo tee "
                   "/etc/sysctl.d/50-userns.conf"));
  else if (rootless && apparmor != NULL && g_strcmp0 (apparmor, "0") != 0 && err != 0)
    add (checks, "user-namespaces", bad,
         g_strdup (_("AppArmor restricts unprivileged user namespaces "
                     "(kernel.apparmor_restrict_unprivileged_userns is 1)")),
         g_strdup ("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or give "
                   "urun an AppArmor profile with `userns,`)"));
  else if (err != 0)
    add (checks, "user-namespaces", bad,
         g_strdup_printf (_("creating a user namespace fails: %s"), urun_strerror (err)),
         g_strdup (_("check the kernel's user namespace settings (CONFIG_USER_NS) and any "
                     "security module that restricts them")));
  else
    add (checks, "user-namespaces", URUN_DOCTOR_OK,
         g_strdup (_("this user can create user namespaces")), NULL);
}

/* ---- subordinate ids --------------------------------------------------- */

static guint64
total_ids (GArray *ranges)
{
  guint64 total = 0;

  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    total += g_array_index (ranges, UrunSubidRange, i).count;
  return total;
}

static void
check_subid_file (GPtrArray *checks, const char *name, const char *path, const char *option,
                  const char *user, uid_t uid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ranges = urun_subid_ranges (path, user, (guint32) uid, &error);
  guint32 start;

  if (ranges == NULL)
    {
      add (checks, name, URUN_DOCTOR_WARN,
           g_strdup_printf (_("cannot read %s: %s"), path, error->message),
           g_strdup_printf ("sudo chmod 0644 %s", path));
      return;
    }
  if (ranges->len > 0)
    {
      const UrunSubidRange *first = &g_array_index (ranges, UrunSubidRange, 0);

      add (checks, name, URUN_DOCTOR_OK,
           /* No G_GUINT64_FORMAT in a translatable string: xgettext
            * cannot expand the macro, and the catalog would never match. */
           g_strdup_printf (_("%s has %llu subordinate ids in %s (from %u)"), user,
                            (unsigned long long) total_ids (ranges), path,
                            (unsigned) first->start),
           NULL);
      return;
    }
  /* A range that nobody has, in both files, so that the command can be
   * pasted as it is. */
  start = urun_subid_free_start (URUN_SUBUID_PATH, URUN_SUBGID_PATH, SUGGESTED_COUNT);
  /* Why a warning: without ranges urun maps the user's own id alone and
   * containers still run, with one user inside. */
  if (start == 0)
    add (checks, name, URUN_DOCTOR_WARN,
         g_strdup_printf (_("%s has no line in %s: containers get only your own id"), user,
                          path),
         g_strdup_printf (_("no free range of %u ids is left; add a line `%s:START:COUNT` "
                            "to %s"),
                          SUGGESTED_COUNT, user, path));
  else
    add (checks, name, URUN_DOCTOR_WARN,
         g_strdup_printf (_("%s has no line in %s: containers get only your own id"), user,
                          path),
         g_strdup_printf ("sudo usermod %s %u-%u %s  # %s `%s:%u:%u` %s %s", option, start,
                          start + SUGGESTED_COUNT - 1, user, _("or add the line"), user,
                          start, SUGGESTED_COUNT, _("to"), path));
}

/* The sources of the "subid:" database in nsswitch.conf, or NULL. */
static char *
nss_subid_sources (void)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/etc/nsswitch.conf", &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "subid:"))
        return g_strdup (g_strstrip (line + strlen ("subid:")));
    }
  return NULL;
}

static void
check_subid_nss (GPtrArray *checks, const char *user)
{
  g_autofree char *sources = nss_subid_sources ();
  g_autofree char *out = NULL;
  g_autofree char *getsubids = NULL;
  const char *argv[] = { NULL, (char *) user, NULL };
  int wstatus = 0;

  if (sources == NULL || *sources == '\0' || strcmp (sources, "files") == 0)
    {
      add (checks, "subid-nss", URUN_DOCTOR_OK,
           g_strdup (_("no subid: line in /etc/nsswitch.conf: the files are the source")), NULL);
      return;
    }
  /* newuidmap asks libsubid, which follows nsswitch.conf; urun itself reads
   * the files to write a default spec, so the two may see different
   * ranges. */
  getsubids = g_find_program_in_path ("getsubids");
  argv[0] = getsubids;
  if (getsubids != NULL
      && g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                       NULL, &wstatus, NULL)
      && g_spawn_check_wait_status (wstatus, NULL) && out != NULL && *g_strstrip (out) != '\0')
    add (checks, "subid-nss", URUN_DOCTOR_WARN,
         g_strdup_printf (_("subordinate ids come from `%s` (nsswitch.conf), which gives: %s; "
                            "urun writes default maps from /etc/subuid and /etc/subgid only"),
                          sources, out),
         g_strdup_printf (_("copy the ranges into /etc/subuid and /etc/subgid, or write "
                            "linux.uidMappings in config.json by hand")));
  else
    add (checks, "subid-nss", URUN_DOCTOR_WARN,
         g_strdup_printf (_("subordinate ids come from `%s` (nsswitch.conf), which gives "
                            "nothing for %s"),
                          sources, user),
         g_strdup_printf (_("add %s to the subid database of `%s`, or set `subid: files` in "
                            "/etc/nsswitch.conf"),
                          user, sources));
}

/* ---- newuidmap / newgidmap --------------------------------------------- */

/* TRUE when the file capabilities of @path (the security.capability xattr,
 * as getcap reads it) hold @cap in their permitted set. */
static gboolean
file_has_capability (const char *path, int cap)
{
  struct vfs_ns_cap_data data;
  ssize_t n;
  guint32 magic, permitted;

  memset (&data, 0, sizeof data);
  n = getxattr (path, "security.capability", &data, sizeof data);
  if (n < (ssize_t) (sizeof (guint32) * 3))
    return FALSE;
  magic = GUINT32_FROM_LE (data.magic_etc) & VFS_CAP_REVISION_MASK;
  if (magic != VFS_CAP_REVISION_1 && magic != VFS_CAP_REVISION_2
      && magic != VFS_CAP_REVISION_3)
    return FALSE;
  permitted = GUINT32_FROM_LE (data.data[cap / 32].permitted);
  return (permitted & (1u << (cap % 32))) != 0;
}

static void
check_helper (GPtrArray *checks, const char *name, int cap, const char *cap_name)
{
  g_autofree char *path = urun_idmap_find_helper (NULL, name);
  struct stat st;

  if (path == NULL)
    {
      add (checks, name, URUN_DOCTOR_WARN,
           g_strdup_printf (_("%s is not installed: containers get only your own id"), name),
           g_strdup ("sudo apt-get install uidmap  # (dnf/zypper: shadow-utils)"));
      return;
    }
  if (stat (path, &st) == 0 && st.st_uid == 0 && (st.st_mode & S_ISUID) != 0)
    {
      add (checks, name, URUN_DOCTOR_OK, g_strdup_printf (_("%s is setuid root"), path), NULL);
      return;
    }
  if (file_has_capability (path, cap))
    {
      add (checks, name, URUN_DOCTOR_OK,
           g_strdup_printf (_("%s has the file capability %s"), path, cap_name), NULL);
      return;
    }
  /* Why a failure: with subordinate ids urun hands the maps to this
   * helper, which then cannot write them. */
  add (checks, name, URUN_DOCTOR_FAIL,
       g_strdup_printf (_("%s is neither setuid root nor has the file capability %s, so it "
                          "cannot write id maps"),
                        path, cap_name),
       g_strdup_printf ("sudo setcap %s+ep %s  # %s: sudo chown root %s && sudo chmod u+s %s",
                        cap_name, path, _("or"), path, path));
}

/* ---- runtime directory, systemd and lingering -------------------------- */

static gboolean
socket_answers (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;
  gboolean ok;

  if (path == NULL || strlen (path) >= sizeof addr.sun_path)
    return FALSE;
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);
  return ok;
}

static char *
linger_fix (const char *user)
{
  return g_strdup_printf ("sudo loginctl enable-linger %s", user);
}

static void
check_runtime_dir (GPtrArray *checks, const UrunRuntime *runtime)
{
  const char *xdg = runtime->xdg_runtime_dir;
  uid_t uid = runtime->uid;
  g_autofree char *run_user = g_strdup_printf ("/run/user/%u", (unsigned) uid);
  struct stat st;

  if (xdg == NULL)
    {
      g_autofree char *linger = linger_fix (urun_runtime_user_name (runtime));
      gboolean have_run_user = stat (run_user, &st) == 0 && st.st_uid == uid;

      /* A warning: urun keeps its state elsewhere (urun-state.c), but the
       * user's bus is found through this variable. */
      add (checks, "xdg-runtime-dir", URUN_DOCTOR_WARN,
           g_strdup_printf (_("XDG_RUNTIME_DIR is not set: urun keeps its state in %s and "
                              "cannot find the user's systemd"),
                            runtime->default_state_root),
           have_run_user ? g_strdup_printf ("export XDG_RUNTIME_DIR=%s", run_user)
                         : g_strdup_printf (_("log in through systemd-logind, or `%s` and log "
                                              "in again"),
                                            linger));
      return;
    }
  if (stat (xdg, &st) < 0 || !S_ISDIR (st.st_mode))
    {
      add (checks, "xdg-runtime-dir", URUN_DOCTOR_FAIL,
           g_strdup_printf (_("XDG_RUNTIME_DIR is `%s`, which is not a directory"), xdg),
           g_strdup_printf (_("mkdir -m 0700 %s  # or unset XDG_RUNTIME_DIR"), xdg));
      return;
    }
  if (st.st_uid != uid)
    {
      add (checks, "xdg-runtime-dir", URUN_DOCTOR_FAIL,
           g_strdup_printf (_("XDG_RUNTIME_DIR `%s` belongs to uid %u, not to you"), xdg,
                            (unsigned) st.st_uid),
           g_strdup_printf ("export XDG_RUNTIME_DIR=%s", run_user));
      return;
    }
  if ((st.st_mode & 0777) != 0700)
    {
      add (checks, "xdg-runtime-dir", URUN_DOCTOR_WARN,
           g_strdup_printf (_("XDG_RUNTIME_DIR `%s` has mode %04o, not 0700"), xdg,
                            (unsigned) (st.st_mode & 0777)),
           g_strdup_printf ("chmod 0700 %s", xdg));
      return;
    }
  add (checks, "xdg-runtime-dir", URUN_DOCTOR_OK,
       g_strdup_printf (_("%s, yours, mode 0700"), xdg), NULL);
}

static void
check_user_systemd (GPtrArray *checks, const UrunRuntime *runtime)
{
  const char *xdg = runtime->xdg_runtime_dir;
  const char *addr = runtime->session_bus_address;
  g_autofree char *bus = NULL;
  g_autofree char *manager = NULL;
  g_autofree char *linger = linger_fix (urun_runtime_user_name (runtime));

  if (xdg != NULL)
    manager = g_build_filename (xdg, "systemd", "private", NULL);
  if (manager != NULL && socket_answers (manager))
    add (checks, "systemd-user", URUN_DOCTOR_OK,
         g_strdup_printf (_("the user's systemd answers at %s"), manager), NULL);
  else
    add (checks, "systemd-user", URUN_DOCTOR_WARN,
         g_strdup (_("no systemd --user manager for this session: containers get no "
                     "scope and no cgroup limits")),
         g_strdup_printf (_("%s, then log in again (or `systemctl --user start "
                            "default.target` in a login session)"),
                          linger));

  /* The address rules of urun-systemd.c; only unix:path= can be probed
   * without a D-Bus library. */
  if (addr != NULL && g_str_has_prefix (addr, "unix:path="))
    bus = g_strndup (addr + strlen ("unix:path="), strcspn (addr + strlen ("unix:path="), ","));
  else if (addr == NULL && xdg != NULL)
    bus = g_build_filename (xdg, "bus", NULL);
  if (bus != NULL && socket_answers (bus))
    add (checks, "user-bus", URUN_DOCTOR_OK, g_strdup_printf (_("the session bus answers at %s"),
                                                              bus),
         NULL);
  else if (bus == NULL && addr != NULL)
    add (checks, "user-bus", URUN_DOCTOR_OK,
         g_strdup_printf (_("DBUS_SESSION_BUS_ADDRESS is %s (not probed)"), addr), NULL);
  else
    add (checks, "user-bus", URUN_DOCTOR_WARN,
         g_strdup_printf (_("no session bus at %s: urun cannot ask systemd for a scope"),
                          bus != NULL ? bus : "$XDG_RUNTIME_DIR/bus"),
         g_strdup ("systemctl --user start dbus.socket  # (Debian: sudo apt-get install "
                   "dbus-user-session)"));
}

static void
check_linger (GPtrArray *checks, const char *user)
{
  g_autofree char *path = g_build_filename ("/var/lib/systemd/linger", user, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    add (checks, "linger", URUN_DOCTOR_OK, g_strdup_printf (_("%s exists"), path), NULL);
  else
    add (checks, "linger", URUN_DOCTOR_WARN,
         g_strdup_printf (_("lingering is off for %s: the user's systemd and containers "
                            "started from a session stop when its last session ends"),
                          user),
         linger_fix (user));
}

/* ---- cgroups ------------------------------------------------------------ */

#define CGROUP_V2_FIX                                                                        \
  "sudo sed -i 's/^GRUB_CMDLINE_LINUX=\"/&systemd.unified_cgroup_hierarchy=1 /' "            \
  "/etc/default/grub && sudo update-grub && sudo reboot"

static void
check_cgroup_layout (GPtrArray *checks, gboolean rootless)
{
  switch (urun_cgroup_mode ())
    {
    case URUN_CGROUP_MODE_UNIFIED:
      add (checks, "cgroup-layout", URUN_DOCTOR_OK, g_strdup (_("cgroup v2 (unified)")), NULL);
      return;
    case URUN_CGROUP_MODE_HYBRID:
    case URUN_CGROUP_MODE_LEGACY:
      {
        const char *what = urun_cgroup_mode () == URUN_CGROUP_MODE_HYBRID
                             ? _("cgroup v1 and v2 (hybrid)")
                             : _("cgroup v1 (legacy)");
        /* Root drives v1 itself; a user can only be delegated v2. */
        if (!rootless)
          add (checks, "cgroup-layout", URUN_DOCTOR_OK, g_strdup (what), NULL);
        else
          add (checks, "cgroup-layout", URUN_DOCTOR_WARN,
               g_strdup_printf (_("%s: rootless containers get no resource limits, which "
                                  "need cgroup v2"),
                                what),
               g_strdup (CGROUP_V2_FIX));
        return;
      }
    case URUN_CGROUP_MODE_NONE:
      add (checks, "cgroup-layout", URUN_DOCTOR_WARN,
           g_strdup (_("no cgroup file system is mounted: containers get no limits")),
           g_strdup ("sudo mount -t cgroup2 none /sys/fs/cgroup"));
      return;
    }
}

static void
check_delegation (GPtrArray *checks, uid_t uid)
{
  const char *root = urun_cgroup_v2_root ();
  g_autofree char *service = NULL;
  g_autofree char *controllers = NULL;
  g_autofree char *file = NULL;
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();
  static const char *const wanted[] = { "cpu", "memory", "pids" };

  if (urun_cgroup_mode () != URUN_CGROUP_MODE_UNIFIED || root == NULL)
    {
      add (checks, "cgroup-delegation", URUN_DOCTOR_WARN,
           g_strdup (_("no controllers can be delegated to a user without cgroup v2")),
           g_strdup (CGROUP_V2_FIX));
      return;
    }
  service = g_strdup_printf ("%s/user.slice/user-%u.slice/user@%u.service", root, (unsigned) uid,
                             (unsigned) uid);
  file = g_build_filename (service, "cgroup.controllers", NULL);
  controllers = read_trimmed (file);
  if (controllers == NULL)
    {
      add (checks, "cgroup-delegation", URUN_DOCTOR_WARN,
           g_strdup_printf (_("%s does not exist: the user's systemd does not run"), service),
           g_strdup_printf ("sudo loginctl enable-linger %u", (unsigned) uid));
      return;
    }
  {
    g_auto (GStrv) have = g_strsplit (controllers, " ", -1);

    for (gsize i = 0; i < G_N_ELEMENTS (wanted); i++)
      if (!g_strv_contains ((const char *const *) have, wanted[i]))
        g_ptr_array_add (missing, (gpointer) wanted[i]);
  }
  if (missing->len == 0)
    {
      add (checks, "cgroup-delegation", URUN_DOCTOR_OK,
           g_strdup_printf (_("delegated: %s"), controllers), NULL);
      return;
    }
  g_ptr_array_add (missing, NULL);
  {
    g_autofree char *names = g_strjoinv (" ", (char **) missing->pdata);

    add (checks, "cgroup-delegation", URUN_DOCTOR_WARN,
         g_strdup_printf (_("not delegated to the user: %s (limits on them are dropped)"), names),
         g_strdup ("sudo mkdir -p /etc/systemd/system/user@.service.d && printf "
                   "'[Service]\\nDelegate=cpu cpuset io memory pids\\n' | sudo tee "
                   "/etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl "
                   "daemon-reload  # then log in again"));
  }
}

/* ---- kernel features ---------------------------------------------------- */

/* ENOSYS means the kernel lacks the call; any other outcome of these
 * harmless calls means it has it. */
static gboolean
have_openat2 (void)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
  long fd = syscall (SYS_openat2, AT_FDCWD, "/", &how, sizeof how);

  if (fd >= 0)
    close ((int) fd);
  return fd >= 0 || errno != ENOSYS;
}

static gboolean
have_pidfd_open (void)
{
  long fd = syscall (SYS_pidfd_open, getpid (), 0);

  if (fd >= 0)
    close ((int) fd);
  return fd >= 0 || errno != ENOSYS;
}

static gboolean
have_mount_setattr (void)
{
  /* An invalid fd and no attributes: fails with EBADF/EINVAL where the
   * call exists. */
  return syscall (SYS_mount_setattr, -1, "", AT_EMPTY_PATH, NULL, 0) == 0 || errno != ENOSYS;
}

static gboolean
have_seccomp_notify (void)
{
  struct seccomp_notif_sizes sizes;
  g_autofree char *actions = read_trimmed ("/proc/sys/kernel/seccomp/actions_avail");

  return syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0 && actions != NULL
         && strstr (actions, "user_notif") != NULL;
}

static void
add_feature (GPtrArray *checks, const char *name, gboolean have, gboolean required,
             const char *what, const char *since)
{
  if (have)
    add (checks, name, URUN_DOCTOR_OK, g_strdup_printf (_("available: %s"), what), NULL);
  else
    add (checks, name, required ? URUN_DOCTOR_FAIL : URUN_DOCTOR_WARN,
         g_strdup_printf (required ? _("missing: %s; urun needs it for every container")
                                   : _("missing: %s; configs that ask for it fail"),
                          what),
         g_strdup_printf (_("upgrade to Linux %s or newer"), since));
}

static void
check_kernel (GPtrArray *checks)
{
  gboolean setattr = have_mount_setattr ();

  /* Required: the init resolves every path with openat2() and waits for
   * processes through pidfds. */
  add_feature (checks, "openat2", have_openat2 (), TRUE,
               _("openat2(), for path resolution inside the rootfs"), "5.6");
  add_feature (checks, "pidfd_open", have_pidfd_open (), TRUE,
               _("pidfd_open(), for race-free waits and signals"), "5.3");
  add_feature (checks, "mount_setattr", setattr, FALSE,
               _("mount_setattr(), for recursive mount options (rro, rnosuid, ...)"), "5.12");
  /* MOUNT_ATTR_IDMAP came with mount_setattr() itself; whether a file
   * system supports it shows only when a mount asks. */
  add_feature (checks, "idmapped-mounts", setattr, FALSE,
               _("idmapped mounts (MOUNT_ATTR_IDMAP), for the idmap mount option"), "5.12");
  add_feature (checks, "seccomp-notify", have_seccomp_notify (), FALSE,
               _("seccomp user notification (SCMP_ACT_NOTIFY, listenerPath)"), "5.5");
  add_feature (checks, "time-namespace", g_file_test ("/proc/self/ns/time", G_FILE_TEST_EXISTS),
               FALSE, _("time namespaces (linux.timeOffsets)"), "5.6");
}

GPtrArray *
urun_doctor_run (const UrunRuntime *runtime)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) urun_doctor_check_free);
  gboolean rootless = runtime->rootless;
  uid_t uid = runtime->uid;
  /* Root inside a user namespace (rootless podman calling urun) writes
   * its maps itself and is given its runtime directory by the caller:
   * only an unprivileged user needs what follows. */
  gboolean user_checks = rootless && runtime->euid != 0;

  check_userns (checks, rootless);
  if (user_checks)
    {
      const char *user = urun_runtime_user_name (runtime);

      check_subid_file (checks, "subuid", URUN_SUBUID_PATH, "--add-subuids", user, uid);
      check_subid_file (checks, "subgid", URUN_SUBGID_PATH, "--add-subgids", user, uid);
      check_subid_nss (checks, user);
      check_helper (checks, "newuidmap", CAP_SETUID, "cap_setuid");
      check_helper (checks, "newgidmap", CAP_SETGID, "cap_setgid");
      check_runtime_dir (checks, runtime);
      check_user_systemd (checks, runtime);
      check_linger (checks, user);
    }
  check_cgroup_layout (checks, rootless);
  if (user_checks)
    check_delegation (checks, uid);
  check_kernel (checks);
  return checks;
}
