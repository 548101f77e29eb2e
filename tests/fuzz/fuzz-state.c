/* fuzz-state.c: libFuzzer target for state.json as urun reads it back
 * (urun_state_record_load() after the file read): the bounded parse and
 * the record's fields.  A record that loads is written out again, as
 * `urun state` does. */
#include "fuzz-common.h"

#include "util/urun-json-file.h"
#include "state/urun-state.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (UrunStateRecord) record = NULL;
  g_autoptr (JsonNode) again = NULL;

  root = urun_json_parse_bounded ((const char *) data, (gssize) size, "state.json", &error);
  if (root == NULL)
    {
      urun_fuzz_check_outcome (FALSE, error);
      return 0;
    }
  record = urun_state_record_from_json (root, &error);
  urun_fuzz_check_outcome (record != NULL, error);
  if (record != NULL)
    again = urun_state_record_to_json (record, "running");
  return 0;
}
