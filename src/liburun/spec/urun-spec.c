/* urun-spec.c: the tables that describe each struct of urun-spec.h (JSON
 * name, kind, offsets, required), the generic free that walks them, and
 * small lookups on a loaded spec.
 *
 * Zone: host side (GLib).
 *
 * Why tables: runtime-spec has some sixty objects; writing a parser and a
 * destructor by hand for each would be thousands of lines of the same
 * three patterns.  One table per struct feeds both the parser
 * (urun-spec-parse.c) and the destructor below, so they cannot drift
 * apart.  Semantic checks stay hand-written (urun-spec-validate.c).
 */
#include "config.h"

#include "spec/urun-spec-private.h"

#include <string.h>

/* One line per JSON member.  T is the struct type, J the JSON name, M the
 * struct member. */
#define FIELD(J, K, T, M, HAS, N, REQ, SUB) { J, K, offsetof (T, M), HAS, N, REQ, SUB }
#define HAS(T, M) ((gssize) offsetof (T, has_##M))
#define CNT(T, M) ((gssize) offsetof (T, n_##M))

#define F_STR(T, J, M) FIELD (J, URUN_FIELD_STRING, T, M, -1, -1, FALSE, NULL)
#define F_STR_REQ(T, J, M) FIELD (J, URUN_FIELD_STRING, T, M, -1, -1, TRUE, NULL)
#define F_BOOL(T, J, M) FIELD (J, URUN_FIELD_BOOL, T, M, -1, -1, FALSE, NULL)
#define F_BOOL_REQ(T, J, M) FIELD (J, URUN_FIELD_BOOL, T, M, -1, -1, TRUE, NULL)
#define F_BOOL_OPT(T, J, M) FIELD (J, URUN_FIELD_BOOL, T, M, HAS (T, M), -1, FALSE, NULL)
#define F_NUM(K, T, J, M) FIELD (J, URUN_FIELD_##K, T, M, -1, -1, FALSE, NULL)
#define F_NUM_REQ(K, T, J, M) FIELD (J, URUN_FIELD_##K, T, M, -1, -1, TRUE, NULL)
#define F_NUM_OPT(K, T, J, M) FIELD (J, URUN_FIELD_##K, T, M, HAS (T, M), -1, FALSE, NULL)
#define F_STRV(T, J, M) FIELD (J, URUN_FIELD_STRV, T, M, -1, -1, FALSE, NULL)
#define F_STRV_REQ(T, J, M) FIELD (J, URUN_FIELD_STRV, T, M, -1, -1, TRUE, NULL)
#define F_U32S(T, J, M) FIELD (J, URUN_FIELD_UINT32_ARRAY, T, M, -1, CNT (T, M), FALSE, NULL)
#define F_OBJ(T, J, M, SUB) FIELD (J, URUN_FIELD_OBJECT, T, M, -1, -1, FALSE, &SUB)
#define F_OBJ_REQ(T, J, M, SUB) FIELD (J, URUN_FIELD_OBJECT, T, M, -1, -1, TRUE, &SUB)
#define F_ARR(T, J, M, SUB) FIELD (J, URUN_FIELD_OBJECT_ARRAY, T, M, -1, CNT (T, M), FALSE, &SUB)
#define F_ARR_OPT(T, J, M, SUB)                                                                   \
  FIELD (J, URUN_FIELD_OBJECT_ARRAY, T, M, HAS (T, M), CNT (T, M), FALSE, &SUB)
#define F_SMAP(T, J, M) FIELD (J, URUN_FIELD_STRING_MAP, T, M, -1, CNT (T, M), FALSE, NULL)
#define F_OMAP(T, J, M, SUB) FIELD (J, URUN_FIELD_OBJECT_MAP, T, M, -1, CNT (T, M), FALSE, &SUB)
#define F_END { NULL, 0, 0, -1, -1, FALSE, NULL }

#define TYPE(T, FIELDS) { sizeof (T), -1, FIELDS }
#define KEYED_TYPE(T, KEY, FIELDS) { sizeof (T), offsetof (T, KEY), FIELDS }

/* ---- process ---------------------------------------------------------------- */

static const UrunSpecField console_size_fields[] = {
  F_NUM_REQ (UINT64, UrunSpecConsoleSize, "height", height),
  F_NUM_REQ (UINT64, UrunSpecConsoleSize, "width", width),
  F_END,
};
static const UrunSpecType console_size_type = TYPE (UrunSpecConsoleSize, console_size_fields);

