/* test-mount-options.c: unit tests of urun_mount_flags_parse(): the spec's
 * option table folded into MS_* flags, the flags options clear, later
 * options winning, propagation, the recursive mount_setattr() attributes
 * (with the atime rule), filesystem data, urun's extensions, and the
 * classification of option names. */
#include "config.h"

#include "plan/urun-mount-options.h"
#include "spec/urun-spec.h"
#include "spec/urun-spec-names.h"

#include <sys/mount.h>

static void
parse (UrunMountFlags *flags, const char *const *options)
{
  urun_mount_flags_parse (options, flags);
}

static void
test_flags (void)
{
  const char *const options[] = { "nosuid", "nodev", "noexec", "ro", "noatime", "sync",
                                  "dirsync", "nosymfollow", NULL };
  g_auto (UrunMountFlags) flags = { 0 };

  parse (&flags, options);
  g_assert_cmphex (flags.flags, ==, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY | MS_NOATIME
                   | MS_SYNCHRONOUS | MS_DIRSYNC | MS_NOSYMFOLLOW);
  g_assert_cmphex (flags.clear_flags, ==, 0);
  g_assert_cmphex (flags.propagation, ==, 0);
  g_assert_cmpuint (flags.attr_set, ==, 0);
  g_assert_cmpuint (flags.attr_clear, ==, 0);
  g_assert_cmpuint (flags.extensions, ==, 0);
  g_assert_null (flags.data);
}

static void
test_none (void)
{
  g_auto (UrunMountFlags) flags = { 0 };
  const char *const empty[] = { NULL };

  parse (&flags, NULL);
  g_assert_cmphex (flags.flags, ==, 0);
  g_assert_null (flags.data);
  urun_mount_flags_clear (&flags);
  parse (&flags, empty);
  g_assert_cmphex (flags.flags, ==, 0);
  g_assert_cmphex (flags.clear_flags, ==, 0);
  g_assert_null (flags.data);
  /* "defaults" means nothing beyond the kernel's defaults. */
  {
    const char *const defaults[] = { "defaults", NULL };
    urun_mount_flags_clear (&flags);
    parse (&flags, defaults);
    g_assert_cmphex (flags.flags, ==, 0);
    g_assert_cmphex (flags.clear_flags, ==, 0);
  }
}

static void
test_clear_flags (void)
{
  const char *const options[] = { "rw", "suid", "dev", "exec", "atime", "async", NULL };
  g_auto (UrunMountFlags) flags = { 0 };

  parse (&flags, options);
  g_assert_cmphex (flags.flags, ==, 0);
  g_assert_cmphex (flags.clear_flags, ==, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
                   | MS_NOATIME | MS_SYNCHRONOUS);
}

static void
test_later_wins (void)
{
  g_auto (UrunMountFlags) flags = { 0 };
  const char *const ro_then_rw[] = { "ro", "nosuid", "rw", NULL };
  const char *const rw_then_ro[] = { "rw", "suid", "ro", "nosuid", NULL };

  parse (&flags, ro_then_rw);
  g_assert_cmphex (flags.flags, ==, MS_NOSUID);
  g_assert_cmphex (flags.clear_flags, ==, MS_RDONLY);
  urun_mount_flags_clear (&flags);

  parse (&flags, rw_then_ro);
  g_assert_cmphex (flags.flags, ==, MS_RDONLY | MS_NOSUID);
  g_assert_cmphex (flags.clear_flags, ==, 0);
}

static void
test_bind (void)
{
  g_auto (UrunMountFlags) flags = { 0 };
  const char *const bind[] = { "bind", "ro", NULL };
  const char *const rbind[] = { "rbind", NULL };

  parse (&flags, bind);
  g_assert_cmphex (flags.flags, ==, MS_BIND | MS_RDONLY);
  urun_mount_flags_clear (&flags);
  parse (&flags, rbind);
  g_assert_cmphex (flags.flags, ==, MS_BIND | MS_REC);
}

static void
test_propagation (void)
{
  static const struct
  {
    const char *option;
    unsigned long expected;
  } cases[] = {
    { "private", MS_PRIVATE },
    { "rprivate", MS_PRIVATE | MS_REC },
    { "shared", MS_SHARED },
    { "rshared", MS_SHARED | MS_REC },
    { "slave", MS_SLAVE },
    { "rslave", MS_SLAVE | MS_REC },
    { "unbindable", MS_UNBINDABLE },
    { "runbindable", MS_UNBINDABLE | MS_REC },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const options[] = { "bind", cases[i].option, NULL };
      g_auto (UrunMountFlags) flags = { 0 };

      parse (&flags, options);
      g_assert_cmphex (flags.propagation, ==, cases[i].expected);
      /* Propagation is a second mount(2) call, never mixed into flags. */
      g_assert_cmphex (flags.flags, ==, MS_BIND);
    }

  /* The last propagation option is the one. */
  {
    const char *const options[] = { "rshared", "private", NULL };
    g_auto (UrunMountFlags) flags = { 0 };

    parse (&flags, options);
    g_assert_cmphex (flags.propagation, ==, MS_PRIVATE);
  }
}

