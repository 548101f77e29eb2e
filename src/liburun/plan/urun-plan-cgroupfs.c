/* urun-plan-cgroupfs.c: the host's cgroup hierarchies in the init plan, for
 * a container with a `cgroup` or `cgroup2` mount (UrunPlanCgroup in
 * urun-plan.h; init mounts them in urun-init-cgroupfs.c).
 *
 * Zone: host side (GLib), before the clone.
 *
 * Why the parent finds the hierarchies and init its own cgroup in each: the
 * hierarchies and their mount points are the host's and do not change while
 * urun runs, but the container's cgroup is final only once the parent has
 * moved init into it, after the clone and before GO (and with the systemd
 * driver its path is systemd's choice).  Init reads that from its own
 * /proc/self/cgroup after GO, so the handshake carries nothing more.  What
 * ties the two together is the hierarchy number, the first field of
 * /proc/self/cgroup, which is the same for every process.
 */
#include "config.h"

#include "plan/urun-plan-parts.h"

#include "util/urun-error.h"
#include "util/urun-file.h"

#include <errno.h>
#include <string.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* One cgroup mount of the host, from one line of /proc/self/mountinfo. */
typedef struct
{
  char *mount_point;
  char *root;
  gboolean v2;
  char **super_options;
} HostMount;

static void
host_mount_free (HostMount *m)
{
  g_free (m->mount_point);
  g_free (m->root);
  g_strfreev (m->super_options);
  g_free (m);
}

/* "ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [TAGS...] - TYPE SOURCE
 * SUPER-OPTIONS".  Fills @out_root, @out_point (unescaped), @out_type and
 * @out_super (pointers into @fields, except the unescaped two); FALSE for
 * a line that is not one. */
static gboolean
split_mountinfo_line (char **fields, char **out_root, char **out_point, const char **out_type,
                      const char **out_super)
{
  guint n = g_strv_length (fields);
  guint sep;

  for (sep = 6; sep < n && strcmp (fields[sep], "-") != 0; sep++)
    ;
  if (sep + 3 >= n)
    return FALSE;
  /* The kernel writes space, tab, newline and backslash as \ooo. */
  *out_root = g_strcompress (fields[3]);
  *out_point = g_strcompress (fields[4]);
  *out_type = fields[sep + 1];
  *out_super = fields[sep + 3];
  return TRUE;
}

/* The cgroup mounts that make up the host's /sys/fs/cgroup: the cgroup2
 * mount that is /sys/fs/cgroup, or those right below it.  A later mount on
 * the same point hides the earlier one (and a mount on /sys/fs/cgroup
 * itself everything below it), as the kernel shows them. */
static GPtrArray *
host_cgroup_mounts (const char *mountinfo)
{
  GPtrArray *mounts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_mount_free);
  g_auto (GStrv) lines = g_strsplit (mountinfo, "\n", -1);

  for (char **l = lines; *l != NULL; l++)
    {
      g_auto (GStrv) fields = NULL;
      g_autofree char *root = NULL;
      g_autofree char *point = NULL;
      g_autofree char *parent = NULL;
      const char *type, *super;
      HostMount *m;

      /* Why this test before the split: splitting and unescaping every
       * line was most of the cost of planning a container (a host has
       * hundreds of mounts), and a mount point at or below
       * /sys/fs/cgroup has the path literally in its line, since the
       * kernel escapes only space, tab, newline and backslash. */
      if (strstr (*l, CGROUP_ROOT) == NULL)
        continue;
      fields = g_strsplit (*l, " ", -1);
      if (!split_mountinfo_line (fields, &root, &point, &type, &super))
        continue;
      parent = g_path_get_dirname (point);
      if (strcmp (point, CGROUP_ROOT) == 0)
        g_ptr_array_set_size (mounts, 0);
      else if (strcmp (parent, CGROUP_ROOT) != 0)
        continue;
      for (guint i = mounts->len; i > 0; i--)
        if (strcmp (((HostMount *) mounts->pdata[i - 1])->mount_point, point) == 0)
          g_ptr_array_remove_index (mounts, i - 1);
      if (strcmp (type, "cgroup") != 0 && strcmp (type, "cgroup2") != 0)
        continue;
      m = g_new0 (HostMount, 1);
      m->mount_point = g_steal_pointer (&point);
      m->root = g_steal_pointer (&root);
      m->v2 = strcmp (type, "cgroup2") == 0;
      m->super_options = g_strsplit (super, ",", -1);
      g_ptr_array_add (mounts, m);
    }
  return mounts;
}

/* One v1 line of /proc/self/cgroup: "ID:CONTROLLERS:PATH". */
typedef struct
{
  int id;
  char *controllers;
  char **split;
} CgroupLine;

static void
cgroup_line_clear (CgroupLine *line)
{
  g_free (line->controllers);
  g_strfreev (line->split);
}

/* The v1 lines of /proc/self/cgroup, each split once (not once for each
 * mount that looks for its line). */
static GArray *
cgroup_lines_parse (const char *cgroup)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (CgroupLine));
  g_auto (GStrv) text = g_strsplit (cgroup != NULL ? cgroup : "", "\n", -1);

  g_array_set_clear_func (lines, (GDestroyNotify) cgroup_line_clear);
  for (char **l = text; *l != NULL; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, ":", 3);
      CgroupLine line = { 0 };
      guint64 id;

      if (g_strv_length (f) != 3 || f[1][0] == '\0'
          || !g_ascii_string_to_unsigned (f[0], 10, 1, G_MAXINT, &id, NULL))
        continue;
      line.id = (int) id;
      line.controllers = g_strdup (f[1]);
      line.split = g_strsplit (f[1], ",", -1);
      g_array_append_val (lines, line);
    }
  return lines;
}

