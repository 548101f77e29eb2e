/* urun-plan-exec.h: the process of an `exec` and its plan.
 *
 * Zone: host side (GLib).  The options of `exec` live here, below the
 * container layer (container/urun-exec.h) that runs the process: the plan
 * reads the process part of them.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "plan/urun-plan-owner.h"
#include "spec/urun-spec.h"

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

G_END_DECLS
