/* urun-cgroup.c: the driver-neutral cgroup API (see urun-cgroup.h): the
 * fallback ladder, the layout of the host's cgroup file systems, the
 * request checks, and the helpers the drivers and the operations share
 * (file access, directory creation for cgroupfs).  The cgroupfs driver
 * itself is in urun-cgroup-v2.c and urun-cgroup-v1.c, the operations on an
 * existing cgroup in urun-cgroup-ops.c, statistics and events in
 * urun-cgroup-stats.c.  Zone: host side (GLib).
 *
 * Files are addressed by absolute path under /sys/fs/cgroup.  The cgroup
 * path kept in the state ("/machine.slice/urun-ID.scope", "/urun-ID") is the
 * same in every hierarchy: cgroup2, and each v1 controller on hybrid and
 * legacy hosts, which is how both systemd and urun's cgroupfs driver lay
 * them out.
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "cgroup/urun-cgroup-service.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "cgroup/urun-systemd-property.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* The v1 hierarchies the cgroupfs driver places a container in.  Not
 * name=systemd: that one is systemd's own bookkeeping. */
const char *const urun_cgroup_v1_controllers[] = {
  "memory", "pids", "cpu", "cpuacct", "cpuset", "blkio", "devices", "freezer", "hugetlb",
  "net_cls", "net_prio",
};

const gsize urun_cgroup_n_v1_controllers = G_N_ELEMENTS (urun_cgroup_v1_controllers);

/* ---- files -------------------------------------------------------------------- */

int
urun_cgroup_write_file (const char *dir, const char *file, const char *value)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  URUN_AUTOCLOSE int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (value);
  ssize_t n;

  if (fd < 0)
    return -errno;
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  return (size_t) n == len ? 0 : -EIO;
}

char *
urun_cgroup_read_file (const char *dir, const char *file)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    {
      if (errno == 0)
        errno = ENOENT;
      return NULL;
    }
  while (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  return g_steal_pointer (&contents);
}

/* The value of "KEY N" in a flat-keyed file such as memory.events. */
gboolean
urun_cgroup_read_keyed (const char *dir, const char *file, const char *key, guint64 *out_value)
{
  g_autofree char *text = urun_cgroup_read_file (dir, file);
  g_auto (GStrv) lines = NULL;
  gsize klen = strlen (key);

  if (text == NULL)
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (strncmp (*l, key, klen) == 0 && (*l)[klen] == ' ')
      {
        *out_value = g_ascii_strtoull (*l + klen + 1, NULL, 10);
        return TRUE;
      }
  return FALSE;
}

/* ---- layout ----------------------------------------------------------------- */

static gboolean
is_fs (const char *path, long magic)
{
  struct statfs st;

  return statfs (path, &st) == 0 && (long) st.f_type == magic;
}

/* The host's layout, probed once per process: the mounts do not change
 * under one urun command, and a create asks for them many times (the
 * mode, then each v1 hierarchy for the directories, the limits and the
 * move of init). */
typedef struct
{
  UrunCgroupMode mode;
  GHashTable *v1_mounts; /* option of a "cgroup" mount ("memory") -> its mount point */
} Layout;

static GHashTable *
read_v1_mounts (void)
{
  GHashTable *mounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/mounts", &text, NULL, NULL))
    return mounts;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, " ", -1);
      g_auto (GStrv) opts = NULL;

      if (g_strv_length (f) < 4 || strcmp (f[2], "cgroup") != 0)
        continue;
      opts = g_strsplit (f[3], ",", -1);
      /* The first mount of a controller wins. */
      for (char **o = opts; *o; o++)
        if (!g_hash_table_contains (mounts, *o))
          g_hash_table_insert (mounts, g_strdup (*o), g_strdup (f[1]));
    }
  return mounts;
}

static UrunCgroupMode
probe_mode (GHashTable *v1_mounts)
{
  if (is_fs (CGROUP_ROOT, CGROUP2_SUPER_MAGIC))
    return URUN_CGROUP_MODE_UNIFIED;
  if (!is_fs (CGROUP_ROOT, TMPFS_MAGIC))
    return URUN_CGROUP_MODE_NONE;
  for (gsize i = 0; i < urun_cgroup_n_v1_controllers; i++)
    if (g_hash_table_contains (v1_mounts, urun_cgroup_v1_controllers[i]))
      return is_fs (CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC) ? URUN_CGROUP_MODE_HYBRID
                                                                 : URUN_CGROUP_MODE_LEGACY;
  return is_fs (CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC) ? URUN_CGROUP_MODE_HYBRID
                                                             : URUN_CGROUP_MODE_NONE;
}

