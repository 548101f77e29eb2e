/* urun-exec.h: `exec`: one more process in a running container.
 *
 * Zone: host side (GLib).  Nothing here prints: warnings go into the
 * caller's GPtrArray of strings, errors are GErrors.
 *
 * The process comes either from --process FILE (a whole OCI process
 * object, as podman writes it) or from the command line on top of the
 * container's own process (config.json), as runc does; see
 * urun_exec_process_build().  urun-exec.c orchestrates, urun-plan-exec.c
 * builds the plan, urun-init-exec.c is the child, urun-exec-cgroup.c joins
 * the cgroup.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "container/urun-container.h"
#include "plan/urun-plan-build.h"
#include "spec/urun-spec.h"
#include "state/urun-state.h"

G_BEGIN_DECLS

typedef struct
{
  /* The process: @process_file, or @args with the overrides below. */
  const char *process_file;          /* --process FILE, or NULL */
  const char *const *args;           /* CMD ARGS... (NULL with --process) */
  const char *cwd;                   /* --cwd, or NULL */
  const char *const *env;            /* -e NAME=VALUE..., appended, or NULL */
  const char *user;                  /* -u UID[:GID], or NULL */
  const char *const *additional_gids; /* -g GID..., appended, or NULL */
  const char *const *caps;           /* --cap CAP..., added, or NULL */
  gboolean no_new_privs;             /* --no-new-privs */
  const char *apparmor;              /* --apparmor PROFILE, or NULL */
  const char *process_label;         /* --process-label LABEL, or NULL */
  gboolean tty;                      /* -t */

  /* How it runs. */
  const char *console_socket;        /* --console-socket PATH, or NULL */
  gboolean detach;                   /* -d */
  const char *pid_file;              /* --pid-file FILE, or NULL */
  int preserve_fds;                  /* --preserve-fds N */
  const char *const *cgroup;         /* --cgroup [CONTROLLER:]SUBPATH..., or NULL */
  gboolean ignore_paused;            /* --ignore-paused */
} UrunExecOptions;

/* `exec`: runs the process in container @id, which must be running (any
 * other status, paused included, is URUN_ERROR_WRONG_STATE naming it;
 * paused is accepted with options->ignore_paused, and the process then
 * starts once the container is resumed).
 * With options->detach it returns once the process runs (after writing the
 * pid file); otherwise it relays signals and the terminal until the
 * process exits and stores its exit status (128+N when killed by signal N)
 * in @out_exit_status.  A missing program is URUN_ERROR_COMMAND_NOT_FOUND
 * with podman's wording, one that cannot be run
 * URUN_ERROR_COMMAND_NOT_EXECUTABLE. */
gboolean urun_container_exec (const UrunRuntime *runtime, const char *id,
                              const UrunExecOptions *options, int *out_exit_status,
                              GPtrArray *warnings, GError **error);

/* ---- urun-plan-exec.c ------------------------------------------------------ */

/* The process an exec runs, with runc's semantics:
 * - with @given (the --process object): @given as it is, except that what
 *   it leaves out is taken from @config_process (the container's
 *   `process`): capabilities, rlimits, apparmorProfile, selinuxLabel,
 *   scheduler, ioPriority, execCPUAffinity and user.umask; the options
 *   below, when given, still apply on top (-t sets terminal);
 * - without: @config_process with args = options->args, terminal =
 *   options->tty (never the container's), cwd, apparmorProfile and
 *   selinuxLabel replaced when given, -e appended (a later NAME replaces an
 *   earlier one, in place), -u replacing uid (and gid), -g appended to
 *   additionalGids, --cap added to the bounding, effective and permitted
 *   sets (and ambient, when the process has an inheritable set), and
 *   --no-new-privs setting noNewPrivileges.
 * Either object may be NULL (no `process` in config.json).  The result is
 * validated like a process.json; errors name @filename ("process.json", or
 * "exec" for the command line).  Free with urun_spec_process_free(). */
UrunSpecProcess *urun_exec_process_build (JsonObject *config_process, JsonObject *given,
                                          const UrunExecOptions *options,
                                          const char *filename, GError **error);

/* The plan of the process part (a UrunInitPlan without namespaces, mounts
 * or hooks): argv, envp, PATH, cwd, user and groups, umask, rlimits, the
 * terminal (create_console off: /dev/console stays init's) and the
 * security profile of @process with @spec's linux.seccomp, personality and
 * memoryPolicy, as urun_plan_build_security() makes it for init.  Uses
 * options->warnings, cap_last, preserve_fds and listen_fds; can_setgroups
 * is left FALSE for the caller to decide.  Free with
 * urun_plan_owner_free(). */
UrunPlanOwner *urun_plan_exec_build (const UrunSpec *spec, const UrunSpecProcess *process,
                                     const UrunPlanOptions *options, GError **error);

/* ---- urun-exec-cgroup.c ---------------------------------------------------- */

/* Moves @pid into the container's cgroup @cgroup, or below it at the
 * sub-cgroups that the --cgroup values @subpaths name (NULL: none), which
 * must exist: one PATH (every hierarchy), or, for cgroup v1, one or more
 * CONTROLLER[,CONTROLLER...]:PATH, the other hierarchies staying at the
 * container's cgroup, as runc takes them.  cgroupfs: its
 * cgroup.procs, in every hierarchy on v1.  systemd: the same, and when
 * that is refused (rootless: the common ancestor of our cgroup and the
 * container's belongs to root), AttachProcessesToUnit, which the user's
 * manager carries out (asking the system manager when it must).  Driver
 * "none": nothing to join; a @subpath is then an error saying why. */
gboolean urun_exec_join_cgroup (const UrunCgroupOutcome *cgroup, gboolean rootless, pid_t pid,
                                const char *const *subpaths, GError **error);

G_END_DECLS
