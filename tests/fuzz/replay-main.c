/* replay-main.c: runs files through a fuzz target without libFuzzer, so
 * that every build (gcc, ASan, Valgrind) replays the seed corpus and the
 * crash inputs kept under regressions/.  Arguments are files or
 * directories (every regular file in them); prints TAP, one test per
 * directory.  A crashing input crashes this program: meson reports it. */
#include "fuzz-common.h"

#include <stdio.h>

static gboolean
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      printf ("# cannot read %s: %s\n", path, error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
  return TRUE;
}

int
main (int argc, char **argv)
{
  int failed = 0;
  int i;

  printf ("1..%d\n", argc - 1);
  for (i = 1; i < argc; i++)
    {
      guint n = 0;
      gboolean ok = TRUE;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);

              if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || name[0] == '.')
                continue;
              ok = replay_file (path) && ok;
              n++;
            }
        }
      else if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
        {
          ok = replay_file (argv[i]);
          n = 1;
        }
      printf ("%s %d - %s: %u inputs replayed\n", ok ? "ok" : "not ok", i, argv[i], n);
      failed += !ok;
    }
  return failed != 0;
}