static const UrunSpecField user_fields[] = {
  F_NUM_REQ (UINT32, UrunSpecUser, "uid", uid),
  F_NUM_REQ (UINT32, UrunSpecUser, "gid", gid),
  F_NUM_OPT (UINT32, UrunSpecUser, "umask", umask),
  F_U32S (UrunSpecUser, "additionalGids", additional_gids),
  F_STR (UrunSpecUser, "username", username),
  F_END,
};
static const UrunSpecType user_type = TYPE (UrunSpecUser, user_fields);

static const UrunSpecField capabilities_fields[] = {
  F_STRV (UrunSpecCapabilities, "bounding", bounding),
  F_STRV (UrunSpecCapabilities, "effective", effective),
  F_STRV (UrunSpecCapabilities, "inheritable", inheritable),
  F_STRV (UrunSpecCapabilities, "permitted", permitted),
  F_STRV (UrunSpecCapabilities, "ambient", ambient),
  F_END,
};
static const UrunSpecType capabilities_type = TYPE (UrunSpecCapabilities, capabilities_fields);

static const UrunSpecField rlimit_fields[] = {
  F_STR_REQ (UrunSpecRlimit, "type", type),
  F_NUM_REQ (UINT64, UrunSpecRlimit, "soft", soft),
  F_NUM_REQ (UINT64, UrunSpecRlimit, "hard", hard),
  F_END,
};
static const UrunSpecType rlimit_type = TYPE (UrunSpecRlimit, rlimit_fields);

static const UrunSpecField scheduler_fields[] = {
  F_STR_REQ (UrunSpecScheduler, "policy", policy),
  F_NUM (INT32, UrunSpecScheduler, "nice", nice),
  F_NUM (INT32, UrunSpecScheduler, "priority", priority),
  F_STRV (UrunSpecScheduler, "flags", flags),
  F_NUM (UINT64, UrunSpecScheduler, "runtime", runtime),
  F_NUM (UINT64, UrunSpecScheduler, "deadline", deadline),
  F_NUM (UINT64, UrunSpecScheduler, "period", period),
  F_END,
};
static const UrunSpecType scheduler_type = TYPE (UrunSpecScheduler, scheduler_fields);

static const UrunSpecField io_priority_fields[] = {
  F_STR_REQ (UrunSpecIoPriority, "class", class_),
  F_NUM_OPT (INT32, UrunSpecIoPriority, "priority", priority),
  F_END,
};
static const UrunSpecType io_priority_type = TYPE (UrunSpecIoPriority, io_priority_fields);

static const UrunSpecField cpu_affinity_fields[] = {
  F_STR (UrunSpecCpuAffinity, "initial", initial),
  F_STR (UrunSpecCpuAffinity, "final", final),
  F_END,
};
static const UrunSpecType cpu_affinity_type = TYPE (UrunSpecCpuAffinity, cpu_affinity_fields);

static const UrunSpecField process_fields[] = {
  F_BOOL (UrunSpecProcess, "terminal", terminal),
  F_OBJ (UrunSpecProcess, "consoleSize", console_size, console_size_type),
  F_OBJ_REQ (UrunSpecProcess, "user", user, user_type),
  F_STRV (UrunSpecProcess, "args", args),
  F_STR (UrunSpecProcess, "commandLine", command_line),
  F_STRV (UrunSpecProcess, "env", env),
  F_STR_REQ (UrunSpecProcess, "cwd", cwd),
  F_OBJ (UrunSpecProcess, "capabilities", capabilities, capabilities_type),
  F_ARR (UrunSpecProcess, "rlimits", rlimits, rlimit_type),
  F_BOOL (UrunSpecProcess, "noNewPrivileges", no_new_privileges),
  F_STR (UrunSpecProcess, "apparmorProfile", apparmor_profile),
  F_NUM_OPT (INT32, UrunSpecProcess, "oomScoreAdj", oom_score_adj),
  F_STR (UrunSpecProcess, "selinuxLabel", selinux_label),
  F_OBJ (UrunSpecProcess, "scheduler", scheduler, scheduler_type),
  F_OBJ (UrunSpecProcess, "ioPriority", io_priority, io_priority_type),
  F_OBJ (UrunSpecProcess, "execCPUAffinity", exec_cpu_affinity, cpu_affinity_type),
  F_END,
};
const UrunSpecType urun_spec_type_process = TYPE (UrunSpecProcess, process_fields);

