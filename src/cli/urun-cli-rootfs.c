/* urun-cli-rootfs.c: `run --rootfs DIR -- COMMAND`, a container from a
 * root file system alone (see urun-cli-create.h).  Zone: CLI.
 *
 * The generated config.json lives in a private bundle directory
 * `<state root>/.rootfs-<id>` (a dot name, which the state store skips),
 * never in DIR.  The run holds an flock on it until it is removed, so that
 * `urun gc` can tell a live run's bundle from one a killed run left.
 */
#include "config.h"

#include "urun-cli-create.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "util/urun-id.h"
#include "spec/urun-spec-rootfs.h"
#include "state/urun-state.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
urun_cli_wants_rootfs (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return FALSE;
      if (strcmp (argv[i], "--rootfs") == 0 || g_str_has_prefix (argv[i], "--rootfs="))
        return TRUE;
    }
  return FALSE;
}

static char *
new_id (UrunStateStore *store)
{
  for (;;)
    {
      char *id = g_strdup_printf ("run-%08x", g_random_int ());

      if (!urun_state_exists (store, id))
        return id;
      g_free (id);
    }
}

static gboolean
write_config (int dirfd, const char *dir, const char *text, GError **error)
{
  URUN_AUTOCLOSE int fd = openat (dirfd, "config.json",
                                  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  gsize len = strlen (text);

  if (fd < 0)
    return urun_fail_errno (error, errno, "cannot create `%s/config.json`", dir);
  while (len > 0)
    {
      ssize_t n = write (fd, text, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return urun_fail_errno (error, errno, "cannot write `%s/config.json`", dir);
      text += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
remove_bundle (int dirfd, const char *dir)
{
  unlinkat (dirfd, "config.json", 0);
  if (rmdir (dir) < 0)
    g_debug ("cannot remove `%s`: %s", dir, urun_strerror (errno));
}

int
urun_cli_run_rootfs (UrunCli *cli, UrunCliCreateArgs *args, int argc, char **argv,
                     GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (UrunStateStore) store = NULL;
  g_autofree char *id = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *text = NULL;
  URUN_AUTOCLOSE int dirfd = -1;
  UrunSpecRootfsOptions spec = { 0 };
  UrunCreateOptions options;
  UrunRuntime runtime;
  int exit_status = 0;
  gboolean ok;

  if (args->detach || args->keep || args->bundle != NULL)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      _("--rootfs runs in the foreground and removes the container on exit: "
                        "drop --detach, --keep and --bundle, or write a bundle with `urun "
                        "spec`")),
           -1;
  if (args->name != NULL && !urun_id_validate (args->name, error))
    return -1;

  /* GOption keeps the `--` that ends urun's options in strict POSIX
   * mode. */
  if (argc > 1 && strcmp (argv[1], "--") == 0)
    argv++;

  urun_cli_runtime (cli, &runtime);
  spec.rootless = runtime.rootless;
  spec.uid = runtime.uid;
  spec.gid = runtime.gid;
  spec.user_name = urun_runtime_user_name (&runtime);
  spec.rootfs = args->rootfs;
  spec.args = (const char *const *) (argv + 1);
  /* The caller's terminal when there is one, as an interactive shell
   * expects; -t asks for a pty even without one. */
  spec.terminal = args->tty || isatty (STDIN_FILENO);
  spec.binds = (const char *const *) args->binds;
  spec.env = (const char *const *) args->env;
  spec.workdir = args->workdir;
  spec.user = args->user;
  spec.network = args->network;
  /* Everything the command line can get wrong is checked before anything
   * is created, so that a mistake leaves nothing behind. */
  text = urun_spec_rootfs_generate (&spec, error);
  if (text == NULL)
    return -1;

  store = urun_cli_open_store (cli, TRUE, error);
  if (store == NULL)
    return -1;
  id = args->name != NULL ? g_strdup (args->name) : new_id (store);
  if (urun_state_exists (store, id))
    return urun_fail (error, URUN_ERROR_EXISTS,
                      _("container `%s` already exists: remove it with `urun delete %s` or "
                        "choose another --name"),
                      id, id),
           -1;

  bundle = g_strdup_printf ("%s/.rootfs-%s", urun_state_store_get_root (store), id);
  if (mkdir (bundle, 0700) < 0)
    return urun_fail_errno (error, errno, "cannot create the bundle directory `%s`", bundle), -1;
  dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (dirfd < 0 || flock (dirfd, LOCK_EX | LOCK_NB) < 0)
    {
      urun_fail_errno (error, errno, "cannot lock the bundle directory `%s`", bundle);
      rmdir (bundle);
      return -1;
    }
  if (!write_config (dirfd, bundle, text, error))
    {
      remove_bundle (dirfd, bundle);
      return -1;
    }

  if (!urun_cli_create_options (args, id, &options, error))
    {
      remove_bundle (dirfd, bundle);
      return -1;
    }
  options.bundle = bundle;
  ok = urun_container_run (&runtime, &options, FALSE, FALSE, &exit_status, warnings, error);
  urun_cli_print_warnings (warnings);
  remove_bundle (dirfd, bundle);
  return ok ? exit_status : -1;
}
