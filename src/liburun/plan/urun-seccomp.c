/* urun-seccomp.c: linux.seccomp -> BPF with libseccomp, and the seccomp
 * notify hand-over (see urun-seccomp.h).  Zone: host side (GLib).
 */
#include "config.h"

#include "plan/urun-seccomp.h"
#include "init/urun-sync.h"
#include "util/urun-error.h"
#include "util/urun-fd.h"
#include "spec/urun-spec-names.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#if HAVE_SECCOMP
#include <linux/filter.h>
#include <seccomp.h>
#endif

/* The kernel's values (<linux/seccomp.h>), spelled out for old headers. */
#define FLAG_TSYNC (1U << 0)
#define FLAG_NEW_LISTENER (1U << 3)
#define FLAG_TSYNC_ESRCH (1U << 4)
#define FLAG_WAIT_KILLABLE_RECV (1U << 5)

/* struct sock_filter is 8 bytes: u16 code, u8 jt, u8 jf, u32 k. */
#define BPF_INSTRUCTION_SIZE 8

void
urun_seccomp_program_clear (UrunSeccompProgram *program)
{
  g_clear_pointer (&program->bpf, g_free);
  program->n_instructions = 0;
  program->flags = 0;
  program->uses_notify = FALSE;
}

#if HAVE_SECCOMP

G_DEFINE_AUTOPTR_CLEANUP_FUNC (scmp_filter_ctx, seccomp_release)

/* The libseccomp action for a spec action; errnoRet defaults to EPERM for
 * the two actions that carry a number (config-linux.md). */
static guint32
action_value (UrunSeccompAction action, gboolean has_errno_ret, guint32 errno_ret)
{
  guint32 number = has_errno_ret ? errno_ret : EPERM;

  switch (action)
    {
    case URUN_SECCOMP_ACT_KILL:
      return SCMP_ACT_KILL;
    case URUN_SECCOMP_ACT_KILL_PROCESS:
      return SCMP_ACT_KILL_PROCESS;
    case URUN_SECCOMP_ACT_KILL_THREAD:
      return SCMP_ACT_KILL_THREAD;
    case URUN_SECCOMP_ACT_TRAP:
      return SCMP_ACT_TRAP;
    case URUN_SECCOMP_ACT_ERRNO:
      return SCMP_ACT_ERRNO (number);
    case URUN_SECCOMP_ACT_TRACE:
      return SCMP_ACT_TRACE (number);
    case URUN_SECCOMP_ACT_LOG:
      return SCMP_ACT_LOG;
    case URUN_SECCOMP_ACT_NOTIFY:
      return SCMP_ACT_NOTIFY;
    case URUN_SECCOMP_ACT_ALLOW:
    default:
      return SCMP_ACT_ALLOW;
    }
}

static gboolean
fail_libseccomp (GError **error, int r, const char *what)
{
  return urun_fail (error, URUN_ERROR_INVALID_CONFIG, "config.json: linux.seccomp: %s: %s", what,
                    urun_strerror (-r));
}

static gboolean
add_architectures (scmp_filter_ctx ctx, char **architectures, GError **error)
{
  for (gsize i = 0; architectures != NULL && architectures[i] != NULL; i++)
    {
      const char *name = NULL;
      guint32 arch;
      int r;

      if (!urun_seccomp_arch_from_name (architectures[i], &name))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: linux.seccomp.architectures[%" G_GSIZE_FORMAT
                          "]: unknown architecture \"%s\"", i, architectures[i]);
      /* An architecture newer than the libseccomp we link: peers skip it,
       * since no process of it can run here anyway. */
      arch = seccomp_arch_resolve_name (name);
      if (arch == 0)
        {
          g_debug ("seccomp: architecture %s unknown to libseccomp, skipped", architectures[i]);
          continue;
        }
      r = seccomp_arch_add (ctx, arch);
      if (r < 0 && r != -EEXIST)
        {
          g_autofree char *what = g_strdup_printf ("add architecture %s", architectures[i]);
          return fail_libseccomp (error, r, what);
        }
    }
  return TRUE;
}

