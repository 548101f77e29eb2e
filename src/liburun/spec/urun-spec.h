/* urun-spec.h: the OCI runtime configuration (runtime-spec 1.2, Linux) as
 * typed C structs, and loading config.json into them.
 *
 * Zone: host side (GLib).
 *
 * Conventions of the model:
 * - Strings are NULL when the field is absent.
 * - String lists (char **) are NULL-terminated; NULL when absent, an empty
 *   vector (just the NULL) when present but empty.
 * - Nested objects are pointers, NULL when absent.
 * - Arrays of objects are a pointer to `n_<field>` contiguous elements.
 * - Optional numbers and booleans whose absence means something different
 *   from zero come with a `has_<field>` flag; without the flag the value is
 *   only meaningful when has_<field> is TRUE.  Required numbers have no flag.
 * - Maps keep the document's order: arrays of UrunSpecKeyValue, or of
 *   structs whose first member is the key.
 * - Names of closed vocabularies (namespace types, capabilities, seccomp
 *   actions, ...) are kept as the strings of the document; validation has
 *   checked them, and urun-spec-names.h turns them into values.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *key;
  char *value;
} UrunSpecKeyValue;

/* ---- process ------------------------------------------------------------- */

typedef struct
{
  guint64 height;
  guint64 width;
} UrunSpecConsoleSize;

typedef struct
{
  guint32 uid;                /* required */
  guint32 gid;                /* required */
  guint32 umask;
  gboolean has_umask;
  guint32 *additional_gids;
  gsize n_additional_gids;
  char *username;
} UrunSpecUser;

typedef struct
{
  char **bounding;
  char **effective;
  char **inheritable;
  char **permitted;
  char **ambient;
} UrunSpecCapabilities;

typedef struct
{
  char *type;                 /* "RLIMIT_NOFILE" */
  guint64 soft;
  guint64 hard;
} UrunSpecRlimit;

typedef struct
{
  char *policy;               /* required: "SCHED_OTHER", ... */
  gint32 nice;
  gint32 priority;
  char **flags;
  guint64 runtime;
  guint64 deadline;
  guint64 period;
} UrunSpecScheduler;

typedef struct
{
  char *class_;               /* required: "IOPRIO_CLASS_BE", ... (JSON "class") */
  gint32 priority;
  gboolean has_priority;
} UrunSpecIoPriority;

typedef struct
{
  char *initial;              /* CPU list, e.g. "0-3,7" */
  char *final;
} UrunSpecCpuAffinity;

typedef struct
{
  gboolean terminal;
  UrunSpecConsoleSize *console_size;
  UrunSpecUser *user;         /* required */
  char **args;
  char *command_line;         /* Windows only; kept, unused on Linux */
  char **env;
  char *cwd;                  /* required, absolute */
  UrunSpecCapabilities *capabilities;
  UrunSpecRlimit *rlimits;
  gsize n_rlimits;
  gboolean no_new_privileges;
  char *apparmor_profile;
  gint32 oom_score_adj;
  gboolean has_oom_score_adj;
  char *selinux_label;
  UrunSpecScheduler *scheduler;
  UrunSpecIoPriority *io_priority;
  UrunSpecCpuAffinity *exec_cpu_affinity;
} UrunSpecProcess;

/* ---- root, mounts, hooks ------------------------------------------------- */

typedef struct
{
  char *path;                 /* required; relative to the bundle when not absolute */
  gboolean readonly;
} UrunSpecRoot;

typedef struct
{
  guint32 container_id;
  guint32 host_id;
  guint32 size;
} UrunSpecIdMapping;

typedef struct
{
  char *destination;          /* required; relative means relative to "/" (1.2) */
  char *type;
  char *source;
  char **options;
  UrunSpecIdMapping *uid_mappings;
  gsize n_uid_mappings;
  gboolean has_uid_mappings;
  UrunSpecIdMapping *gid_mappings;
  gsize n_gid_mappings;
  gboolean has_gid_mappings;
} UrunSpecMount;

