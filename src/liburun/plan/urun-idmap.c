/* urun-idmap.c: planning and writing user namespace maps (see urun-idmap.h).
 * Zone: host side (GLib). */
#include "config.h"

#include "plan/urun-idmap.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-subid.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void
urun_idmap_plan_clear (UrunIdMapPlan *plan)
{
  g_clear_pointer (&plan->uid_mappings, g_array_unref);
  g_clear_pointer (&plan->gid_mappings, g_array_unref);
  plan->use_helpers = FALSE;
  plan->deny_setgroups = FALSE;
}

static GArray *
mappings_array (const UrunSpecIdMapping *mappings, gsize n_mappings)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (UrunSpecIdMapping), n_mappings);

  g_array_append_vals (array, mappings, n_mappings);
  return array;
}

static GArray *
single_id_mapping (guint32 container_id, guint32 host_id)
{
  UrunSpecIdMapping mapping = { container_id, host_id, 1 };

  return mappings_array (&mapping, 1);
}

/* TRUE when @mappings map exactly one id, @own_id, which an unprivileged
 * process may do by itself. */
static gboolean
is_own_id_only (const GArray *mappings, guint32 own_id)
{
  const UrunSpecIdMapping *first;

  if (mappings->len != 1)
    return FALSE;
  first = &g_array_index (mappings, UrunSpecIdMapping, 0);
  return first->size == 1 && first->host_id == own_id;
}

/* The container id that the config gives to @host_id, or 0. */
static guint32
container_id_of (const GArray *mappings, guint32 host_id)
{
  for (guint i = 0; i < mappings->len; i++)
    {
      const UrunSpecIdMapping *m = &g_array_index (mappings, UrunSpecIdMapping, i);
      if (host_id >= m->host_id && host_id - m->host_id < m->size)
        return m->container_id + (host_id - m->host_id);
    }
  return 0;
}

