/* minimal-runtime.c: the floor for bench/run-bench.sh, not part of urun.
 *
 *   minimal-runtime ROOTFS PROGRAM [ARG...]
 *
 * Does only what every OCI runtime must do to start a container: clone
 * with the namespaces of urun's default spec (pid, net, ipc, uts, mount,
 * cgroup; plus user when not root, with the caller's id mapped to 0), make
 * the mounts private, bind the rootfs, pivot_root into it, exec PROGRAM,
 * wait and exit with its status.  No config, no state, no /proc, no /dev:
 * what urun costs beyond this is what its features and libraries cost.
 * Built by the bench script with gcc, never by meson.
 *
 * Built with -DWITH_LIBRARIES and linked with json-glib (so glib, gobject
 * and, through json-glib, gio), it also parses ROOTFS/../config.json with
 * json-glib before the clone and frees it: the floor of any runtime built
 * on urun's fixed libraries (the loader's relocations, GObject's type
 * registration, one parse), with none of urun's own work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef WITH_LIBRARIES
#include <json-glib/json-glib.h>
#endif

static char child_stack[64 * 1024] __attribute__ ((aligned (16)));
static char **child_argv;
static const char *rootfs;
static int sync_pipe[2];

static void
die (const char *what)
{
  fprintf (stderr, "minimal-runtime: %s: %s\n", what, strerror (errno));
  _exit (125);
}

static int
child (void *arg)
{
  char c;

  (void) arg;
  close (sync_pipe[1]);
  /* Waits until the parent has written the id maps (rootless). */
  if (read (sync_pipe[0], &c, 1) < 0)
    die ("read sync");
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    die ("make / private");
  if (mount (rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    die ("bind rootfs");
  if (chdir (rootfs) < 0)
    die ("chdir rootfs");
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    die ("pivot_root");
  if (umount2 (".", MNT_DETACH) < 0)
    die ("umount old root");
  if (chdir ("/") < 0)
    die ("chdir /");
  execv (child_argv[0], child_argv);
  die ("execv");
  return 0;
}

static void
write_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);

  if (fd < 0 || write (fd, text, strlen (text)) < 0)
    die (path);
  close (fd);
}

int
main (int argc, char **argv)
{
  int flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS
              | CLONE_NEWCGROUP | SIGCHLD;
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  pid_t pid;
  int status;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s ROOTFS PROGRAM [ARG...]\n", argv[0]);
      return 125;
    }
  rootfs = argv[1];
  child_argv = argv + 2;
#ifdef WITH_LIBRARIES
  {
    char *config = g_build_filename (rootfs, "..", "config.json", NULL);
    char *data = NULL;
    gsize len = 0;
    JsonParser *parser = json_parser_new ();

    if (!g_file_get_contents (config, &data, &len, NULL)
        || !json_parser_load_from_data (parser, data, (gssize) len, NULL))
      die ("parse config.json");
    g_object_unref (parser);
    g_free (data);
    g_free (config);
  }
#endif
  if (uid != 0)
    flags |= CLONE_NEWUSER;
  if (pipe2 (sync_pipe, O_CLOEXEC) < 0)
    die ("pipe");
  pid = clone (child, child_stack + sizeof child_stack, flags, NULL);
  if (pid < 0)
    die ("clone");
  close (sync_pipe[0]);
  if (uid != 0)
    {
      char path[64], map[64];

      snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
      write_file (path, "deny");
      snprintf (path, sizeof path, "/proc/%d/uid_map", (int) pid);
      snprintf (map, sizeof map, "0 %u 1\n", (unsigned) uid);
      write_file (path, map);
      snprintf (path, sizeof path, "/proc/%d/gid_map", (int) pid);
      snprintf (map, sizeof map, "0 %u 1\n", (unsigned) gid);
      write_file (path, map);
    }
  close (sync_pipe[1]);
  if (waitpid (pid, &status, 0) < 0)
    die ("waitpid");
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}