typedef struct
{
  char *path;                 /* required, absolute */
  char **args;
  char **env;
  gint32 timeout;             /* seconds, > 0 */
  gboolean has_timeout;
} UrunSpecHook;

typedef struct
{
  UrunSpecHook *prestart;
  gsize n_prestart;
  UrunSpecHook *create_runtime;
  gsize n_create_runtime;
  UrunSpecHook *create_container;
  gsize n_create_container;
  UrunSpecHook *start_container;
  gsize n_start_container;
  UrunSpecHook *poststart;
  gsize n_poststart;
  UrunSpecHook *poststop;
  gsize n_poststop;
} UrunSpecHooks;

/* ---- linux --------------------------------------------------------------- */

typedef struct
{
  char *type;                 /* required: "pid", "network", ... */
  char *path;                 /* absolute; NULL: create a new namespace */
} UrunSpecNamespace;

typedef struct
{
  char *clock;                /* the map key: "monotonic" or "boottime" */
  gint64 secs;
  guint32 nanosecs;
} UrunSpecTimeOffset;

typedef struct
{
  char *type;                 /* required: "c", "b", "u" or "p" */
  char *path;                 /* required, absolute */
  gint64 major;               /* required unless type is "p" */
  gboolean has_major;
  gint64 minor;
  gboolean has_minor;
  guint32 file_mode;
  gboolean has_file_mode;
  guint32 uid;
  gboolean has_uid;
  guint32 gid;
  gboolean has_gid;
} UrunSpecDevice;

typedef struct
{
  gboolean allow;             /* required */
  char *type;                 /* "a", "c" or "b"; NULL means "a" */
  gint64 major;               /* absent: wildcard */
  gboolean has_major;
  gint64 minor;
  gboolean has_minor;
  char *access;               /* some of "rwm" */
} UrunSpecDeviceCgroup;

/* Memory values are bytes, -1 for unlimited. */
typedef struct
{
  gint64 limit;
  gboolean has_limit;
  gint64 reservation;
  gboolean has_reservation;
  gint64 swap;
  gboolean has_swap;
  gint64 kernel;
  gboolean has_kernel;
  gint64 kernel_tcp;
  gboolean has_kernel_tcp;
  guint64 swappiness;         /* 0..100 */
  gboolean has_swappiness;
  gboolean disable_oom_killer;
  gboolean has_disable_oom_killer;
  gboolean use_hierarchy;
  gboolean has_use_hierarchy;
  gboolean check_before_update;
  gboolean has_check_before_update;
} UrunSpecMemory;

typedef struct
{
  guint64 shares;
  gboolean has_shares;
  gint64 quota;
  gboolean has_quota;
  guint64 burst;
  gboolean has_burst;
  guint64 period;
  gboolean has_period;
  gint64 realtime_runtime;
  gboolean has_realtime_runtime;
  guint64 realtime_period;
  gboolean has_realtime_period;
  char *cpus;
  char *mems;
  gint64 idle;
  gboolean has_idle;
} UrunSpecCpu;

typedef struct
{
  gint64 major;               /* required */
  gint64 minor;               /* required */
  guint16 weight;
  gboolean has_weight;
  guint16 leaf_weight;
  gboolean has_leaf_weight;
} UrunSpecWeightDevice;

typedef struct
{
  gint64 major;               /* required */
  gint64 minor;               /* required */
  guint64 rate;               /* required */
} UrunSpecThrottleDevice;

typedef struct
{
  guint16 weight;
  gboolean has_weight;
  guint16 leaf_weight;
  gboolean has_leaf_weight;
  UrunSpecWeightDevice *weight_device;
  gsize n_weight_device;
  UrunSpecThrottleDevice *throttle_read_bps_device;
  gsize n_throttle_read_bps_device;
  UrunSpecThrottleDevice *throttle_write_bps_device;
  gsize n_throttle_write_bps_device;
  UrunSpecThrottleDevice *throttle_read_iops_device;
  gsize n_throttle_read_iops_device;
  UrunSpecThrottleDevice *throttle_write_iops_device;
  gsize n_throttle_write_iops_device;
} UrunSpecBlockIO;