/* ---- root, mounts, hooks ------------------------------------------------------ */

static const UrunSpecField root_fields[] = {
  F_STR_REQ (UrunSpecRoot, "path", path),
  F_BOOL (UrunSpecRoot, "readonly", readonly),
  F_END,
};
static const UrunSpecType root_type = TYPE (UrunSpecRoot, root_fields);

static const UrunSpecField id_mapping_fields[] = {
  F_NUM_REQ (UINT32, UrunSpecIdMapping, "containerID", container_id),
  F_NUM_REQ (UINT32, UrunSpecIdMapping, "hostID", host_id),
  F_NUM_REQ (UINT32, UrunSpecIdMapping, "size", size),
  F_END,
};
static const UrunSpecType id_mapping_type = TYPE (UrunSpecIdMapping, id_mapping_fields);

static const UrunSpecField mount_fields[] = {
  F_STR_REQ (UrunSpecMount, "destination", destination),
  F_STR (UrunSpecMount, "type", type),
  F_STR (UrunSpecMount, "source", source),
  F_STRV (UrunSpecMount, "options", options),
  F_ARR_OPT (UrunSpecMount, "uidMappings", uid_mappings, id_mapping_type),
  F_ARR_OPT (UrunSpecMount, "gidMappings", gid_mappings, id_mapping_type),
  F_END,
};
static const UrunSpecType mount_type = TYPE (UrunSpecMount, mount_fields);

static const UrunSpecField hook_fields[] = {
  F_STR_REQ (UrunSpecHook, "path", path),
  F_STRV (UrunSpecHook, "args", args),
  F_STRV (UrunSpecHook, "env", env),
  F_NUM_OPT (INT32, UrunSpecHook, "timeout", timeout),
  F_END,
};
static const UrunSpecType hook_type = TYPE (UrunSpecHook, hook_fields);

static const UrunSpecField hooks_fields[] = {
  F_ARR (UrunSpecHooks, "prestart", prestart, hook_type),
  F_ARR (UrunSpecHooks, "createRuntime", create_runtime, hook_type),
  F_ARR (UrunSpecHooks, "createContainer", create_container, hook_type),
  F_ARR (UrunSpecHooks, "startContainer", start_container, hook_type),
  F_ARR (UrunSpecHooks, "poststart", poststart, hook_type),
  F_ARR (UrunSpecHooks, "poststop", poststop, hook_type),
  F_END,
};
static const UrunSpecType hooks_type = TYPE (UrunSpecHooks, hooks_fields);

/* ---- linux -------------------------------------------------------------------- */

static const UrunSpecField namespace_fields[] = {
  F_STR_REQ (UrunSpecNamespace, "type", type),
  F_STR (UrunSpecNamespace, "path", path),
  F_END,
};
static const UrunSpecType namespace_type = TYPE (UrunSpecNamespace, namespace_fields);

static const UrunSpecField time_offset_fields[] = {
  F_NUM (INT64, UrunSpecTimeOffset, "secs", secs),
  F_NUM (UINT32, UrunSpecTimeOffset, "nanosecs", nanosecs),
  F_END,
};
static const UrunSpecType time_offset_type
  = KEYED_TYPE (UrunSpecTimeOffset, clock, time_offset_fields);

static const UrunSpecField device_fields[] = {
  F_STR_REQ (UrunSpecDevice, "type", type),
  F_STR_REQ (UrunSpecDevice, "path", path),
  F_NUM_OPT (INT64, UrunSpecDevice, "major", major),
  F_NUM_OPT (INT64, UrunSpecDevice, "minor", minor),
  F_NUM_OPT (UINT32, UrunSpecDevice, "fileMode", file_mode),
  F_NUM_OPT (UINT32, UrunSpecDevice, "uid", uid),
  F_NUM_OPT (UINT32, UrunSpecDevice, "gid", gid),
  F_END,
};
static const UrunSpecType device_type = TYPE (UrunSpecDevice, device_fields);

