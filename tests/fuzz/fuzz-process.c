/* fuzz-process.c: libFuzzer target for the file of `exec --process FILE`
 * (a bare process object), and for a bare resources object as
 * `update --resources FILE` reads it: same parser, other entry points. */
#include "fuzz-common.h"

#include "spec/urun-spec.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) res_error = NULL;
  g_autoptr (UrunSpecProcess) process = NULL;
  g_autoptr (UrunSpecResources) res = NULL;

  process = urun_spec_process_load_data ((const char *) data, (gssize) size, "process.json",
                                         &error);
  urun_fuzz_check_outcome (process != NULL, error);

  res = urun_spec_resources_load_data ((const char *) data, (gssize) size, "resources.json",
                                       &res_error);
  if (res != NULL)
    {
      g_clear_error (&res_error);
      if (!urun_spec_resources_validate (res, "resources.json", "", NULL, &res_error))
        urun_fuzz_check_outcome (FALSE, res_error);
    }
  else
    urun_fuzz_check_outcome (FALSE, res_error);
  return 0;
}
