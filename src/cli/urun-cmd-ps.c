/* urun-cmd-ps.c: the `ps` command: list the processes of a container, as a
 * ps(1) table or as a JSON array of pids.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-container-cgroup.h"
#include "util/urun-error.h"

#include <stdio.h>
#include <string.h>

static gboolean
contains_pid (GArray *pids, gint64 pid)
{
  for (guint i = 0; i < pids->len; i++)
    if (g_array_index (pids, pid_t, i) == pid)
      return TRUE;
  return FALSE;
}

/* Runs ps(1) with @ps_args (default -ef) and keeps the header and the
 * lines whose PID column is one of @pids. */
static gboolean
print_table (GArray *pids, int n_args, char **args, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  int status, column = -1;

  g_ptr_array_add (argv, (gpointer) "ps");
  if (n_args == 0)
    g_ptr_array_add (argv, (gpointer) "-ef");
  for (int i = 0; i < n_args; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    return urun_fail (error, URUN_ERROR_FAILED, _("ps failed: %s"), g_strstrip (err));
  lines = g_strsplit (out, "\n", -1);
  if (lines[0] != NULL)
    {
      g_autofree char *header = g_strstrip (g_strdup (lines[0]));
      g_auto (GStrv) head = g_strsplit_set (header, " \t", -1);
      int col = 0;

      for (char **h = head; *h; h++)
        {
          if (**h == '\0')
            continue;
          if (strcmp (*h, "PID") == 0)
            column = col;
          col++;
        }
      if (column < 0)
        return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                          _("the output of ps has no PID column: pass options that show it "
                            "(e.g. -ef)"));
      g_print ("%s\n", lines[0]);
    }
  for (char **l = lines + 1; *l; l++)
    {
      g_auto (GStrv) f = g_strsplit_set (*l, " \t", -1);
      int col = 0;

      for (char **w = f; *w; w++)
        {
          if (**w == '\0')
            continue;
          if (col++ == column)
            {
              if (contains_pid (pids, g_ascii_strtoll (*w, NULL, 10)))
                g_print ("%s\n", *l);
              break;
            }
        }
    }
  return TRUE;
}

int
urun_cmd_ps (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: table (run ps) or json (pids only)"), N_("FORMAT") },
    { NULL },
  };
  g_autoptr (GArray) pids = NULL;
  UrunRuntime runtime;

  /* Why stop at the first positional: in `ps ID -ef` (or `ps ID -- -ef`),
   * `-ef` belongs to ps(1). */
  if (!urun_cli_parse_command (cli, entries, TRUE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 1, -1, error))
    return -1;
  if (format != NULL && g_strcmp0 (format, "table") != 0 && g_strcmp0 (format, "json") != 0)
    {
      urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                 _("invalid value `%s` for %s: expected %s"), format, "--format", "table, json");
      return -1;
    }
  urun_cli_runtime (cli, &runtime);
  pids = urun_container_pids (&runtime, argv[1], error);
  if (pids == NULL)
    return -1;
  if (g_strcmp0 (format, "json") == 0)
    {
      g_autoptr (GString) s = g_string_new ("[");

      for (guint i = 0; i < pids->len; i++)
        g_string_append_printf (s, "%s%d", i ? "," : "", (int) g_array_index (pids, pid_t, i));
      g_string_append (s, "]");
      g_print ("%s\n", s->str);
      return 0;
    }
  {
    int n_args = argc - 2;
    char **args = argv + 2;

    if (n_args > 0 && strcmp (args[0], "--") == 0)
      n_args--, args++;
    return print_table (pids, n_args, args, error) ? 0 : -1;
  }
}