static const Layout *
layout (void)
{
  static Layout l;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      l.v1_mounts = read_v1_mounts ();
      l.mode = probe_mode (l.v1_mounts);
      g_once_init_leave (&done, 1);
    }
  return &l;
}

UrunCgroupMode
urun_cgroup_mode (void)
{
  return layout ()->mode;
}

const char *
urun_cgroup_v2_root (void)
{
  switch (urun_cgroup_mode ())
    {
    case URUN_CGROUP_MODE_UNIFIED:
      return CGROUP_ROOT;
    case URUN_CGROUP_MODE_HYBRID:
      return CGROUP_ROOT "/unified";
    default:
      return NULL;
    }
}

char *
urun_cgroup_v1_mount (const char *controller)
{
  return g_strdup (g_hash_table_lookup (layout ()->v1_mounts, controller));
}

char *
urun_cgroup_path_of_pid (pid_t pid, GError **error)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/cgroup", (int) pid);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (file, &text, NULL, &local))
    {
      urun_fail (error, URUN_ERROR_NOT_FOUND, "read %s: %s", file, local->message);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix (*l, "0::"))
      return g_strdup (*l + 3);
  urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "%s has no cgroup v2 line", file);
  return NULL;
}

char *
urun_cgroup_v2_dir (const char *path)
{
  const char *root = urun_cgroup_v2_root ();

  if (root == NULL || path == NULL)
    return NULL;
  return g_build_filename (root, path, NULL);
}

char *
urun_cgroup_v1_dir (const char *controller, const char *path)
{
  g_autofree char *mount = urun_cgroup_v1_mount (controller);

  if (mount == NULL || path == NULL)
    return NULL;
  return g_build_filename (mount, path, NULL);
}

/* ---- outcome ----------------------------------------------------------------- */

void
urun_state_cgroup_clear (UrunStateCgroup *cg)
{
  g_clear_pointer (&cg->unit, g_free);
  g_clear_pointer (&cg->path, g_free);
  g_clear_pointer (&cg->reason, g_free);
  g_clear_pointer (&cg->dropped_limits, g_ptr_array_unref);
  cg->driver = URUN_CGROUP_DRIVER_NONE;
}

gboolean
urun_cgroup_fail_no_cgroup (const UrunStateCgroup *cg, const char *what, GError **error)
{
  return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                    "cannot %s: it has no cgroup (%s); create it with a cgroup manager "
                    "that works here (--cgroup-manager systemd or cgroupfs)",
                    what, cg->reason ? cg->reason : "cgroup manager disabled");
}

/* ---- request ----------------------------------------------------------------- */

gboolean
urun_cgroup_request_announce (const UrunCgroupRequest *request, UrunCgroupDriver driver,
                              const char *unit, const char *path, GError **error)
{
  if (request->about_to_make == NULL)
    return TRUE;
  return request->about_to_make (request->about_to_make_data, driver, unit, path, error);
}

gboolean
urun_cgroup_request_wants_systemd (const UrunCgroupRequest *request)
{
  return request->unit != NULL || request->slice != NULL || request->description != NULL
         || request->collect || (request->properties != NULL && request->properties[0] != NULL);
}

const UrunSpecResources *
urun_cgroup_request_resources (const UrunCgroupRequest *request)
{
  return request->spec && request->spec->linux_ ? request->spec->linux_->resources : NULL;
}

gboolean
urun_cgroup_request_annotation_properties (const UrunCgroupRequest *request, GPtrArray *props,
                                           GError **error)
{
  if (request->spec == NULL)
    return TRUE;
  for (gsize i = 0; i < request->spec->n_annotations; i++)
    {
      const char *key = request->spec->annotations[i].key;

      if (g_str_has_prefix (key, "org.systemd.property.")
          && !urun_systemd_property_parse_annotation (key + strlen ("org.systemd.property."),
                                                      request->spec->annotations[i].value,
                                                      props, error))
        return FALSE;
    }
  return TRUE;
}

static const char *
best_effort_value (const UrunCgroupRequest *request)
{
  for (gsize i = 0; request->spec != NULL && i < request->spec->n_annotations; i++)
    if (g_strcmp0 (request->spec->annotations[i].key, URUN_CGROUP_BEST_EFFORT_ANNOTATION) == 0)
      return request->spec->annotations[i].value;
  return NULL;
}

gboolean
urun_cgroup_request_best_effort (const UrunCgroupRequest *request)
{
  return g_strcmp0 (best_effort_value (request), "true") == 0;
}