static const UrunSpecField device_cgroup_fields[] = {
  F_BOOL_REQ (UrunSpecDeviceCgroup, "allow", allow),
  F_STR (UrunSpecDeviceCgroup, "type", type),
  F_NUM_OPT (INT64, UrunSpecDeviceCgroup, "major", major),
  F_NUM_OPT (INT64, UrunSpecDeviceCgroup, "minor", minor),
  F_STR (UrunSpecDeviceCgroup, "access", access),
  F_END,
};
static const UrunSpecType device_cgroup_type = TYPE (UrunSpecDeviceCgroup, device_cgroup_fields);

static const UrunSpecField memory_fields[] = {
  F_NUM_OPT (INT64, UrunSpecMemory, "limit", limit),
  F_NUM_OPT (INT64, UrunSpecMemory, "reservation", reservation),
  F_NUM_OPT (INT64, UrunSpecMemory, "swap", swap),
  F_NUM_OPT (INT64, UrunSpecMemory, "kernel", kernel),
  F_NUM_OPT (INT64, UrunSpecMemory, "kernelTCP", kernel_tcp),
  F_NUM_OPT (UINT64, UrunSpecMemory, "swappiness", swappiness),
  F_BOOL_OPT (UrunSpecMemory, "disableOOMKiller", disable_oom_killer),
  F_BOOL_OPT (UrunSpecMemory, "useHierarchy", use_hierarchy),
  F_BOOL_OPT (UrunSpecMemory, "checkBeforeUpdate", check_before_update),
  F_END,
};
static const UrunSpecType memory_type = TYPE (UrunSpecMemory, memory_fields);

static const UrunSpecField cpu_fields[] = {
  F_NUM_OPT (UINT64, UrunSpecCpu, "shares", shares),
  F_NUM_OPT (INT64, UrunSpecCpu, "quota", quota),
  F_NUM_OPT (UINT64, UrunSpecCpu, "burst", burst),
  F_NUM_OPT (UINT64, UrunSpecCpu, "period", period),
  F_NUM_OPT (INT64, UrunSpecCpu, "realtimeRuntime", realtime_runtime),
  F_NUM_OPT (UINT64, UrunSpecCpu, "realtimePeriod", realtime_period),
  F_STR (UrunSpecCpu, "cpus", cpus),
  F_STR (UrunSpecCpu, "mems", mems),
  F_NUM_OPT (INT64, UrunSpecCpu, "idle", idle),
  F_END,
};
static const UrunSpecType cpu_type = TYPE (UrunSpecCpu, cpu_fields);

static const UrunSpecField weight_device_fields[] = {
  F_NUM_REQ (INT64, UrunSpecWeightDevice, "major", major),
  F_NUM_REQ (INT64, UrunSpecWeightDevice, "minor", minor),
  F_NUM_OPT (UINT16, UrunSpecWeightDevice, "weight", weight),
  F_NUM_OPT (UINT16, UrunSpecWeightDevice, "leafWeight", leaf_weight),
  F_END,
};
static const UrunSpecType weight_device_type = TYPE (UrunSpecWeightDevice, weight_device_fields);

static const UrunSpecField throttle_device_fields[] = {
  F_NUM_REQ (INT64, UrunSpecThrottleDevice, "major", major),
  F_NUM_REQ (INT64, UrunSpecThrottleDevice, "minor", minor),
  F_NUM_REQ (UINT64, UrunSpecThrottleDevice, "rate", rate),
  F_END,
};
static const UrunSpecType throttle_device_type
  = TYPE (UrunSpecThrottleDevice, throttle_device_fields);

static const UrunSpecField block_io_fields[] = {
  F_NUM_OPT (UINT16, UrunSpecBlockIO, "weight", weight),
  F_NUM_OPT (UINT16, UrunSpecBlockIO, "leafWeight", leaf_weight),
  F_ARR (UrunSpecBlockIO, "weightDevice", weight_device, weight_device_type),
  F_ARR (UrunSpecBlockIO, "throttleReadBpsDevice", throttle_read_bps_device, throttle_device_type),
  F_ARR (UrunSpecBlockIO, "throttleWriteBpsDevice", throttle_write_bps_device,
         throttle_device_type),
  F_ARR (UrunSpecBlockIO, "throttleReadIOPSDevice", throttle_read_iops_device,
         throttle_device_type),
  F_ARR (UrunSpecBlockIO, "throttleWriteIOPSDevice", throttle_write_iops_device,
         throttle_device_type),
  F_END,
};
static const UrunSpecType block_io_type = TYPE (UrunSpecBlockIO, block_io_fields);

