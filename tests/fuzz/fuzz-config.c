/* fuzz-config.c: libFuzzer target for config.json: the bounded JSON
 * reader's depth check, the spec parser and every validation rule, as
 * `urun create` runs them on a bundle's config.json. */
#include "fuzz-common.h"

#include "spec/urun-spec.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UrunSpec) spec = NULL;

  spec = urun_spec_load_data ((const char *) data, (gssize) size, "config.json", &error);
  urun_fuzz_check_outcome (spec != NULL, error);
  return 0;
}