gboolean
urun_cgroup_request_check (const UrunCgroupRequest *request, GError **error)
{
  const char *best_effort = best_effort_value (request);

  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;

  if (urun_cgroup_request_wants_systemd (request)
      && (request->manager == URUN_CGROUP_MANAGER_CGROUPFS
          || request->manager == URUN_CGROUP_MANAGER_DISABLED))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "--unit, --slice, --property, --description and --collect set up a "
                      "systemd scope, but --cgroup-manager %s was given; drop one or the other",
                      request->manager == URUN_CGROUP_MANAGER_CGROUPFS ? "cgroupfs" : "disabled");
  if (best_effort != NULL && g_strcmp0 (best_effort, "true") != 0
      && g_strcmp0 (best_effort, "false") != 0)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "annotations[\"" URUN_CGROUP_BEST_EFFORT_ANNOTATION "\"]: expected `true` "
                      "or `false`, got `%s`", best_effort);
  for (gsize i = 0; request->properties != NULL && request->properties[i] != NULL; i++)
    if (!urun_systemd_property_parse (request->properties[i], props, error))
      return FALSE;
  if (!urun_cgroup_request_annotation_properties (request, props, error))
    return FALSE;
  if (urun_cgroup_request_wants_systemd (request)
      || request->manager == URUN_CGROUP_MANAGER_SYSTEMD)
    return urun_cgroup_systemd_names (request, &unit, &slice, error);
  return TRUE;
}

/* The spec's names of every limit @resources asks for, for the warning of
 * a container that got no cgroup. */
static void
requested_limits (const UrunSpecResources *resources, gboolean rootless, GPtrArray *out)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) writes = urun_cgroup_resources_v2 (resources, dropped, NULL);

  for (guint i = 0; writes != NULL && i < writes->len; i++)
    {
      UrunCgroupWrite *w = g_ptr_array_index (writes, i);

      if (!g_ptr_array_find_with_equal_func (out, w->limit, g_str_equal, NULL))
        g_ptr_array_add (out, g_strdup (w->limit));
    }
  for (guint i = 0; i < dropped->len; i++)
    {
      char *d = g_ptr_array_index (dropped, i);
      char *space = strchr (d, ' ');

      g_ptr_array_add (out, space ? g_strndup (d, (gsize) (space - d)) : g_strdup (d));
    }
  /* Why rootless device rules are not reported as dropped: without a
   * cgroup they give no more than the user has, since in a user namespace
   * the kernel refuses mknod and a device node bound in opens only with the
   * user's own permissions on the host.  Every default config has such
   * rules, so a warning would follow every rootless run without telling
   * anything. */
  if (resources != NULL && resources->n_devices > 0 && !rootless)
    g_ptr_array_add (out, g_strdup ("devices (not enforced: every device allowed)"));
}

static gboolean
has_device_rules (const UrunSpecResources *resources)
{
  return resources != NULL && resources->n_devices > 0;
}

/* ---- cgroupfs driver: what v2 and v1 share ------------------------------------- */

gboolean
urun_cgroup_write_is_device_rule (const UrunCgroupWrite *w)
{
  return g_strcmp0 (w->controller, "devices") == 0;
}

gboolean
urun_cgroup_errno_unavailable (int errsv)
{
  errsv = ABS (errsv);
  return errsv == EACCES || errsv == EPERM || errsv == EROFS;
}

/* The outcome @r of writing @w into @dir.  Why a failure is an error and
 * not a reason to go on without the cgroup: the user set that limit, and a
 * container without it (or without any cgroup: no limits at all, every
 * device allowed) is more than the config allows. */
