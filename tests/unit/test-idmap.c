/* test-idmap.c: unit tests of urun_idmap_apply() through newuidmap and
 * newgidmap, with stand-in helpers (shell scripts): the arguments they
 * get, that both run at once, and a failing one's words in the error. */
#include "config.h"

#include "plan/urun-idmap.h"
#include "util/urun-error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct
{
  char *dir;
  char *newuidmap;
  char *newgidmap;
  UrunIdMapPlan plan;
} Fixture;

static void
write_script (const char *path, const char *body)
{
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s\n", body);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (chmod (path, 0755), ==, 0);
}

/* A helper that records its arguments in DIR/MINE.args, says it started
 * (DIR/MINE.started) and waits (5 s at most) for the OTHER to have
 * started too: helpers run one after the other fail, saying so. */
static char *
helper_body (const char *dir, const char *mine, const char *other)
{
  return g_strdup_printf ("D=%s\n"
                          "echo \"$@\" >\"$D/%s.args\"; touch \"$D/%s.started\"\n"
                          "for i in $(seq 100); do [ -e \"$D/%s.started\" ] && exit 0; sleep 0.05; done\n"
                          "echo \"new%smap never ran alongside\" >&2; exit 1",
                          dir, mine, mine, other, other);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const UrunSpecIdMapping uid = { 0, 1000, 1 }, gid = { 0, 2000, 65536 };
  g_autofree char *uid_body = NULL;
  g_autofree char *gid_body = NULL;

  f->dir = g_dir_make_tmp ("urun-test-idmap.XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->newuidmap = g_build_filename (f->dir, "newuidmap", NULL);
  f->newgidmap = g_build_filename (f->dir, "newgidmap", NULL);
  uid_body = helper_body (f->dir, "uid", "gid");
  gid_body = helper_body (f->dir, "gid", "uid");
  write_script (f->newuidmap, uid_body);
  write_script (f->newgidmap, gid_body);
  f->plan.uid_mappings = g_array_new (FALSE, FALSE, sizeof (UrunSpecIdMapping));
  f->plan.gid_mappings = g_array_new (FALSE, FALSE, sizeof (UrunSpecIdMapping));
  g_array_append_val (f->plan.uid_mappings, uid);
  g_array_append_val (f->plan.gid_mappings, gid);
  f->plan.use_helpers = TRUE;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  const char *names[] = { "newuidmap", "newgidmap", "uid.args", "gid.args", "uid.started",
                          "gid.started" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->newuidmap);
  g_free (f->newgidmap);
  urun_idmap_plan_clear (&f->plan);
}

static char *
read_args (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return g_strchomp (text);
}

static void
test_both_at_once (Fixture *f, gconstpointer data)
{
  UrunIdMapTools tools = { f->newuidmap, f->newgidmap, NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *uid_args = NULL;
  g_autofree char *gid_args = NULL;

  g_assert_true (urun_idmap_apply (&f->plan, 4242, &tools, &error));
  g_assert_no_error (error);
  uid_args = read_args (f, "uid.args");
  gid_args = read_args (f, "gid.args");
  g_assert_cmpstr (uid_args, ==, "4242 0 1000 1");
  g_assert_cmpstr (gid_args, ==, "4242 0 2000 65536");
}

static void
test_failure (Fixture *f, gconstpointer data)
{
  UrunIdMapTools tools = { f->newuidmap, f->newgidmap, NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("touch %s/gid.started\n"
                                           "echo 'newgidmap: gid range not allowed' >&2\n"
                                           "exit 1",
                                           f->dir);
  g_autofree char *expected = g_strdup_printf ("%s failed: newgidmap: gid range not allowed",
                                               f->newgidmap);

  write_script (f->newgidmap, body);
  g_assert_false (urun_idmap_apply (&f->plan, 4242, &tools, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/idmap/helpers-at-once", Fixture, NULL, fixture_setup, test_both_at_once,
              fixture_teardown);
  g_test_add ("/idmap/helper-failure", Fixture, NULL, fixture_setup, test_failure,
              fixture_teardown);
  return g_test_run ();
}
