/* urun-cli-hint.c: what to do next, appended to the errors a person can
 * cause (see urun-cli-hint.h).  Zone: CLI.
 *
 * Why here and not where the errors are made: the library's wording is
 * what podman and scripts match, and stays as it is; the hint only follows
 * it, after "; ", for a person reading the text log.
 */
#include "config.h"

#include "urun-cli-hint.h"
#include "util/urun-error.h"

#include <string.h>

/* The ID of a message "container `ID` SUFFIX", or NULL. */
static char *
container_id_of (const char *message, const char *suffix)
{
  const char *start = "container `";
  gsize len = strlen (message), suffix_len = strlen (suffix);

  if (!g_str_has_prefix (message, start) || len <= strlen (start) + suffix_len
      || strcmp (message + len - suffix_len, suffix) != 0)
    return NULL;
  return g_strndup (message + strlen (start), len - strlen (start) - suffix_len);
}

static char *
hint_for (const UrunRuntime *runtime, const GError *error)
{
  const char *msg = error->message;
  g_autofree char *id = NULL;

  if (error->domain != URUN_ERROR)
    return NULL;
  if (error->code == URUN_ERROR_NOT_FOUND
      && (id = container_id_of (msg, "` does not exist")) != NULL)
    return g_strdup (_("`urun list` shows the containers of this state root (--root)"));
  if (error->code == URUN_ERROR_EXISTS
      && (id = container_id_of (msg, "` already exists")) != NULL)
    return g_strdup_printf (_("remove it with `urun delete %s`, or choose another id"), id);
  if (g_str_has_prefix (msg, "cannot read ")
      && g_str_has_suffix (msg, "/config.json: No such file or directory"))
    return g_strdup (_("write one with `urun spec --bundle DIR` (add --rootless as an "
                       "unprivileged user), or run a root file system without one: `urun run "
                       "--rootfs DIR -- COMMAND`"));
  if (g_str_has_prefix (msg, "config.json: root.path: rootfs `")
      && g_str_has_suffix (msg, ": No such file or directory"))
    return g_strdup (_("create it (unpack an image's root file system there) or fix root.path "
                       "in config.json"));
  /* An unprivileged user without a runtime directory ends up with a state
   * root in the temporary directory, which can fail in ways a runtime
   * directory would not. */
  if (strstr (msg, "state root") != NULL && runtime->uid != 0 && runtime->xdg_runtime_dir == NULL)
    return g_strdup_printf (_("XDG_RUNTIME_DIR is not set: set it to a 0700 directory of yours "
                              "(`export XDG_RUNTIME_DIR=/run/user/%u` in a login session), or "
                              "pass --root DIR"),
                            (unsigned) runtime->uid);
  return NULL;
}

void
urun_cli_add_hint (const UrunRuntime *runtime, GError *error)
{
  g_autofree char *hint = NULL;
  char *message;

  g_return_if_fail (error != NULL);

  hint = hint_for (runtime, error);
  if (hint == NULL)
    return;
  message = g_strdup_printf ("%s; %s", error->message, hint);
  g_free (error->message);
  error->message = message;
}
