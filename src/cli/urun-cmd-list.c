/* urun-cmd-list.c: the `list` command.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"
#include "util/urun-error.h"
#include "state/urun-state.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum
{
  COL_ID,
  COL_PID,
  COL_STATUS,
  COL_BUNDLE,
  COL_CREATED,
  COL_OWNER,
  N_COLUMNS
};

/* Not translated: scripts parse these headers, as they do runc's. */
static const char *const headers[N_COLUMNS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED",
                                                "OWNER" };

#define MIN_WIDTH 12
#define PADDING 3

/* Stopped containers show pid 0 (see urun-cmd-state.c). */
static pid_t
shown_pid (const UrunStateListEntry *entry)
{
  return entry->status == URUN_STATUS_STOPPED ? 0 : entry->record->pid;
}

static void
print_table (GPtrArray *entries)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gsize widths[N_COLUMNS];
  GString *line = g_string_new (NULL);

  g_ptr_array_add (rows, g_strdupv ((char **) headers));
  for (guint i = 0; i < entries->len; i++)
    {
      const UrunStateListEntry *entry = g_ptr_array_index (entries, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COL_ID] = g_strdup (entry->record->id);
      row[COL_PID] = g_strdup_printf ("%d", (int) shown_pid (entry));
      row[COL_STATUS] = g_strdup (urun_container_status_to_string (entry->status));
      row[COL_BUNDLE] = g_strdup (entry->record->bundle ? entry->record->bundle : "");
      row[COL_CREATED] = g_strdup (entry->record->created ? entry->record->created : "");
      row[COL_OWNER] = g_strdup (entry->record->owner ? entry->record->owner : "");
      g_ptr_array_add (rows, row);
    }

  /* runc's layout (Go's tabwriter with minwidth 12 and padding 3): a
   * column is as wide as its widest cell plus 3, and at least 12 wide, so
   * that scripts cutting runc's output by column cut ours alike. */
  for (int c = 0; c < N_COLUMNS; c++)
    widths[c] = MIN_WIDTH;
  for (guint r = 0; r < rows->len; r++)
    for (int c = 0; c < N_COLUMNS; c++)
      widths[c] = MAX (widths[c],
                       (gsize) g_utf8_strlen (((char **) rows->pdata[r])[c], -1) + PADDING);

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];

      g_string_truncate (line, 0);
      for (int c = 0; c < N_COLUMNS; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < N_COLUMNS)
            for (gsize pad = (gsize) g_utf8_strlen (row[c], -1); pad < widths[c]; pad++)
              g_string_append_c (line, ' ');
        }
      g_string_append_c (line, '\n');
      fputs (line->str, stdout);
    }
  g_string_free (line, TRUE);
}

/* For a person at a terminal only, and on stderr, so that scripts reading
 * the table see runc's output unchanged. */
static void
print_gc_hint (GPtrArray *entries)
{
  guint stopped = 0;

  for (guint i = 0; i < entries->len; i++)
    stopped += ((UrunStateListEntry *) g_ptr_array_index (entries, i))->status
               == URUN_STATUS_STOPPED;
  if (stopped > 0 && isatty (STDERR_FILENO))
    fprintf (stderr, _("%u stopped container(s) left state behind; `urun gc` removes them\n"),
             stopped);
}

static void
print_json (GPtrArray *entries)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr (JsonArray) array = json_array_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      UrunStateListEntry *entry = g_ptr_array_index (entries, i);
      JsonNode *element;

      entry->record->pid = shown_pid (entry);
      element = urun_state_record_to_json (entry->record,
                                           urun_container_status_to_string (entry->status));
      /* urun's own field, past runc's: the process is gone and `urun gc`
       * would remove this container.  The table stays exactly runc's. */
      json_object_set_boolean_member (json_node_get_object (element), "leftover",
                                      entry->status == URUN_STATUS_STOPPED);
      json_array_add_element (array, element);
    }
  json_node_set_array (node, array);
  text = json_to_string (node, TRUE);
  g_print ("%s\n", text);
}

int
urun_cmd_list (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *format = NULL;
  g_autoptr (UrunStateStore) store = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries_options[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: table (default) or json"), N_("FORMAT") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only the container ids"), NULL },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries_options, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 0, 0, error))
    return -1;
  if (format != NULL && strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    {
      urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                 _("invalid value `%s` for --format: expected table, json"), format);
      return -1;
    }

  /* A missing root is an empty list, and listing never creates it. */
  store = urun_cli_open_store (cli, FALSE, error);
  if (store == NULL)
    return -1;
  entries = urun_state_store_list (store, urun_container_cgroup_is_frozen, error);
  if (entries == NULL)
    return -1;

  if (quiet)
    for (guint i = 0; i < entries->len; i++)
      g_print ("%s\n", ((UrunStateListEntry *) g_ptr_array_index (entries, i))->record->id);
  else if (g_strcmp0 (format, "json") == 0)
    print_json (entries);
  else
    {
      print_table (entries);
      print_gc_hint (entries);
    }
  return 0;
}