/* The line of /proc/self/cgroup for the v1 mount @m: the one whose
 * controllers (and name=) are all among its super options.  Returns its
 * id, -1 if none; *out_controllers is a new string. */
static int
v1_hierarchy (const GArray *cgroup_lines, const HostMount *m, char **out_controllers)
{
  for (guint i = 0; i < cgroup_lines->len; i++)
    {
      const CgroupLine *line = &g_array_index (cgroup_lines, CgroupLine, i);
      gboolean all = TRUE;

      for (char **c = line->split; *c != NULL && all; c++)
        all = g_strv_contains ((const char *const *) m->super_options, *c);
      if (all)
        {
          *out_controllers = g_strdup (line->controllers);
          return line->id;
        }
    }
  return -1;
}

static gboolean
has_name (const GArray *cgroups, const char *name)
{
  for (guint i = 0; i < cgroups->len; i++)
    if (g_strcmp0 (g_array_index (cgroups, UrunPlanCgroup, i).name, name) == 0)
      return TRUE;
  return FALSE;
}

/* The symlinks of a comounted hierarchy, as runc and crun make them:
 * cpu -> cpu,cpuacct and cpuacct -> cpu,cpuacct, so that the usual paths of
 * each controller work.  None where the name is taken. */
static const char *const *
comount_links (UrunPlanOwner *owner, const GArray *cgroups, const UrunPlanCgroup *c)
{
  g_auto (GStrv) controllers = g_strsplit (c->controllers, ",", -1);
  GPtrArray *links = g_ptr_array_new ();

  for (char **n = controllers; *n != NULL; n++)
    if (!g_str_has_prefix (*n, "name=") && strcmp (*n, c->name) != 0
        && !has_name (cgroups, *n))
      g_ptr_array_add (links, (gpointer) urun_plan_owner_strdup (owner, *n));
  if (links->len == 0)
    {
      g_ptr_array_free (links, TRUE);
      return NULL;
    }
  g_ptr_array_add (links, NULL);
  return urun_plan_owner_keep (owner, g_ptr_array_free (links, FALSE));
}

void
urun_plan_cgroups_from_text (UrunPlanOwner *owner, const char *mountinfo, const char *cgroup)
{
  UrunInitPlan *plan = &owner->plan;
  g_autoptr (GPtrArray) mounts = host_cgroup_mounts (mountinfo);
  g_autoptr (GArray) cgroup_lines = cgroup_lines_parse (cgroup);
  g_autoptr (GArray) cgroups = g_array_new (FALSE, TRUE, sizeof (UrunPlanCgroup));

  plan->cgroup_unified = FALSE;
  for (guint i = 0; i < mounts->len; i++)
    {
      const HostMount *m = mounts->pdata[i];
      g_autofree char *controllers = NULL;
      g_autofree char *name = g_path_get_basename (m->mount_point);
      UrunPlanCgroup c = { 0 };

      if (strcmp (m->mount_point, CGROUP_ROOT) == 0)
        {
          /* Only a cgroup2 mount can be /sys/fs/cgroup itself and still be
           * in the list: the unified layout, one hierarchy. */
          plan->cgroup_unified = TRUE;
          g_free (g_steal_pointer (&name));
        }
      else if (!m->v2 && (c.id = v1_hierarchy (cgroup_lines, m, &controllers)) < 0)
        continue;
      c.name = urun_plan_owner_strdup (owner, name);
      c.host_mount = urun_plan_owner_strdup (owner, m->mount_point);
      c.host_root = urun_plan_owner_strdup (owner, m->root);
      c.controllers = urun_plan_owner_strdup (owner, controllers);
      g_array_append_val (cgroups, c);
    }
  for (guint i = 0; i < cgroups->len; i++)
    {
      UrunPlanCgroup *c = &g_array_index (cgroups, UrunPlanCgroup, i);
      gboolean again = FALSE;

      /* A hierarchy the host mounts twice gets its links once. */
      for (guint j = 0; j < i && !again; j++)
        again = g_array_index (cgroups, UrunPlanCgroup, j).id == c->id;
      if (c->controllers != NULL && !again)
        c->links = comount_links (owner, cgroups, c);
    }
  plan->n_cgroups = cgroups->len;
  plan->cgroups = urun_plan_owner_keep (owner, g_array_free (g_steal_pointer (&cgroups), FALSE));
}

gboolean
urun_plan_build_cgroups (UrunPlanOwner *owner, GError **error)
{
  g_autofree char *mountinfo = NULL;
  g_autofree char *cgroup = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (owner != NULL, FALSE);

  mountinfo = urun_file_read ("/proc/self/mountinfo", NULL, &local);
  if (mountinfo == NULL)
    return urun_fail (error, URUN_ERROR_FAILED, "cannot find the host's cgroup hierarchies: %s",
                      local->message);
  /* A kernel without cgroups has no such file, and no hierarchies. */
  cgroup = urun_file_read ("/proc/self/cgroup", NULL, NULL);
  urun_plan_cgroups_from_text (owner, mountinfo, cgroup);
  return TRUE;
}