gboolean
urun_cgroup_check_write (int r, const char *dir, const UrunCgroupWrite *w, gboolean best_effort,
                         GPtrArray *dropped, GError **error)
{
  if (r == 0)
    return TRUE;
  if (r == -ENOENT && !urun_cgroup_write_is_device_rule (w))
    g_ptr_array_add (dropped, g_strdup_printf ("%s (%s/%s does not exist on this kernel)",
                                               w->limit, dir, w->file));
  else if (best_effort && !urun_cgroup_write_is_device_rule (w))
    g_ptr_array_add (dropped, g_strdup_printf ("%s (writing `%s` to %s/%s failed: %s)", w->limit,
                                               w->value, dir, w->file, urun_strerror (r)));
  else if (urun_cgroup_write_is_device_rule (w))
    return urun_fail_errno (error, r, "linux.resources.devices: cannot write the device rule "
                            "`%s` to %s/%s", w->value, dir, w->file);
  else
    {
      if (r == -EINVAL || r == -ERANGE)
        /* The kernel refused the value: the user's limit to fix. */
        urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                   "linux.resources.%s: the kernel refused `%s` for %s in %s: %s", w->limit,
                   w->value, w->file, dir, urun_strerror (r));
      else
        urun_fail_errno (error, r, "linux.resources.%s: cannot write `%s` to %s/%s", w->limit,
                         w->value, dir, w->file);
      if (error != NULL && *error != NULL)
        {
          char *message = g_strconcat ((*error)->message, "; to run without the limits this "
                                       "host cannot apply, set the annotation "
                                       URUN_CGROUP_BEST_EFFORT_ANNOTATION "=true", NULL);

          g_free ((*error)->message);
          (*error)->message = message;
        }
      return FALSE;
    }
  return TRUE;
}

/* Directories created so far, removed in reverse on failure. */
void
urun_cgroup_remove_dirs (GPtrArray *created)
{
  for (guint i = created->len; i > 0; i--)
    g_rmdir (g_ptr_array_index (created, i - 1));
}

/* mkdir -p of @root/@path; the new directories are appended to @created.
 * With @cpuset, each new directory gets its parent's cpus and mems (v1
 * cpuset starts empty, and an empty cpuset admits no task). */
gboolean
urun_cgroup_make_path (const char *root, const char *path, gboolean cpuset, GPtrArray *created,
                       gboolean *out_unavailable, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autofree char *dir = g_strdup (root);

  for (char **p = parts; *p; p++)
    {
      char *next;

      if (**p == '\0')
        continue;
      next = g_build_filename (dir, *p, NULL);
      g_free (dir);
      dir = next;
      if (mkdir (dir, 0755) == 0)
        {
          g_ptr_array_add (created, g_strdup (dir));
          if (cpuset)
            {
              g_autofree char *parent = g_path_get_dirname (dir);

              for (int k = 0; k < 2; k++)
                {
                  const char *file = k == 0 ? "cpuset.cpus" : "cpuset.mems";
                  g_autofree char *v = urun_cgroup_read_file (parent, file);

                  if (v != NULL && *v != '\0')
                    urun_cgroup_write_file (dir, file, v);
                }
            }
        }
      else if (errno != EEXIST)
        {
          int errsv = errno;

          if (out_unavailable != NULL)
            *out_unavailable = urun_cgroup_errno_unavailable (errsv);
          return urun_fail_errno (error, errsv, "create cgroup %s", dir);
        }
    }
  return TRUE;
}

/* Fails when @dir exists and holds processes: @path (the container's
 * cgroup path) belongs to someone else. */
gboolean
urun_cgroup_check_unused (const char *dir, const char *path, GError **error)
{
  g_autofree char *procs = NULL;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  procs = urun_cgroup_read_file (dir, "cgroup.procs");
  if (procs != NULL && *procs != '\0')
    return urun_fail (error, URUN_ERROR_EXISTS,
                      "cgroup %s already exists and has processes: is another container "
                      "using linux.cgroupsPath `%s`?", dir, path);
  return TRUE;
}

gboolean
urun_cgroup_move_init (const char *dir, const char *pidtext, GError **error)
{
  int r = urun_cgroup_write_file (dir, "cgroup.procs", pidtext);

  if (r < 0)
    return urun_fail_errno (error, r, "move the container's init into cgroup %s", dir);
  return TRUE;
}

static gboolean
enter_fs (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *outcome,
          gboolean *out_unavailable, GError **error)
{
  *out_unavailable = FALSE;
  switch (urun_cgroup_mode ())
    {
    case URUN_CGROUP_MODE_UNIFIED:
      return urun_cgroup_fs_enter_v2 (request, pid, outcome, out_unavailable, error);
    case URUN_CGROUP_MODE_HYBRID:
    case URUN_CGROUP_MODE_LEGACY:
      return urun_cgroup_fs_enter_v1 (request, pid, outcome, out_unavailable, error);
    case URUN_CGROUP_MODE_NONE:
    default:
      *out_unavailable = TRUE;
      return urun_fail (error, URUN_ERROR_NOT_SUPPORTED, "no cgroup file system is mounted at "
                        CGROUP_ROOT);
    }
}

/* ---- the ladder ---------------------------------------------------------------- */