static const UrunSpecField hugepage_limit_fields[] = {
  F_STR_REQ (UrunSpecHugepageLimit, "pageSize", page_size),
  F_NUM_REQ (UINT64, UrunSpecHugepageLimit, "limit", limit),
  F_END,
};
static const UrunSpecType hugepage_limit_type = TYPE (UrunSpecHugepageLimit, hugepage_limit_fields);

static const UrunSpecField net_priority_fields[] = {
  F_STR_REQ (UrunSpecNetPriority, "name", name),
  F_NUM_REQ (UINT32, UrunSpecNetPriority, "priority", priority),
  F_END,
};
static const UrunSpecType net_priority_type = TYPE (UrunSpecNetPriority, net_priority_fields);

static const UrunSpecField network_fields[] = {
  F_NUM_OPT (UINT32, UrunSpecNetwork, "classID", class_id),
  F_ARR (UrunSpecNetwork, "priorities", priorities, net_priority_type),
  F_END,
};
static const UrunSpecType network_type = TYPE (UrunSpecNetwork, network_fields);

static const UrunSpecField pids_fields[] = {
  F_NUM_REQ (INT64, UrunSpecPids, "limit", limit),
  F_END,
};
static const UrunSpecType pids_type = TYPE (UrunSpecPids, pids_fields);

static const UrunSpecField rdma_fields[] = {
  F_NUM_OPT (UINT32, UrunSpecRdma, "hcaHandles", hca_handles),
  F_NUM_OPT (UINT32, UrunSpecRdma, "hcaObjects", hca_objects),
  F_END,
};
static const UrunSpecType rdma_type = KEYED_TYPE (UrunSpecRdma, device, rdma_fields);

static const UrunSpecField resources_fields[] = {
  F_ARR (UrunSpecResources, "devices", devices, device_cgroup_type),
  F_OBJ (UrunSpecResources, "memory", memory, memory_type),
  F_OBJ (UrunSpecResources, "cpu", cpu, cpu_type),
  F_OBJ (UrunSpecResources, "blockIO", block_io, block_io_type),
  F_ARR (UrunSpecResources, "hugepageLimits", hugepage_limits, hugepage_limit_type),
  F_OBJ (UrunSpecResources, "network", network, network_type),
  F_OBJ (UrunSpecResources, "pids", pids, pids_type),
  F_OMAP (UrunSpecResources, "rdma", rdma, rdma_type),
  F_SMAP (UrunSpecResources, "unified", unified),
  F_END,
};
static const UrunSpecType resources_type = TYPE (UrunSpecResources, resources_fields);
/* For `update --resources FILE`, whose document is a bare resources object. */
const UrunSpecType urun_spec_type_resources = TYPE (UrunSpecResources, resources_fields);

static const UrunSpecField intel_rdt_fields[] = {
  F_STR (UrunSpecIntelRdt, "closID", clos_id),
  F_STR (UrunSpecIntelRdt, "l3CacheSchema", l3_cache_schema),
  F_STR (UrunSpecIntelRdt, "memBwSchema", mem_bw_schema),
  F_STR (UrunSpecIntelRdt, "schemata", schemata),
  F_BOOL (UrunSpecIntelRdt, "enableMonitoring", enable_monitoring),
  F_BOOL (UrunSpecIntelRdt, "enableCMT", enable_cmt),
  F_BOOL (UrunSpecIntelRdt, "enableMBM", enable_mbm),
  F_END,
};
static const UrunSpecType intel_rdt_type = TYPE (UrunSpecIntelRdt, intel_rdt_fields);

static const UrunSpecField syscall_arg_fields[] = {
  F_NUM_REQ (UINT32, UrunSpecSyscallArg, "index", index),
  F_NUM_REQ (UINT64, UrunSpecSyscallArg, "value", value),
  F_NUM (UINT64, UrunSpecSyscallArg, "valueTwo", value_two),
  F_STR_REQ (UrunSpecSyscallArg, "op", op),
  F_END,
};
static const UrunSpecType syscall_arg_type = TYPE (UrunSpecSyscallArg, syscall_arg_fields);

static const UrunSpecField syscall_fields[] = {
  F_STRV_REQ (UrunSpecSyscall, "names", names),
  F_STR_REQ (UrunSpecSyscall, "action", action),
  F_NUM_OPT (UINT32, UrunSpecSyscall, "errnoRet", errno_ret),
  F_ARR (UrunSpecSyscall, "args", args, syscall_arg_type),
  F_END,
};
static const UrunSpecType syscall_type = TYPE (UrunSpecSyscall, syscall_fields);