static gboolean
make_condition (const UrunSpecSyscallArg *arg, struct scmp_arg_cmp *out)
{
  UrunSeccompOperator op;

  if (!urun_seccomp_operator_from_name (arg->op, &op))
    return FALSE;
  /* MASKED_EQ: (arg & value) == valueTwo.  libseccomp takes the mask as
   * datum_a and the expected value as datum_b; the other operators compare
   * with datum_a only. */
  *out = (struct scmp_arg_cmp) {
    .arg = arg->index,
    .op = (enum scmp_compare) op,
    .datum_a = arg->value,
    .datum_b = op == URUN_SECCOMP_CMP_MASKED_EQ ? arg->value_two : 0,
  };
  return TRUE;
}

/* Adds the rule(s) of one syscall number for one entry of syscalls[]. */
static int
add_rules_for_syscall (scmp_filter_ctx ctx, guint32 action, int nr, const UrunSpecSyscall *sc,
                       const struct scmp_arg_cmp *conditions)
{
  gboolean shared_index = FALSE;
  guint counts[6] = { 0 };

  if (sc->n_args == 0)
    return seccomp_rule_add_array (ctx, action, nr, 0, NULL);

  for (gsize i = 0; i < sc->n_args; i++)
    if (sc->args[i].index < G_N_ELEMENTS (counts) && ++counts[sc->args[i].index] > 1)
      shared_index = TRUE;

  /* libseccomp cannot AND two comparisons of the same argument.  runc
   * (and so the profiles written for Docker, which rely on it) then
   * makes each arg a rule of its own: the action applies when any one
   * comparison matches.  Without a shared index, all args of the entry
   * form one rule that applies when every comparison matches. */
  if (!shared_index)
    return seccomp_rule_add_array (ctx, action, nr, (unsigned) sc->n_args, conditions);
  for (gsize i = 0; i < sc->n_args; i++)
    {
      int r = seccomp_rule_add_array (ctx, action, nr, 1, &conditions[i]);
      if (r < 0)
        return r;
    }
  return 0;
}

static gboolean
add_syscalls (scmp_filter_ctx ctx, const UrunSpecSeccomp *seccomp, guint32 default_action,
              GError **error)
{
  for (gsize i = 0; i < seccomp->n_syscalls; i++)
    {
      const UrunSpecSyscall *sc = &seccomp->syscalls[i];
      g_autofree struct scmp_arg_cmp *conditions = g_new0 (struct scmp_arg_cmp, sc->n_args + 1);
      UrunSeccompAction spec_action;
      guint32 action;

      if (!urun_seccomp_action_from_name (sc->action, &spec_action))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: linux.seccomp.syscalls[%" G_GSIZE_FORMAT
                          "].action: unknown action \"%s\"", i, sc->action);
      action = action_value (spec_action, sc->has_errno_ret, sc->errno_ret);
      for (gsize j = 0; j < sc->n_args; j++)
        if (!make_condition (&sc->args[j], &conditions[j]))
          return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                            "config.json: linux.seccomp.syscalls[%" G_GSIZE_FORMAT
                            "].args[%" G_GSIZE_FORMAT "].op: unknown operator \"%s\"",
                            i, j, sc->args[j].op);

      /* libseccomp refuses a rule that repeats the default action
       * (EACCES); it would change nothing, so it is left out. */
      if (action == default_action)
        continue;

      for (gsize k = 0; sc->names != NULL && sc->names[k] != NULL; k++)
        {
          const char *name = sc->names[k];
          int nr = seccomp_syscall_resolve_name (name);
          int r;

          /* A name no architecture knows (a newer syscall, a typo) is
           * skipped, as peers do: profiles list syscalls of kernels newer
           * than the libseccomp at hand. */
          if (nr == __NR_SCMP_ERROR)
            {
              g_debug ("seccomp: unknown syscall \"%s\", skipped", name);
              continue;
            }
          r = add_rules_for_syscall (ctx, action, nr, sc, conditions);
          if (r == -EACCES)
            continue;
          if (r < 0)
            {
              g_autofree char *what = g_strdup_printf ("syscalls[%" G_GSIZE_FORMAT "]: add a "
                                                       "rule for \"%s\"", i, name);
              return fail_libseccomp (error, r, what);
            }
        }
    }
  return TRUE;
}