char *
urun_idmap_find_helper (const char *configured, const char *name)
{
  const char *const fallbacks[] = { "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/" };
  char *found;

  if (configured != NULL)
    return g_file_test (configured, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (configured) : NULL;
  found = g_find_program_in_path (name);
  if (found != NULL)
    return found;
  /* Why the fallbacks: podman calls the runtime with an almost empty PATH. */
  for (gsize i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      g_autofree char *path = g_strconcat (fallbacks[i], name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* Hands @plan over to @out_plan, leaving @plan empty; returns TRUE. */
static gboolean
move_plan (UrunIdMapPlan *plan, UrunIdMapPlan *out_plan)
{
  *out_plan = *plan;
  memset (plan, 0, sizeof *plan);
  return TRUE;
}

/* The size of the range the hint suggests: what useradd gives a user. */
#define SUGGESTED_COUNT 65536u

gboolean
urun_idmap_plan (const UrunSpec *spec, gboolean privileged, uid_t euid, gid_t egid,
                 const char *user_name, const UrunIdMapTools *tools, UrunIdMapPlan *out_plan,
                 GPtrArray *warnings, GError **error)
{
  const UrunIdMapTools default_tools = { 0 };
  const UrunSpecNamespace *userns = urun_spec_find_namespace (spec, "user");
  const UrunSpecLinux *linux_ = spec->linux_;
  g_auto (UrunIdMapPlan) plan = { 0 };
  g_autoptr (GArray) uid_ranges = NULL;
  g_autoptr (GArray) gid_ranges = NULL;
  g_autofree char *newuidmap = NULL;
  g_autofree char *newgidmap = NULL;
  const char *subuid_path;
  const char *subgid_path;

  if (tools == NULL)
    tools = &default_tools;
  subuid_path = tools->subuid_path ? tools->subuid_path : URUN_SUBUID_PATH;
  subgid_path = tools->subgid_path ? tools->subgid_path : URUN_SUBGID_PATH;

  /* No new user namespace: nothing to write. */
  if (userns == NULL || userns->path != NULL)
    {
      return move_plan (&plan, out_plan);
    }

  if (linux_->n_uid_mappings > 0)
    plan.uid_mappings = mappings_array (linux_->uid_mappings, linux_->n_uid_mappings);
  if (linux_->n_gid_mappings > 0)
    plan.gid_mappings = mappings_array (linux_->gid_mappings, linux_->n_gid_mappings);

  if (privileged)
    {
      if (plan.uid_mappings == NULL || plan.gid_mappings == NULL)
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: linux.%s: a new user namespace needs uid and gid "
                          "mappings",
                          plan.uid_mappings == NULL ? "uidMappings" : "gidMappings");
      return move_plan (&plan, out_plan);
    }

  /* Unprivileged and no maps given: the one id we own becomes root. */
  if (plan.uid_mappings == NULL)
    plan.uid_mappings = single_id_mapping (0, euid);
  if (plan.gid_mappings == NULL)
    plan.gid_mappings = single_id_mapping (0, egid);

  if (is_own_id_only (plan.uid_mappings, euid) && is_own_id_only (plan.gid_mappings, egid))
    {
      /* The kernel lets an unprivileged process map its own gid only once
       * setgroups is denied, so that dropping groups cannot gain access. */
      plan.deny_setgroups = TRUE;
      return move_plan (&plan, out_plan);
    }

  newuidmap = urun_idmap_find_helper (tools->newuidmap, "newuidmap");
  newgidmap = urun_idmap_find_helper (tools->newgidmap, "newgidmap");
  /* Both files are keyed by the user, never by the group. */
  uid_ranges = urun_subid_ranges (subuid_path, user_name, euid, error);
  if (uid_ranges == NULL)
    return FALSE;
  gid_ranges = urun_subid_ranges (subgid_path, user_name, euid, error);
  if (gid_ranges == NULL)
    return FALSE;

  if (newuidmap != NULL && newgidmap != NULL && uid_ranges->len > 0 && gid_ranges->len > 0)
    {
      plan.use_helpers = TRUE;
      return move_plan (&plan, out_plan);
    }

  /* Why fall back rather than fail: a desktop user without ranges should
   * still get a working container, with only their own id inside. */
  if (warnings != NULL)
    {
      const char *who = user_name ? user_name : "USER";
      if (newuidmap == NULL || newgidmap == NULL)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("newuidmap and newgidmap were not found, so only "
                                            "your own uid %u is mapped into the container; "
                                            "install the `uidmap` package for full maps"),
                                          (unsigned) euid));
      else
        {
          /* A range nobody has yet, so that the command can be pasted. */
          guint32 start = urun_subid_free_start (subuid_path, subgid_path, SUGGESTED_COUNT);
          guint32 end = start + SUGGESTED_COUNT - 1;

          if (start == 0)
            g_ptr_array_add (warnings,
                             g_strdup_printf (_("user %s has no subordinate ids in %s and %s, "
                                                "so only uid %u is mapped into the container; "
                                                "no free range of %u ids is left to suggest"),
                                              who, subuid_path, subgid_path, (unsigned) euid,
                                              (unsigned) SUGGESTED_COUNT));
          else
            g_ptr_array_add (warnings,
                             g_strdup_printf (_("user %s has no subordinate ids in %s and %s, "
                                                "so only uid %u is mapped into the container; "
                                                "as root, add the free range %u-%u with `usermod "
                                                "--add-subuids %u-%u --add-subgids %u-%u %s` "
                                                "(or the line `%s:%u:%u` in both files)"),
                                              who, subuid_path, subgid_path, (unsigned) euid,
                                              start, end, start, end, start, end, who, who,
                                              start, (unsigned) SUGGESTED_COUNT));
        }
    }
  {
    guint32 uid_inside = container_id_of (plan.uid_mappings, euid);
    guint32 gid_inside = container_id_of (plan.gid_mappings, egid);

    g_array_unref (plan.uid_mappings);
    g_array_unref (plan.gid_mappings);
    plan.uid_mappings = single_id_mapping (uid_inside, euid);
    plan.gid_mappings = single_id_mapping (gid_inside, egid);
  }
  plan.deny_setgroups = TRUE;
  return move_plan (&plan, out_plan);
}

gboolean
urun_idmap_maps_container_id (const GArray *mappings, guint32 id)
{
  for (guint i = 0; mappings != NULL && i < mappings->len; i++)
    {
      const UrunSpecIdMapping *m = &g_array_index (mappings, UrunSpecIdMapping, i);

      if (id >= m->container_id && id - m->container_id < m->size)
        return TRUE;
    }
  return FALSE;
}

static char *
urun_idmap_format (const GArray *mappings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; mappings != NULL && i < mappings->len; i++)
    {
      const UrunSpecIdMapping *m = &g_array_index (mappings, UrunSpecIdMapping, i);
      g_string_append_printf (text, "%u %u %u\n", m->container_id, m->host_id, m->size);
    }
  return g_string_free (text, FALSE);
}

