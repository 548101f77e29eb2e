/* urun-container-hooks.c: what the hooks that run after `create` need:
 * the state JSON they read, the copy of config.json kept for them (and for
 * `exec`), and the poststart and poststop runners.  Zone: host side (GLib).
 */
#include "config.h"

#include "container/urun-container-private.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "container/urun-hooks.h"
#include "util/urun-json-file.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

/* The bytes of the bundle's config.json that `create` read and validated,
 * kept in the state directory: `start`, `exec` and `delete` (and the hooks
 * they run) follow the container as it was created, even if the bundle
 * changed or went away since. */
#define SAVED_CONFIG "config.json"

char *
urun_container_record_json (const UrunStateRecord *record, const char *status)
{
  g_autoptr (JsonNode) node = urun_state_record_to_json (record, status);

  return json_to_string (node, FALSE);
}

gboolean
urun_container_save_config (UrunContainerState *state, const char *contents, gsize length,
                            GError **error)
{
  int dirfd = urun_container_state_get_dirfd (state);
  URUN_AUTOCLOSE int fd = -1;

  fd = openat (dirfd, SAVED_CONFIG, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, contents, length) != (ssize_t) length)
    return urun_fail_errno (error, errno, "save a copy of config.json");
  return TRUE;
}

UrunSpec *
urun_container_read_saved_config (UrunContainerState *state, JsonNode **out_root, GError **error)
{
  g_autofree char *contents = NULL;
  int dirfd = urun_container_state_get_dirfd (state);
  gsize length;

  contents = urun_json_read_at (dirfd, SAVED_CONFIG, URUN_JSON_MAX_SIZE, URUN_JSON_READ_NOFOLLOW,
                                &length, error);
  if (contents == NULL)
    {
      g_prefix_error (error, "read the saved config.json of container `%s`: ",
                      urun_container_state_get_id (state));
      return NULL;
    }
  return urun_spec_load_data_with_root (contents, (gssize) length, SAVED_CONFIG, out_root, error);
}

UrunSpec *
urun_container_load_saved_config (UrunContainerState *state, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  UrunSpec *spec = urun_container_read_saved_config (state, NULL, &local_error);

  /* A record made before every container had a copy. */
  if (spec == NULL && !g_error_matches (local_error, URUN_ERROR, URUN_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return spec;
}

void
urun_container_run_poststart_hooks (const UrunSpec *spec, const UrunStateRecord *record,
                                    GPtrArray *warnings)
{
  g_autofree char *json = NULL;

  if (spec == NULL || spec->hooks == NULL || spec->hooks->n_poststart == 0)
    return;
  json = urun_container_record_json (record, "running");
  /* The spec: a failing poststart hook is a warning; the other hooks run
   * and so does the container. */
  urun_hooks_run_all ("poststart", spec->hooks->poststart, spec->hooks->n_poststart, json,
                      warnings);
}

void
urun_container_run_poststop_hooks (const UrunSpec *spec, const UrunStateRecord *record,
                                   GPtrArray *warnings)
{
  g_autofree char *json = NULL;

  if (spec == NULL || spec->hooks == NULL || spec->hooks->n_poststop == 0)
    return;
  json = urun_container_record_json (record, "stopped");
  urun_hooks_run_all ("poststop", spec->hooks->poststop, spec->hooks->n_poststop, json,
                      warnings);
}