static gboolean
uses_notify (const UrunSpecSeccomp *seccomp)
{
  UrunSeccompAction action;

  if (urun_seccomp_action_from_name (seccomp->default_action, &action)
      && action == URUN_SECCOMP_ACT_NOTIFY)
    return TRUE;
  for (gsize i = 0; i < seccomp->n_syscalls; i++)
    if (urun_seccomp_action_from_name (seccomp->syscalls[i].action, &action)
        && action == URUN_SECCOMP_ACT_NOTIFY)
      return TRUE;
  return FALSE;
}

static gboolean
load_flags (const UrunSpecSeccomp *seccomp, gboolean notify, guint *out_flags, GError **error)
{
  guint flags = 0;

  for (gsize i = 0; seccomp->flags != NULL && seccomp->flags[i] != NULL; i++)
    {
      guint flag;

      if (!urun_seccomp_flag_from_name (seccomp->flags[i], &flag))
        return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                          "config.json: linux.seccomp.flags[%" G_GSIZE_FORMAT "]: unknown "
                          "flag \"%s\"", i, seccomp->flags[i]);
      flags |= flag;
    }
  if (notify)
    {
      flags |= FLAG_NEW_LISTENER;
      /* The kernel refuses TSYNC with a listener (only one fd could be
       * returned for several threads); init has one thread, so TSYNC
       * means nothing there. */
      if (flags & FLAG_TSYNC)
        {
          g_debug ("seccomp: SECCOMP_FILTER_FLAG_TSYNC dropped: init has one thread and the "
                   "filter has a listener");
          flags &= ~(FLAG_TSYNC | FLAG_TSYNC_ESRCH);
        }
    }
  else if (flags & FLAG_WAIT_KILLABLE_RECV)
    {
      /* Only meaningful for a listener; the kernel rejects it otherwise. */
      g_debug ("seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV dropped: no SCMP_ACT_NOTIFY");
      flags &= ~FLAG_WAIT_KILLABLE_RECV;
    }
  *out_flags = flags;
  return TRUE;
}

/* seccomp_export_bpf() writes to an fd; a memfd brings the program back
 * into memory that the plan owner keeps. */