static gboolean
write_proc_file (pid_t pid, const char *name, const char *contents, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, name);
  URUN_AUTOCLOSE int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (contents);

  if (fd < 0)
    return urun_fail_errno (error, errno, "open %s", path);
  /* A map must arrive in one write(2): the kernel takes the first only. */
  if (write (fd, contents, len) != (ssize_t) len)
    return urun_fail_errno (error, errno, "write %s", path);
  return TRUE;
}

/* newuidmap or newgidmap, started; its stderr is read once it exits. */
typedef struct
{
  const char *name;
  GPid pid;
  int stderr_fd;
} Helper;

static gboolean
start_helper (const char *helper, pid_t pid, const GArray *mappings, Helper *out,
              GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) spawn_error = NULL;

  g_ptr_array_add (argv, g_strdup (helper));
  g_ptr_array_add (argv, g_strdup_printf ("%d", (int) pid));
  for (guint i = 0; i < mappings->len; i++)
    {
      const UrunSpecIdMapping *m = &g_array_index (mappings, UrunSpecIdMapping, i);
      g_ptr_array_add (argv, g_strdup_printf ("%u", m->container_id));
      g_ptr_array_add (argv, g_strdup_printf ("%u", m->host_id));
      g_ptr_array_add (argv, g_strdup_printf ("%u", m->size));
    }
  g_ptr_array_add (argv, NULL);

  out->name = helper;
  out->stderr_fd = -1;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, &out->pid, NULL, NULL, &out->stderr_fd, &spawn_error))
    return urun_fail (error, URUN_ERROR_FAILED, "run %s: %s", helper, spawn_error->message);
  return TRUE;
}

/* Reads the stderr of @h to its end, reaps it, and fails with what it said
 * when it did not exit 0. */
static gboolean
finish_helper (Helper *h, GError **error)
{
  g_autoptr (GString) errors = g_string_new (NULL);
  char buffer[512];
  int status = 0;
  ssize_t n;

  while ((n = read (h->stderr_fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_string_append_len (errors, buffer, n);
    }
  urun_close_fdp (&h->stderr_fd);
  while (waitpid (h->pid, &status, 0) < 0)
    if (errno != EINTR)
      return urun_fail_errno (error, errno, "wait for %s", h->name);
  if (!g_spawn_check_wait_status (status, NULL))
    return urun_fail (error, URUN_ERROR_PERMISSION_DENIED, "%s failed: %s", h->name,
                      g_strstrip (errors->str));
  return TRUE;
}

/* Both at once: each is a setuid program to start and to load (about 1
 * ms of wall time here), and they write different files of @pid (uid_map,
 * gid_map).  The first failure is the one reported. */
static gboolean
run_helpers (const char *newuidmap, const char *newgidmap, pid_t pid,
             const UrunIdMapPlan *plan, GError **error)
{
  Helper uid_helper, gid_helper;
  gboolean ok;

  if (!start_helper (newuidmap, pid, plan->uid_mappings, &uid_helper, error))
    return FALSE;
  if (!start_helper (newgidmap, pid, plan->gid_mappings, &gid_helper, error))
    {
      finish_helper (&uid_helper, NULL);
      return FALSE;
    }
  ok = finish_helper (&uid_helper, error);
  return finish_helper (&gid_helper, ok ? error : NULL) && ok;
}

gboolean
urun_idmap_apply (const UrunIdMapPlan *plan, pid_t pid, const UrunIdMapTools *tools,
                  GError **error)
{
  g_autofree char *uid_map = NULL;
  g_autofree char *gid_map = NULL;

  if (plan->uid_mappings == NULL && plan->gid_mappings == NULL)
    return TRUE;

  if (plan->use_helpers)
    {
      const UrunIdMapTools default_tools = { 0 };
      g_autofree char *newuidmap = NULL;
      g_autofree char *newgidmap = NULL;

      if (tools == NULL)
        tools = &default_tools;
      newuidmap = urun_idmap_find_helper (tools->newuidmap, "newuidmap");
      newgidmap = urun_idmap_find_helper (tools->newgidmap, "newgidmap");
      if (newuidmap == NULL || newgidmap == NULL)
        return urun_fail (error, URUN_ERROR_NOT_FOUND, "newuidmap/newgidmap not found");
      return run_helpers (newuidmap, newgidmap, pid, plan, error);
    }

  if (plan->deny_setgroups && !write_proc_file (pid, "setgroups", "deny", error))
    return FALSE;
  uid_map = urun_idmap_format (plan->uid_mappings);
  gid_map = urun_idmap_format (plan->gid_mappings);
  return write_proc_file (pid, "uid_map", uid_map, error)
         && write_proc_file (pid, "gid_map", gid_map, error);
}