static const UrunSpecField seccomp_fields[] = {
  F_STR_REQ (UrunSpecSeccomp, "defaultAction", default_action),
  F_NUM_OPT (UINT32, UrunSpecSeccomp, "defaultErrnoRet", default_errno_ret),
  F_STRV (UrunSpecSeccomp, "architectures", architectures),
  F_STRV (UrunSpecSeccomp, "flags", flags),
  F_STR (UrunSpecSeccomp, "listenerPath", listener_path),
  F_STR (UrunSpecSeccomp, "listenerMetadata", listener_metadata),
  F_ARR (UrunSpecSeccomp, "syscalls", syscalls, syscall_type),
  F_END,
};
static const UrunSpecType seccomp_type = TYPE (UrunSpecSeccomp, seccomp_fields);

static const UrunSpecField personality_fields[] = {
  F_STR_REQ (UrunSpecPersonality, "domain", domain),
  F_STRV (UrunSpecPersonality, "flags", flags),
  F_END,
};
static const UrunSpecType personality_type = TYPE (UrunSpecPersonality, personality_fields);

static const UrunSpecField memory_policy_fields[] = {
  F_STR_REQ (UrunSpecMemoryPolicy, "mode", mode),
  F_STR (UrunSpecMemoryPolicy, "nodes", nodes),
  F_STRV (UrunSpecMemoryPolicy, "flags", flags),
  F_END,
};
static const UrunSpecType memory_policy_type = TYPE (UrunSpecMemoryPolicy, memory_policy_fields);

static const UrunSpecField net_device_fields[] = {
  F_STR (UrunSpecNetDevice, "name", name),
  F_END,
};
static const UrunSpecType net_device_type
  = KEYED_TYPE (UrunSpecNetDevice, host_name, net_device_fields);

static const UrunSpecField linux_fields[] = {
  F_ARR (UrunSpecLinux, "namespaces", namespaces, namespace_type),
  F_ARR_OPT (UrunSpecLinux, "uidMappings", uid_mappings, id_mapping_type),
  F_ARR_OPT (UrunSpecLinux, "gidMappings", gid_mappings, id_mapping_type),
  F_OMAP (UrunSpecLinux, "timeOffsets", time_offsets, time_offset_type),
  F_ARR (UrunSpecLinux, "devices", devices, device_type),
  F_STR (UrunSpecLinux, "cgroupsPath", cgroups_path),
  F_OBJ (UrunSpecLinux, "resources", resources, resources_type),
  F_OBJ (UrunSpecLinux, "intelRdt", intel_rdt, intel_rdt_type),
  F_SMAP (UrunSpecLinux, "sysctl", sysctl),
  F_OBJ (UrunSpecLinux, "seccomp", seccomp, seccomp_type),
  F_STR (UrunSpecLinux, "rootfsPropagation", rootfs_propagation),
  F_STRV (UrunSpecLinux, "maskedPaths", masked_paths),
  F_STRV (UrunSpecLinux, "readonlyPaths", readonly_paths),
  F_STR (UrunSpecLinux, "mountLabel", mount_label),
  F_OBJ (UrunSpecLinux, "personality", personality, personality_type),
  F_OBJ (UrunSpecLinux, "memoryPolicy", memory_policy, memory_policy_type),
  F_OMAP (UrunSpecLinux, "netDevices", net_devices, net_device_type),
  F_END,
};
static const UrunSpecType linux_type = TYPE (UrunSpecLinux, linux_fields);

/* ---- the whole configuration ------------------------------------------------------ */

/* Why root is required: config.md makes `root` REQUIRED on every platform
 * but Windows. */
static const UrunSpecField spec_fields[] = {
  F_STR_REQ (UrunSpec, "ociVersion", oci_version),
  F_OBJ (UrunSpec, "process", process, urun_spec_type_process),
  F_OBJ_REQ (UrunSpec, "root", root, root_type),
  F_STR (UrunSpec, "hostname", hostname),
  F_STR (UrunSpec, "domainname", domainname),
  F_ARR (UrunSpec, "mounts", mounts, mount_type),
  F_OBJ (UrunSpec, "hooks", hooks, hooks_type),
  F_SMAP (UrunSpec, "annotations", annotations),
  F_OBJ (UrunSpec, "linux", linux_, linux_type),
  F_END,
};
const UrunSpecType urun_spec_type_spec = TYPE (UrunSpec, spec_fields);