static gboolean
export_bpf (scmp_filter_ctx ctx, UrunSeccompProgram *out, GError **error)
{
  URUN_AUTOCLOSE int fd = memfd_create ("urun-seccomp", MFD_CLOEXEC);
  g_autofree guint8 *bpf = NULL;
  off_t size;
  gsize done = 0;
  int r;

  if (fd < 0)
    return urun_fail_errno (error, errno, "seccomp: memfd_create");
  r = seccomp_export_bpf (ctx, fd);
  if (r < 0)
    return fail_libseccomp (error, r, "export the filter");
  size = lseek (fd, 0, SEEK_END);
  if (size < 0)
    return urun_fail_errno (error, errno, "seccomp: read back the filter");
  if (size == 0 || size % BPF_INSTRUCTION_SIZE != 0)
    return urun_fail (error, URUN_ERROR_FAILED,
                      "seccomp: libseccomp exported a filter of %lld bytes", (long long) size);
  bpf = g_malloc (size);
  while (done < (gsize) size)
    {
      ssize_t n = pread (fd, bpf + done, size - done, done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return urun_fail_errno (error, n < 0 ? errno : EIO, "seccomp: read back the filter");
      done += n;
    }
  out->bpf = g_steal_pointer (&bpf);
  out->n_instructions = size / BPF_INSTRUCTION_SIZE;
  return TRUE;
}

/* The highest number, on the native architecture, of the syscalls the
 * profile names (whatever their action), or -1. */
static int
highest_named_syscall (const UrunSpecSeccomp *seccomp)
{
  guint32 arch = seccomp_arch_native ();
  int highest = -1;

  for (gsize i = 0; i < seccomp->n_syscalls; i++)
    for (char **n = seccomp->syscalls[i].names; n != NULL && *n != NULL; n++)
      {
        /* Negative: unknown here, or a pseudo number (socketcall). */
        int nr = seccomp_syscall_resolve_name_arch (arch, *n);

        highest = MAX (highest, nr);
      }
  return highest;
}

/* Syscalls newer than the profile answer ENOSYS, not its default action.
 *
 * Why: a profile written before a syscall existed cannot name it, so a
 * default of EPERM (the usual "deny") hits it too; glibc and other
 * runtimes fall back to an older call only on ENOSYS (clone3 -> clone,
 * faccessat2 -> faccessat, ...), and treat EPERM as a real refusal.  Any
 * number above the highest one the profile names (on the native
 * architecture) cannot be one the profile meant to deny, so a short stub
 * placed before libseccomp's program answers ENOSYS for it; everything
 * else goes through the program unchanged (its jumps are relative, and it
 * loads what it needs itself).  x32 numbers (bit 30 on x86-64) are left to
 * the program.  Not for a default that allows (ALLOW, LOG): a new syscall
 * is then allowed anyway.  The idea is runc's and crun's. */
static void
prepend_enosys_stub (const UrunSpecSeccomp *seccomp, UrunSeccompAction default_action,
                     UrunSeccompProgram *program)
{
  guint32 arch = seccomp_arch_native ();
  int highest = highest_named_syscall (seccomp);
  gboolean x86_64 = arch == SCMP_ARCH_X86_64;
  guint n_stub = x86_64 ? 6 : 5;
  struct sock_filter stub[6];
  guint8 *bpf;
  guint k = 0;

  if (default_action == URUN_SECCOMP_ACT_ALLOW || default_action == URUN_SECCOMP_ACT_LOG
      || highest < 0 || arch == 0)
    return;
  /* Offsets into struct seccomp_data: nr at 0, arch at 4. */
  stub[k++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 4);
  stub[k++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, arch, 0, n_stub - 2);
  stub[k++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 0);
  if (x86_64)
    stub[k++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, 0x40000000, 2, 0);
  stub[k++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, (guint32) highest, 0, 1);
  stub[k++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  g_assert (k == n_stub);

  bpf = g_malloc ((n_stub + program->n_instructions) * BPF_INSTRUCTION_SIZE);
  memcpy (bpf, stub, n_stub * BPF_INSTRUCTION_SIZE);
  memcpy (bpf + n_stub * BPF_INSTRUCTION_SIZE, program->bpf,
          program->n_instructions * BPF_INSTRUCTION_SIZE);
  g_free (program->bpf);
  program->bpf = bpf;
  program->n_instructions += n_stub;
}

gboolean
urun_seccomp_compile (const UrunSpecSeccomp *seccomp, UrunSeccompProgram *out, GError **error)
{
  g_autoptr (scmp_filter_ctx) ctx = NULL;
  UrunSeccompProgram program = { 0 };
  UrunSeccompAction default_action;
  guint32 default_value;

  g_return_val_if_fail (seccomp != NULL && out != NULL, FALSE);

  if (!urun_seccomp_action_from_name (seccomp->default_action, &default_action))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.seccomp.defaultAction: unknown action \"%s\"",
                      seccomp->default_action);
  program.uses_notify = uses_notify (seccomp);
  if (program.uses_notify && seccomp->listener_path == NULL)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.seccomp: SCMP_ACT_NOTIFY needs a listenerPath: "
                      "nobody would answer the notifications");
  if (!load_flags (seccomp, program.uses_notify, &program.flags, error))
    return FALSE;

  default_value = action_value (default_action, seccomp->has_default_errno_ret,
                                seccomp->default_errno_ret);
  ctx = seccomp_init (default_value);
  if (ctx == NULL)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.seccomp.defaultAction: libseccomp refuses %s",
                      seccomp->default_action);
  /* The filter is exported, never loaded by libseccomp: its own
   * no_new_privs handling does not apply; init decides (urun-init-security.c). */
  seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0);

  if (!add_architectures (ctx, seccomp->architectures, error)
      || !add_syscalls (ctx, seccomp, default_value, error)
      || !export_bpf (ctx, &program, error))
    {
      urun_seccomp_program_clear (&program);
      return FALSE;
    }
  prepend_enosys_stub (seccomp, default_action, &program);
  *out = program;
  return TRUE;
}

