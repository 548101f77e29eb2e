/* urun-features.c: the runtime-spec "features" document (see
 * urun-features.h).  Zone: host side (GLib). */
#include "config.h"

#include "spec/urun-features.h"
#include "spec/urun-spec-names.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
add_strings (JsonBuilder *builder, const char *member, const char *const *names)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (gsize i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
}

static void
add_enabled (JsonBuilder *builder, const char *member, gboolean enabled)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, enabled);
  json_builder_end_object (builder);
}

/* A filter flag the kernel knows makes seccomp() fail on the NULL program
 * (EFAULT) rather than on the flag (EINVAL): a probe that changes
 * nothing. */
static gboolean
kernel_supports_seccomp_flag (guint flag)
{
  long r;

  /* WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER. */
  if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  r = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL);

  return r < 0 && errno == EFAULT;
}

static void
add_seccomp (JsonBuilder *builder)
{
  static const char *const actions[] = {
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", NULL,
  };
  static const char *const operators[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
    "SCMP_CMP_MASKED_EQ", NULL,
  };
  g_autofree const char **archs = urun_seccomp_arch_names ();
  g_autofree const char **flags = urun_seccomp_flag_names ();
  g_autoptr (GPtrArray) supported = g_ptr_array_new ();

  for (gsize i = 0; flags[i] != NULL; i++)
    {
      guint flag;

      if (urun_seccomp_flag_from_name (flags[i], &flag) && kernel_supports_seccomp_flag (flag))
        g_ptr_array_add (supported, (gpointer) flags[i]);
    }
  g_ptr_array_add (supported, NULL);

  json_builder_set_member_name (builder, "seccomp");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, HAVE_SECCOMP);
  add_strings (builder, "actions", actions);
  add_strings (builder, "operators", operators);
  add_strings (builder, "archs", archs);
  add_strings (builder, "knownFlags", flags);
  add_strings (builder, "supportedFlags", (const char *const *) supported->pdata);
  json_builder_end_object (builder);
}

static void
add_linux (JsonBuilder *builder)
{
  g_autoptr (GPtrArray) namespaces = g_ptr_array_new ();
  g_autoptr (GPtrArray) capabilities = g_ptr_array_new ();

  for (int type = 0; type < URUN_NAMESPACE_N_TYPES; type++)
    g_ptr_array_add (namespaces, (gpointer) urun_namespace_type_to_name (type));
  g_ptr_array_add (namespaces, NULL);
  for (int cap = 0; cap <= URUN_CAP_LAST; cap++)
    g_ptr_array_add (capabilities, (gpointer) urun_capability_to_name (cap));
  g_ptr_array_add (capabilities, NULL);

  json_builder_set_member_name (builder, "linux");
  json_builder_begin_object (builder);
  add_strings (builder, "namespaces", (const char *const *) namespaces->pdata);
  add_strings (builder, "capabilities", (const char *const *) capabilities->pdata);

  json_builder_set_member_name (builder, "cgroup");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "v1");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "v2");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "systemd");
  json_builder_add_boolean_value (builder, HAVE_SYSTEMD);
  json_builder_set_member_name (builder, "systemdUser");
  json_builder_add_boolean_value (builder, HAVE_SYSTEMD);
  json_builder_set_member_name (builder, "rdma");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  add_seccomp (builder);
  add_enabled (builder, "apparmor", TRUE);
  add_enabled (builder, "selinux", TRUE);
  add_enabled (builder, "intelRdt", FALSE);

  json_builder_set_member_name (builder, "mountExtensions");
  json_builder_begin_object (builder);
  add_enabled (builder, "idmap", TRUE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

JsonNode *
urun_features_build (void)
{
  static const char *const hooks[] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
    NULL,
  };
  static const char *const unsafe_annotations[] = { NULL };
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree const char **mount_options = urun_mount_option_names ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ociVersionMin");
  json_builder_add_string_value (builder, "1.0.0");
  json_builder_set_member_name (builder, "ociVersionMax");
  json_builder_add_string_value (builder, URUN_OCI_VERSION);
  add_strings (builder, "hooks", hooks);
  add_strings (builder, "mountOptions", mount_options);
  add_linux (builder);

  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "io.github.urun.version");
  json_builder_add_string_value (builder, URUN_VERSION);
  json_builder_set_member_name (builder, "io.github.urun.checkpoint.enabled");
  json_builder_add_string_value (builder, "false");
  json_builder_end_object (builder);
  add_strings (builder, "potentiallyUnsafeConfigAnnotations", unsafe_annotations);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