static void
test_recursive_attrs (void)
{
  g_auto (UrunMountFlags) flags = { 0 };
  const char *const options[] = { "rbind", "rro", "rnosuid", "rnodev", "rnoexec",
                                  "rnosymfollow", NULL };
  const char *const cleared[] = { "rro", "rrw", "rnosuid", "rsuid", "rdev", "rexec", NULL };

  parse (&flags, options);
  g_assert_cmpuint (flags.attr_set, ==, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
                    | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW);
  g_assert_cmpuint (flags.attr_clear, ==, 0);
  /* Recursive attributes are not mount(2) flags. */
  g_assert_cmphex (flags.flags, ==, MS_BIND | MS_REC);
  urun_mount_flags_clear (&flags);

  /* A later "r-clear" undoes an earlier "r-set" and records the clear. */
  parse (&flags, cleared);
  g_assert_cmpuint (flags.attr_set, ==, 0);
  g_assert_cmpuint (flags.attr_clear, ==, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID
                    | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
}

static void
test_atime_attrs (void)
{
  /* mount_setattr(2): changing the atime mode means clearing all of
   * MOUNT_ATTR__ATIME and setting exactly one mode. */
  static const struct
  {
    const char *const options[3];
    uint64_t set;
  } cases[] = {
    { { "rnoatime", NULL }, MOUNT_ATTR_NOATIME },
    { { "rstrictatime", NULL }, MOUNT_ATTR_STRICTATIME },
    { { "rrelatime", NULL }, MOUNT_ATTR_RELATIME },
    { { "ratime", NULL }, MOUNT_ATTR_RELATIME },
    { { "rnostrictatime", NULL }, MOUNT_ATTR_RELATIME },
    { { "rnoatime", "rstrictatime", NULL }, MOUNT_ATTR_STRICTATIME },
    { { "rstrictatime", "rnoatime", NULL }, MOUNT_ATTR_NOATIME },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (UrunMountFlags) flags = { 0 };

      parse (&flags, cases[i].options);
      g_assert_cmpuint (flags.attr_clear & MOUNT_ATTR__ATIME, ==, MOUNT_ATTR__ATIME);
      g_assert_cmpuint (flags.attr_set & MOUNT_ATTR__ATIME, ==, cases[i].set);
    }

  /* rnodiratime is its own bit, outside the atime mode. */
  {
    const char *const options[] = { "rnoatime", "rnodiratime", NULL };
    g_auto (UrunMountFlags) flags = { 0 };

    parse (&flags, options);
    g_assert_cmpuint (flags.attr_set, ==, MOUNT_ATTR_NOATIME | MOUNT_ATTR_NODIRATIME);
    g_assert_cmpuint (flags.attr_clear, ==, MOUNT_ATTR__ATIME);
  }
}

static void
test_data (void)
{
  g_auto (UrunMountFlags) flags = { 0 };
  const char *const options[] = { "nosuid", "mode=755", "newinstance", "strictatime",
                                  "size=65536k", "ptmxmode=0666", NULL };

  parse (&flags, options);
  g_assert_cmphex (flags.flags, ==, MS_NOSUID | MS_STRICTATIME);
  /* Data keeps the document's order, joined by commas, without the flags. */
  g_assert_cmpstr (flags.data, ==, "mode=755,newinstance,size=65536k,ptmxmode=0666");
}

static void
test_extensions (void)
{
  g_auto (UrunMountFlags) flags = { 0 };
  const char *const tmpcopyup[] = { "tmpcopyup", "mode=1777", NULL };
  const char *const idmap[] = { "bind", "idmap", NULL };
  const char *const ridmap[] = { "rbind", "ridmap", NULL };

  parse (&flags, tmpcopyup);
  g_assert_cmpuint (flags.extensions, ==, URUN_MOUNT_EXT_TMPCOPYUP);
  /* Extensions never reach the filesystem. */
  g_assert_cmpstr (flags.data, ==, "mode=1777");
  urun_mount_flags_clear (&flags);

  parse (&flags, idmap);
  g_assert_cmpuint (flags.extensions, ==, URUN_MOUNT_EXT_IDMAP);
  g_assert_cmphex (flags.flags, ==, MS_BIND);
  g_assert_null (flags.data);
  urun_mount_flags_clear (&flags);

  parse (&flags, ridmap);
  g_assert_cmpuint (flags.extensions, ==, URUN_MOUNT_EXT_RIDMAP);
}

static void
test_lookup (void)
{
  static const struct
  {
    const char *name;
    UrunMountOptionKind kind;
  } known[] = {
    { "ro", URUN_MOUNT_OPTION_FLAG },
    { "rw", URUN_MOUNT_OPTION_FLAG },
    { "bind", URUN_MOUNT_OPTION_FLAG },
    { "rbind", URUN_MOUNT_OPTION_FLAG },
    { "nosymfollow", URUN_MOUNT_OPTION_FLAG },
    { "defaults", URUN_MOUNT_OPTION_FLAG },
    { "rprivate", URUN_MOUNT_OPTION_PROPAGATION },
    { "rro", URUN_MOUNT_OPTION_RECURSIVE },
    { "ratime", URUN_MOUNT_OPTION_RECURSIVE },
    { "idmap", URUN_MOUNT_OPTION_IDMAP },
    { "ridmap", URUN_MOUNT_OPTION_IDMAP },
    { "tmpcopyup", URUN_MOUNT_OPTION_EXTENSION },
    /* Filesystem data: anything with '=', and a few flag-like options. */
    { "mode=755", URUN_MOUNT_OPTION_DATA },
    { "size=65536k", URUN_MOUNT_OPTION_DATA },
    { "x=", URUN_MOUNT_OPTION_DATA },
    { "newinstance", URUN_MOUNT_OPTION_DATA },
    { "inode64", URUN_MOUNT_OPTION_DATA },
    { "userxattr", URUN_MOUNT_OPTION_DATA },
  };
  const char *const unknown[] = { "bogus", "", "=x", "RO", NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      UrunMountOptionKind kind = -1;
      const UrunMountOption *option = NULL;

      g_assert_true (urun_mount_option_lookup (known[i].name, &kind, &option));
      g_assert_cmpint (kind, ==, known[i].kind);
      if (kind == URUN_MOUNT_OPTION_DATA)
        g_assert_null (option);
      else
        g_assert_cmpstr (option->name, ==, known[i].name);
    }
  for (gsize i = 0; unknown[i] != NULL; i++)
    {
      UrunMountOptionKind kind;
      const UrunMountOption *option;

      g_assert_false (urun_mount_option_lookup (unknown[i], &kind, &option));
    }
}

/* uid=/gid= naming ids the container's maps lack are dropped, the rest of
 * the data kept in order; no maps (no user namespace) drops nothing. */
static void
test_unmapped_ids (void)
{
  const char *const options[] = { "nosuid", "mode=0620", "gid=5", "uid=0", "gid=0", "uid=1000",
                                  "size=1k", "gid=x", NULL };
  const UrunSpecIdMapping one = { .container_id = 0, .host_id = 1000, .size = 1 };
  const UrunSpecIdMapping wide = { .container_id = 0, .host_id = 100000, .size = 65536 };
  g_autoptr (GArray) single = g_array_new (FALSE, FALSE, sizeof (UrunSpecIdMapping));
  g_autoptr (GArray) full = g_array_new (FALSE, FALSE, sizeof (UrunSpecIdMapping));
  g_auto (UrunMountFlags) flags = { 0 };
  g_autofree char *dropped = NULL;

  g_array_append_val (single, one);
  g_array_append_val (full, wide);
  parse (&flags, options);
  g_assert_null (urun_mount_flags_drop_unmapped_ids (&flags, NULL, NULL));
  g_assert_null (urun_mount_flags_drop_unmapped_ids (&flags, full, full));
  g_assert_cmpstr (flags.data, ==, "mode=0620,gid=5,uid=0,gid=0,uid=1000,size=1k,gid=x");
  dropped = urun_mount_flags_drop_unmapped_ids (&flags, single, single);
  g_assert_cmpstr (dropped, ==, "gid=5, uid=1000");
  g_assert_cmpstr (flags.data, ==, "mode=0620,uid=0,gid=0,size=1k,gid=x");
  urun_mount_flags_clear (&flags);

  {
    const char *const only[] = { "gid=5", NULL };
    g_autofree char *d = NULL;

    parse (&flags, only);
    d = urun_mount_flags_drop_unmapped_ids (&flags, single, single);
    g_assert_cmpstr (d, ==, "gid=5");
    g_assert_null (flags.data);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mount-options/flags", test_flags);
  g_test_add_func ("/mount-options/none", test_none);
  g_test_add_func ("/mount-options/clear-flags", test_clear_flags);
  g_test_add_func ("/mount-options/later-wins", test_later_wins);
  g_test_add_func ("/mount-options/bind", test_bind);
  g_test_add_func ("/mount-options/propagation", test_propagation);
  g_test_add_func ("/mount-options/recursive-attrs", test_recursive_attrs);
  g_test_add_func ("/mount-options/atime-attrs", test_atime_attrs);
  g_test_add_func ("/mount-options/data", test_data);
  g_test_add_func ("/mount-options/extensions", test_extensions);
  g_test_add_func ("/mount-options/unmapped-ids", test_unmapped_ids);
  g_test_add_func ("/mount-options/lookup", test_lookup);
  return g_test_run ();
}