typedef struct
{
  char *page_size;            /* required: "2MB" */
  guint64 limit;              /* required */
} UrunSpecHugepageLimit;

typedef struct
{
  char *name;                 /* required */
  guint32 priority;           /* required */
} UrunSpecNetPriority;

typedef struct
{
  guint32 class_id;
  gboolean has_class_id;
  UrunSpecNetPriority *priorities;
  gsize n_priorities;
} UrunSpecNetwork;

typedef struct
{
  gint64 limit;               /* required; <= 0 means unlimited */
} UrunSpecPids;

typedef struct
{
  char *device;               /* the map key */
  guint32 hca_handles;
  gboolean has_hca_handles;
  guint32 hca_objects;
  gboolean has_hca_objects;
} UrunSpecRdma;

typedef struct
{
  UrunSpecDeviceCgroup *devices;
  gsize n_devices;
  UrunSpecMemory *memory;
  UrunSpecCpu *cpu;
  UrunSpecBlockIO *block_io;
  UrunSpecHugepageLimit *hugepage_limits;
  gsize n_hugepage_limits;
  UrunSpecNetwork *network;
  UrunSpecPids *pids;
  UrunSpecRdma *rdma;
  gsize n_rdma;
  UrunSpecKeyValue *unified;  /* cgroup v2 file -> content */
  gsize n_unified;
} UrunSpecResources;

typedef struct
{
  char *clos_id;
  char *l3_cache_schema;
  char *mem_bw_schema;
  char *schemata;
  gboolean enable_monitoring;
  gboolean enable_cmt;
  gboolean enable_mbm;
} UrunSpecIntelRdt;

typedef struct
{
  guint32 index;              /* required, 0..5 */
  guint64 value;              /* required */
  guint64 value_two;
  char *op;                   /* required: "SCMP_CMP_EQ", ... */
} UrunSpecSyscallArg;

typedef struct
{
  char **names;               /* required, not empty */
  char *action;               /* required */
  guint32 errno_ret;
  gboolean has_errno_ret;
  UrunSpecSyscallArg *args;
  gsize n_args;
} UrunSpecSyscall;

typedef struct
{
  char *default_action;       /* required */
  guint32 default_errno_ret;
  gboolean has_default_errno_ret;
  char **architectures;
  char **flags;
  char *listener_path;
  char *listener_metadata;
  UrunSpecSyscall *syscalls;
  gsize n_syscalls;
} UrunSpecSeccomp;

typedef struct
{
  char *domain;               /* required: "LINUX" or "LINUX32" */
  char **flags;
} UrunSpecPersonality;

typedef struct
{
  char *mode;                 /* required: "MPOL_BIND", ... */
  char *nodes;
  char **flags;
} UrunSpecMemoryPolicy;

typedef struct
{
  char *host_name;            /* the map key: the interface on the host */
  char *name;                 /* the name in the container; NULL: keep */
} UrunSpecNetDevice;

typedef struct
{
  UrunSpecNamespace *namespaces;
  gsize n_namespaces;
  UrunSpecIdMapping *uid_mappings;
  gsize n_uid_mappings;
  gboolean has_uid_mappings;
  UrunSpecIdMapping *gid_mappings;
  gsize n_gid_mappings;
  gboolean has_gid_mappings;
  UrunSpecTimeOffset *time_offsets;
  gsize n_time_offsets;
  UrunSpecDevice *devices;
  gsize n_devices;
  char *cgroups_path;
  UrunSpecResources *resources;
  UrunSpecIntelRdt *intel_rdt;
  UrunSpecKeyValue *sysctl;
  gsize n_sysctl;
  UrunSpecSeccomp *seccomp;
  char *rootfs_propagation;
  char **masked_paths;
  char **readonly_paths;
  char *mount_label;
  UrunSpecPersonality *personality;
  UrunSpecMemoryPolicy *memory_policy;
  UrunSpecNetDevice *net_devices;
  gsize n_net_devices;
} UrunSpecLinux;

/* ---- the whole configuration -------------------------------------------- */

