/* test-id.c: unit tests of container id validation, one per rule, and the
 * 1024-byte boundary. */
#include "config.h"

#include "util/urun-error.h"
#include "util/urun-id.h"

#include <string.h>

static void
assert_invalid (const char *id, const char *fragment)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (urun_id_validate (id, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "invalid container id"));
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("message `%s` lacks `%s`", error->message, fragment);
}

static void
test_valid (void)
{
  const char *const ids[] = { "a", "web-1", "A_b.c", "x..y", "x.", "a+b", "0123abcdefABCDEF", NULL };

  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_true (urun_id_validate (ids[i], NULL));
}

/* runc's ^[\w+.-]+$ and no more (issue 19). */
static void
test_charset (void)
{
  assert_invalid ("sp ace", "` ` is not allowed");
  assert_invalid ("*", "`*` is not allowed");
  assert_invalid ("a:b", "`:` is not allowed");
  assert_invalid ("a@b", "`@` is not allowed");
  assert_invalid ("ünïcode", "byte 0 is not ASCII");
  assert_invalid ("x\xff", "byte 1 is not ASCII");
}

static void
test_empty (void)
{
  assert_invalid ("", "empty");
}

static void
test_dots (void)
{
  assert_invalid (".", "`.`");
  assert_invalid ("..", "`..`");
}

static void
test_slash (void)
{
  assert_invalid ("a/b", "`/`");
  assert_invalid ("/abs", "`/`");
  assert_invalid ("a/", "`/`");
}

static void
test_leading_dot (void)
{
  assert_invalid (".hidden", "start with `.`");
}

static void
test_control (void)
{
  assert_invalid ("a\nb", "control character 0x0a");
  assert_invalid ("\tab", "control character 0x09");
  assert_invalid ("a\x1b[31m", "0x1b");
  assert_invalid ("del\x7f", "0x7f");
  assert_invalid ("\x01", "0x01");
}

static void
test_length (void)
{
  char id[1026];

  memset (id, 'x', sizeof id);
  id[1024] = '\0';
  g_assert_true (urun_id_validate (id, NULL));
  id[1024] = 'x';
  id[1025] = '\0';
  assert_invalid (id, "1025 bytes");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/id/valid", test_valid);
  g_test_add_func ("/id/empty", test_empty);
  g_test_add_func ("/id/charset", test_charset);
  g_test_add_func ("/id/dots", test_dots);
  g_test_add_func ("/id/slash", test_slash);
  g_test_add_func ("/id/leading-dot", test_leading_dot);
  g_test_add_func ("/id/control", test_control);
  g_test_add_func ("/id/length", test_length);
  return g_test_run ();
}