#else /* !HAVE_SECCOMP */

gboolean
urun_seccomp_compile (const UrunSpecSeccomp *seccomp, UrunSeccompProgram *out, GError **error)
{
  return urun_fail (error, URUN_ERROR_NOT_SUPPORTED,
                    "config.json: linux.seccomp: urun was built without libseccomp");
}

#endif /* HAVE_SECCOMP */

char *
urun_seccomp_process_state_json (int pid, const char *metadata, const char *state_json,
                                 GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  JsonNode *state;

  if (!json_parser_load_from_data (parser, state_json, -1, error))
    return NULL;
  state = json_parser_get_root (parser);
  if (state == NULL || !JSON_NODE_HOLDS_OBJECT (state))
    {
      urun_fail (error, URUN_ERROR_FAILED, "seccomp listener: the state is not a JSON object");
      return NULL;
    }

  /* config-linux.md, "The Container Process State". */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ociVersion");
  json_builder_add_string_value (builder, URUN_OCI_VERSION);
  json_builder_set_member_name (builder, "fds");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "seccompFd");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  if (metadata != NULL)
    {
      json_builder_set_member_name (builder, "metadata");
      json_builder_add_string_value (builder, metadata);
    }
  json_builder_set_member_name (builder, "state");
  json_builder_add_value (builder, json_node_copy (state));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
urun_seccomp_send_to_listener (const char *listener_path, const char *metadata, int pid,
                               const char *state_json, int notify_fd, GError **error)
{
  g_autofree char *json = urun_seccomp_process_state_json (pid, metadata, state_json, error);
  URUN_AUTOCLOSE int sock = -1;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  gsize len, sent = 0;

  if (json == NULL)
    return FALSE;
  if (strlen (listener_path) >= sizeof addr.sun_path)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "config.json: linux.seccomp.listenerPath: `%s` is too long for a socket "
                      "address", listener_path);
  strcpy (addr.sun_path, listener_path);

  /* config-linux.md: AF_UNIX, SOCK_STREAM, one state per connection,
   * closed after it. */
  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return urun_fail_errno (error, errno, "seccomp listener: socket");
  if (connect (sock, (struct sockaddr *) &addr, sizeof addr) < 0)
    return urun_fail_errno (error, errno, "seccomp listener: connect to `%s`", listener_path);

  /* The fd goes with the first sendmsg() only, as the spec requires when
   * the payload takes several calls. */
  len = strlen (json);
  while (sent < len)
    {
      ssize_t n = urun_send_with_fd (sock, json + sent, len - sent, sent == 0 ? notify_fd : -1);

      if (n < 0)
        return urun_fail_errno (error, (int) n, "seccomp listener: send to `%s`", listener_path);
      sent += n;
    }
  return TRUE;
}
