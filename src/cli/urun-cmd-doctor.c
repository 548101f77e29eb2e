/* urun-cmd-doctor.c: the `doctor` command: prints the checks of
 * urun-doctor.h, each missing piece with the command that fixes it, and
 * exits 0 when `urun run` can work.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "container/urun-doctor.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

/* The schema scripts rely on: {"checks": [{"name", "status", "detail",
 * "fix"}], "ready": bool}; "fix" is null for a check that passed. */
static void
print_json (GPtrArray *checks)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < checks->len; i++)
    {
      const UrunDoctorCheck *check = g_ptr_array_index (checks, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, check->name);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, urun_doctor_status_to_string (check->status));
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, check->detail);
      json_builder_set_member_name (builder, "fix");
      if (check->fix != NULL)
        json_builder_add_string_value (builder, check->fix);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ready");
  json_builder_add_boolean_value (builder, urun_doctor_ready (checks));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

static void
print_text (GPtrArray *checks)
{
  guint warnings = 0, failures = 0;

  for (guint i = 0; i < checks->len; i++)
    {
      const UrunDoctorCheck *check = g_ptr_array_index (checks, i);

      /* The status words stay English, as in --json, so that the text
       * can be grepped in any locale. */
      g_print ("%-4s  %-18s %s\n", urun_doctor_status_to_string (check->status), check->name,
               check->detail);
      if (check->fix != NULL)
        g_print ("      %-18s %s %s\n", "", _("fix:"), check->fix);
      warnings += check->status == URUN_DOCTOR_WARN;
      failures += check->status == URUN_DOCTOR_FAIL;
    }
  if (failures > 0)
    g_print (_("not ready: %u check(s) failed; `urun run` needs the fixes above\n"), failures);
  else if (warnings > 0)
    g_print (_("ready: `urun run` works; %u warning(s) name what is degraded\n"), warnings);
  else
    g_print (_("ready: everything urun uses is there\n"));
}

int
urun_cmd_doctor (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr (GPtrArray) checks = NULL;
  gboolean json = FALSE;
  UrunRuntime runtime;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the checks as JSON"), NULL },
    { NULL },
  };

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error)
      || !urun_cli_check_args (cli, argc, 0, 0, error))
    return -1;

  urun_cli_runtime (cli, &runtime);
  checks = urun_doctor_run (&runtime);
  if (json)
    print_json (checks);
  else
    print_text (checks);
  fflush (stdout);
  return urun_doctor_ready (checks) ? 0 : 1;
}