typedef struct
{
  char *oci_version;          /* required, SemVer */
  UrunSpecProcess *process;
  UrunSpecRoot *root;         /* required on Linux */
  char *hostname;
  char *domainname;
  UrunSpecMount *mounts;
  gsize n_mounts;
  UrunSpecHooks *hooks;
  UrunSpecKeyValue *annotations;
  gsize n_annotations;
  UrunSpecLinux *linux_;      /* JSON "linux" ("linux" is a predefined macro) */
} UrunSpec;

/* Loads and validates the config at @path.  Errors are URUN_ERROR_INVALID_CONFIG
 * (or an errno-derived code when the file cannot be read) and name the file
 * by its basename: `config.json: process.cwd: missing required field`.
 * Returns a new spec, free with urun_spec_free(). */
UrunSpec *urun_spec_load_file (const char *path, GError **error);

/* Same, from memory.  @len may be -1 for a NUL-terminated @data; @filename
 * is the name used in error messages. */
UrunSpec *urun_spec_load_data (const char *data, gssize len, const char *filename,
                               GError **error);
/* Same, and in *@out_root the JSON object it was parsed from (free with
 * json_node_unref()), for a caller that also edits it as JSON. */
UrunSpec *urun_spec_load_data_with_root (const char *data, gssize len, const char *filename,
                                         JsonNode **out_root, GError **error);

/* The semantic checks that urun_spec_load_*() run after parsing: absolute
 * paths, known names, no duplicates, the spec's cross-field rules. */
gboolean urun_spec_validate (const UrunSpec *spec, const char *filename, GError **error);

/* Fails with URUN_ERROR_INVALID_CONFIG, naming @filename and the JSON
 * path, when a string of the JSON text @data (which json-glib has parsed)
 * holds a NUL character: json-glib would hand out the string cut there.
 * The loaders above call it; so must any other reader of such a file. */
gboolean urun_spec_check_nul (const char *data, gsize len, const char *filename, GError **error);

/* Frees @spec and everything it owns; accepts NULL and half-built specs. */
void urun_spec_free (UrunSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunSpec, urun_spec_free)

UrunSpecProcess *urun_spec_process_load_data (const char *data, gssize len,
                                              const char *filename, GError **error);
gboolean urun_spec_process_validate (const UrunSpecProcess *process, const char *filename,
                                     GError **error);
void urun_spec_process_free (UrunSpecProcess *process);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunSpecProcess, urun_spec_process_free)

/* A bare linux.resources object, as given to `update --resources FILE`.
 * Paths in errors start at the top: `resources.json: memory.limit: ...`. */
UrunSpecResources *urun_spec_resources_load_data (const char *data, gssize len,
                                                  const char *filename, GError **error);

/* Checks the values of @res against what the kernel accepts (ranges,
 * cpuset lists, huge page sizes, device numbers, cgroup file names), so
 * that nothing is created for a limit the kernel would refuse.  Messages
 * read `FILE: PREFIXPATH: ...`; @prefix is "linux.resources." in a config,
 * "" for a bare resources document (URUN_ERROR_INVALID_CONFIG).
 * @options, when not NULL, is a NULL-terminated list of pairs (path below
 * @prefix, option name), e.g. "cpu.period", "--cpu-period", of the values
 * that came from the command line: those are named by their option
 * (URUN_ERROR_INVALID_ARGUMENT). */
gboolean urun_spec_resources_validate (const UrunSpecResources *res, const char *filename,
                                       const char *prefix, const char *const *options,
                                       GError **error);
void urun_spec_resources_free (UrunSpecResources *resources);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UrunSpecResources, urun_spec_resources_free)

/* The value of @key in a map, or NULL. */
const char *urun_spec_map_lookup (const UrunSpecKeyValue *map, gsize n_map, const char *key);

/* The annotation @key, or NULL. */
const char *urun_spec_get_annotation (const UrunSpec *spec, const char *key);

/* The linux.namespaces entry of @type ("pid", "user", ...), or NULL. */
const UrunSpecNamespace *urun_spec_find_namespace (const UrunSpec *spec, const char *type);

G_END_DECLS