/* ---- freeing ------------------------------------------------------------------ */

#define MEMBER(obj, offset, T) ((T *) (gpointer) ((char *) (obj) + (offset)))

static void
clear_object_array (const UrunSpecType *type, char **elements, gsize *n_elements)
{
  if (*elements != NULL)
    {
      for (gsize i = 0; i < *n_elements; i++)
        urun_spec_type_clear (type, *elements + i * type->size);
      g_clear_pointer (elements, g_free);
    }
  *n_elements = 0;
}

void
urun_spec_type_clear (const UrunSpecType *type, gpointer obj)
{
  if (obj == NULL)
    return;

  for (const UrunSpecField *f = type->fields; f->key != NULL; f++)
    {
      switch (f->kind)
        {
        case URUN_FIELD_STRING:
          g_clear_pointer (MEMBER (obj, f->offset, char *), g_free);
          break;
        case URUN_FIELD_STRV:
          g_clear_pointer (MEMBER (obj, f->offset, char **), g_strfreev);
          break;
        case URUN_FIELD_UINT32_ARRAY:
          g_clear_pointer (MEMBER (obj, f->offset, guint32 *), g_free);
          *MEMBER (obj, f->n_offset, gsize) = 0;
          break;
        case URUN_FIELD_OBJECT:
          {
            gpointer *child = MEMBER (obj, f->offset, gpointer);

            urun_spec_type_clear (f->type, *child);
            g_clear_pointer (child, g_free);
          }
          break;
        case URUN_FIELD_OBJECT_ARRAY:
        case URUN_FIELD_OBJECT_MAP:
          clear_object_array (f->type, MEMBER (obj, f->offset, char *),
                              MEMBER (obj, f->n_offset, gsize));
          break;
        case URUN_FIELD_STRING_MAP:
          {
            UrunSpecKeyValue **map = MEMBER (obj, f->offset, UrunSpecKeyValue *);
            gsize *n_map = MEMBER (obj, f->n_offset, gsize);

            if (*map != NULL)
              {
                for (gsize i = 0; i < *n_map; i++)
                  {
                    g_free ((*map)[i].key);
                    g_free ((*map)[i].value);
                  }
                g_clear_pointer (map, g_free);
              }
            *n_map = 0;
          }
          break;
        case URUN_FIELD_BOOL:
        case URUN_FIELD_INT32:
        case URUN_FIELD_UINT16:
        case URUN_FIELD_UINT32:
        case URUN_FIELD_INT64:
        case URUN_FIELD_UINT64:
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (type->key_offset >= 0)
    g_clear_pointer (MEMBER (obj, type->key_offset, char *), g_free);
}

void
urun_spec_free (UrunSpec *spec)
{
  if (spec == NULL)
    return;
  urun_spec_type_clear (&urun_spec_type_spec, spec);
  g_free (spec);
}

void
urun_spec_resources_free (UrunSpecResources *resources)
{
  if (resources == NULL)
    return;
  urun_spec_type_clear (&urun_spec_type_resources, resources);
  g_free (resources);
}

void
urun_spec_process_free (UrunSpecProcess *process)
{
  if (process == NULL)
    return;
  urun_spec_type_clear (&urun_spec_type_process, process);
  g_free (process);
}

/* ---- lookups ------------------------------------------------------------------ */

const char *
urun_spec_map_lookup (const UrunSpecKeyValue *map, gsize n_map, const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (gsize i = 0; i < n_map; i++)
    if (g_strcmp0 (map[i].key, key) == 0)
      return map[i].value;
  return NULL;
}

const char *
urun_spec_get_annotation (const UrunSpec *spec, const char *key)
{
  g_return_val_if_fail (spec != NULL, NULL);
  return urun_spec_map_lookup (spec->annotations, spec->n_annotations, key);
}

const UrunSpecNamespace *
urun_spec_find_namespace (const UrunSpec *spec, const char *type)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);

  if (spec->linux_ == NULL)
    return NULL;
  for (gsize i = 0; i < spec->linux_->n_namespaces; i++)
    if (g_strcmp0 (spec->linux_->namespaces[i].type, type) == 0)
      return &spec->linux_->namespaces[i];
  return NULL;
}
