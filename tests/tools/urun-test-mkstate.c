/* urun-test-mkstate.c: a test fixture that records a container in a state
 * root for an existing process, through the real liburun state API.
 *
 *   urun-test-mkstate --root DIR --id ID --pid PID --bundle DIR [--status-fifo]
 *
 * The record carries the real start time of PID, so the container reads
 * "running" while PID lives and "stopped" after; --status-fifo also makes
 * exec.fifo, so it reads "created".  Zone: test tool (prints, exits).
 */
#include "config.h"

#include "util/urun-proc.h"
#include "state/urun-state.h"

#include <stdio.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  g_autofree char *root = NULL;
  g_autofree char *id = NULL;
  g_autofree char *bundle = NULL;
  gint pid = 0;
  gboolean status_fifo = FALSE;
  const GOptionEntry entries[] = {
    { "root", 0, 0, G_OPTION_ARG_FILENAME, &root, "State root", "DIR" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, "Container id", "ID" },
    { "pid", 0, 0, G_OPTION_ARG_INT, &pid, "Init pid", "PID" },
    { "bundle", 0, 0, G_OPTION_ARG_FILENAME, &bundle, "Bundle directory", "DIR" },
    { "status-fifo", 0, 0, G_OPTION_ARG_NONE, &status_fifo, "Also create exec.fifo", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunStateStore) store = NULL;
  g_autoptr (UrunContainerState) state = NULL;
  g_autoptr (UrunStateRecord) record = NULL;
  g_autofree char *owner = NULL;
  UrunProcStat stat;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto fail;
  if (root == NULL || id == NULL || bundle == NULL || pid <= 0)
    {
      fprintf (stderr, "urun-test-mkstate: --root, --id, --pid and --bundle are required\n");
      return 2;
    }
  if (!urun_proc_stat_read (pid, &stat, &error))
    goto fail;

  store = urun_state_store_open (root, TRUE, &error);
  if (store == NULL)
    goto fail;
  state = urun_state_create (store, id, &error);
  if (state == NULL)
    goto fail;

  owner = urun_state_owner_name (getuid ());
  record = urun_state_record_new (id, owner);
  record->pid = pid;
  record->init_start_time = stat.start_time;
  record->bundle = g_canonicalize_filename (bundle, NULL);
  record->rootfs = g_build_filename (record->bundle, "rootfs", NULL);
  record->rootless = getuid () != 0;
  g_hash_table_insert (record->annotations, g_strdup ("org.urun.test"), g_strdup ("mkstate"));
  if (status_fifo && !urun_container_state_make_exec_fifo (state, &error))
    goto fail;
  if (!urun_container_state_save (state, record, &error))
    goto fail;
  return 0;

fail:
  fprintf (stderr, "urun-test-mkstate: %s\n", error->message);
  return 1;
}
