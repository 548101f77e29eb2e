/* fuzz-property.c: libFuzzer target for systemd unit properties: the
 * `-p NAME=VALUE` assignment and the `org.systemd.property.NAME`
 * annotation.  The input is the assignment; for the annotation, the text
 * up to the first '=' is the name and the rest the value. */
#include "fuzz-common.h"

#include "cgroup/urun-systemd-property.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = urun_systemd_property_list_new ();
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *eq;
  gboolean ok;

  /* Command-line arguments are NUL-terminated: cut the input there. */
  ok = urun_systemd_property_parse (text, list, &error);
  urun_fuzz_check_outcome (ok, error);
  g_clear_error (&error);

  eq = strchr (text, '=');
  if (eq != NULL)
    {
      *eq = '\0';
      ok = urun_systemd_property_parse_annotation (text, eq + 1, list, &error);
      urun_fuzz_check_outcome (ok, error);
    }
  return 0;
}