void
urun_cgroup_warn_dropped (const UrunStateCgroup *cg, GPtrArray *warnings)
{
  g_autofree char *list = NULL;

  if (cg->dropped_limits == NULL || cg->dropped_limits->len == 0 || warnings == NULL)
    return;
  g_ptr_array_add (cg->dropped_limits, NULL);
  list = g_strjoinv (", ", (char **) cg->dropped_limits->pdata);
  g_ptr_array_remove_index (cg->dropped_limits, cg->dropped_limits->len - 1);
  if (cg->driver == URUN_CGROUP_DRIVER_NONE)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("resource limits dropped because the container has no "
                                      "cgroup (%s): %s", cg->reason, list));
  else
    g_ptr_array_add (warnings, g_strdup_printf ("resource limits not applied: %s", list));
}

static void
reset_outcome (UrunStateCgroup *outcome)
{
  urun_state_cgroup_clear (outcome);
  outcome->dropped_limits = g_ptr_array_new_with_free_func (g_free);
}

gboolean
urun_cgroup_enter (const UrunCgroupRequest *request, pid_t pid, UrunStateCgroup *out_outcome,
                   GPtrArray *warnings, GError **error)
{
  const UrunSpecResources *res = urun_cgroup_request_resources (request);
  UrunStateCgroup outcome = { 0 };
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autoptr (GError) local = NULL;
  gboolean unavailable = FALSE;

  g_return_val_if_fail (pid > 0, FALSE);

  reset_outcome (&outcome);

  switch (request->manager)
    {
    case URUN_CGROUP_MANAGER_SYSTEMD:
      if (!urun_systemd_enter (request, pid, &outcome, error))
        {
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      break;
    case URUN_CGROUP_MANAGER_CGROUPFS:
      if (!enter_fs (request, pid, &outcome, &unavailable, error))
        {
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      break;
    case URUN_CGROUP_MANAGER_DISABLED:
      outcome.reason = g_strdup ("cgroups disabled with --cgroup-manager disabled");
      requested_limits (res, request->rootless, outcome.dropped_limits);
      break;
    case URUN_CGROUP_MANAGER_DEFAULT:
    default:
      /* urun as a service's own process: the service's cgroup. */
      if (urun_cgroup_service_applies (request))
        {
          if (!urun_cgroup_service_enter (request, pid, &outcome, error))
            {
              urun_state_cgroup_clear (&outcome);
              return FALSE;
            }
          if (outcome.driver == URUN_CGROUP_DRIVER_NONE)
            requested_limits (res, request->rootless, outcome.dropped_limits);
          break;
        }
      /* The systemd-run options ask for a scope: no silent fallback. */
      if (urun_cgroup_request_wants_systemd (request))
        {
          if (!urun_systemd_enter (request, pid, &outcome, error))
            {
              urun_state_cgroup_clear (&outcome);
              return FALSE;
            }
          break;
        }
      if (urun_systemd_available (request->rootless, &local)
          && urun_systemd_enter (request, pid, &outcome, &local))
        break;
      g_string_append_printf (reasons, "%s systemd: %s",
                              request->rootless ? "the user's" : "the system's",
                              local ? local->message : "not available");
      g_clear_error (&local);
      reset_outcome (&outcome);
      if (enter_fs (request, pid, &outcome, &unavailable, &local))
        {
          /* Why not the first rung: worth a line in `state`. */
          outcome.reason = g_string_free (g_steal_pointer (&reasons), FALSE);
          break;
        }
      /* A cgroup that was made but refuses a limit or a device rule the
       * user set is their error, not a reason to run without limits: only
       * a host where no cgroup can be made at all goes on without one. */
      if (!unavailable)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      g_string_append_printf (reasons, "; cgroupfs: %s", local->message);
      /* Why root never loses device rules: without a cgroup nothing
       * filters device access, and root in the container may mknod and
       * open any device of the host. */
      if (!request->rootless && has_device_rules (res))
        {
          urun_fail (error, URUN_ERROR_FAILED,
                     "no cgroup can be made for the container (%s), and without one its "
                     "device rules (linux.resources.devices) cannot be enforced; make a cgroup "
                     "hierarchy writable, or run it without a cgroup and without device rules "
                     "with --cgroup-manager disabled",
                     reasons->str);
          urun_state_cgroup_clear (&outcome);
          return FALSE;
        }
      reset_outcome (&outcome);
      outcome.reason = g_string_free (g_steal_pointer (&reasons), FALSE);
      requested_limits (res, request->rootless, outcome.dropped_limits);
      break;
    }
  urun_cgroup_warn_dropped (&outcome, warnings);
  *out_outcome = outcome;
  return TRUE;
}
