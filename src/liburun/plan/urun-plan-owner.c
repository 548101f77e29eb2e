/* urun-plan-owner.c: the arena of a plan (see urun-plan-owner.h).
 * Zone: host side (GLib).
 */
#include "config.h"

#include "plan/urun-plan-owner.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"

#include <unistd.h>

gpointer
urun_plan_owner_keep (UrunPlanOwner *owner, gpointer data)
{
  if (data != NULL)
    g_ptr_array_add (owner->allocations, data);
  return data;
}

const char *
urun_plan_owner_strdup (UrunPlanOwner *owner, const char *text)
{
  return urun_plan_owner_keep (owner, g_strdup (text));
}

char **
urun_plan_owner_strdupv (UrunPlanOwner *owner, char *const *vector)
{
  char **copy;
  gsize n = 0;

  if (vector == NULL)
    return NULL;
  while (vector[n] != NULL)
    n++;
  copy = urun_plan_owner_keep (owner, g_new0 (char *, n + 1));
  for (gsize i = 0; i < n; i++)
    copy[i] = (char *) urun_plan_owner_strdup (owner, vector[i]);
  return copy;
}

int
urun_plan_owner_keep_fd (UrunPlanOwner *owner, int fd, GError **error)
{
  if (fd < 0)
    return fd;
  fd = urun_fd_move_above (fd, 3 + owner->plan.preserve_fds);
  if (fd < 0)
    return urun_fail_errno (error, -fd, "move an fd above --preserve-fds"), -1;
  g_array_append_val (owner->fds, fd);
  return fd;
}

static int
compare_fds (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

void
urun_plan_owner_seal_fds (UrunPlanOwner *owner)
{
  g_array_sort (owner->fds, compare_fds);
  owner->plan.keep_fds = (const int *) (gpointer) owner->fds->data;
  owner->plan.n_keep_fds = owner->fds->len;
}

void
urun_plan_owner_free (UrunPlanOwner *owner)
{
  if (owner == NULL)
    return;
  for (guint i = 0; owner->fds != NULL && i < owner->fds->len; i++)
    close (g_array_index (owner->fds, int, i));
  g_clear_pointer (&owner->fds, g_array_unref);
  g_clear_pointer (&owner->allocations, g_ptr_array_unref);
  g_free (owner);
}

UrunPlanOwner *
urun_plan_owner_new (void)
{
  UrunPlanOwner *owner = g_new0 (UrunPlanOwner, 1);

  owner->allocations = g_ptr_array_new_with_free_func (g_free);
  owner->fds = g_array_new (FALSE, FALSE, sizeof (int));
  owner->plan.sync_fd = -1;
  owner->plan.exec_fifo_fd = -1;
  owner->plan.state_fd = -1;
  owner->plan.notify_tree_fd = -1;
  owner->plan.clone_cgroup_fd = -1;
  return owner;
}
