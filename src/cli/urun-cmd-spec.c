/* urun-cmd-spec.c: the `spec` command, which writes a default config.json
 * into a bundle directory.  Zone: CLI. */
#include "config.h"

#include "urun-cli.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "spec/urun-spec-default.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_NAME "config.json"

static gboolean
fail_exists (GError **error, const char *path)
{
  return urun_fail (error, URUN_ERROR_EXISTS,
                    _("`%s` already exists: remove it first or choose another --bundle"), path);
}

/* Writes @text as @bundle/config.json without ever replacing an existing
 * file, and without a window where a half-written config.json is visible:
 * the text goes into a fresh temp file that is then hard-linked to the final
 * name.  linkat() fails with EEXIST instead of replacing, unlike rename(). */
static gboolean
write_config (const char *bundle, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (bundle, CONFIG_NAME, NULL);
  g_autofree char *tmp_name = NULL;
  URUN_AUTOCLOSE int dirfd = -1;
  URUN_AUTOCLOSE int fd = -1;
  struct stat st;
  int errsv;

  dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return urun_fail_errno (error, errno, _("cannot open bundle directory `%s`"), bundle);
  /* Checked first so that the common mistake gets a clear message before
   * any temp file is made; the linkat() below closes the race. */
  if (fstatat (dirfd, CONFIG_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return fail_exists (error, path);

  for (int attempt = 0; fd < 0; attempt++)
    {
      g_free (tmp_name);
      tmp_name = g_strdup_printf ("." CONFIG_NAME ".%08x", g_random_int ());
      fd = openat (dirfd, tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (fd < 0 && (errno != EEXIST || attempt > 100))
        return urun_fail_errno (error, errno, _("cannot create a temporary file in `%s`"), bundle);
    }

  /* 0644 whatever the umask: the bundle's config is read by whoever runs
   * the container and holds no secret. */
  if (fchmod (fd, 0644) < 0 || urun_write_all (fd, text, strlen (text)) < 0 || fsync (fd) < 0)
    {
      errsv = errno;
      unlinkat (dirfd, tmp_name, 0);
      return urun_fail_errno (error, errsv, _("cannot write `%s`"), path);
    }
  if (linkat (dirfd, tmp_name, dirfd, CONFIG_NAME, 0) < 0)
    {
      errsv = errno;
      unlinkat (dirfd, tmp_name, 0);
      if (errsv == EEXIST)
        return fail_exists (error, path);
      return urun_fail_errno (error, errsv, _("cannot write `%s`"), path);
    }
  unlinkat (dirfd, tmp_name, 0);
  return TRUE;
}

int
urun_cmd_spec (UrunCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *bundle = NULL;
  g_autofree char *text = NULL;
  gboolean rootless = FALSE;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Write config.json into DIR (default: the current directory)"), N_("DIR") },
    { "rootless", 0, 0, G_OPTION_ARG_NONE, &rootless,
      N_("Write a configuration for an unprivileged user (user namespace, no cgroup limits)"),
      NULL },
    { NULL },
  };
  UrunSpecDefaultOptions options = { 0 };
  UrunRuntime runtime;

  if (!urun_cli_parse_command (cli, entries, FALSE, &argc, &argv, error))
    return -1;
  if (!urun_cli_check_args (cli, argc, 0, 0, error))
    return -1;

  urun_cli_runtime (cli, &runtime);
  options.rootless = rootless;
  options.uid = runtime.uid;
  options.gid = runtime.gid;
  options.user_name = urun_runtime_user_name (&runtime);
  text = urun_spec_default_generate (&options, error);
  if (text == NULL)
    return -1;
  if (!write_config (bundle != NULL ? bundle : ".", text, error))
    return -1;
  return 0;
}
