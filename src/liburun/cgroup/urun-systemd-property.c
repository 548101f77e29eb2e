/* urun-systemd-property.c: scope properties, and the `-p NAME=VALUE`
 * assignments and org.systemd.property.* annotations that set them (see
 * urun-systemd-property.h; the value parsers are in
 * urun-systemd-syntax.c).  Zone: host side (GLib), pure.
 *
 * The table below is the set of properties a transient *scope* accepts and
 * a user is likely to set; it follows systemd.resource-control(5),
 * systemd.scope(5) and systemd.kill(5).  A name outside it is refused with
 * the list, rather than sent to systemd, which would answer with a bare
 * "Cannot set property" far from the command line that caused it.
 */
#include "config.h"

#include "cgroup/urun-systemd-property.h"
#include "util/urun-error.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef enum
{
  KIND_SIZE,       /* t, bytes; "infinity"; N% -> <Name>Scale (u) */
  KIND_TASKS,      /* t, count; "infinity"; N% -> TasksMaxScale (u) */
  KIND_CPU_QUOTA,  /* CPUQuota=N% -> CPUQuotaPerSecUSec (t) */
  KIND_USEC,       /* t, time span; NameSec -> NameUSec */
  KIND_WEIGHT,     /* t, 1..10000 ("idle" -> 0 for CPUWeight) */
  KIND_SHARES,     /* t, 2..262144 (the old CPUShares=) */
  KIND_BOOL,       /* b */
  KIND_STRING,     /* s, free text */
  KIND_ENUM,       /* s, one of a list */
  KIND_SLICE,      /* s, a name ending in .slice */
  KIND_SIGNAL,     /* i, a name (TERM, SIGTERM) or a number */
  KIND_CPU_SET,    /* ay */
  KIND_DEVICE,     /* a(ss): "PATH [rwm]" */
  KIND_IO_BYTES,   /* a(st): "PATH SIZE" */
  KIND_IO_COUNT,   /* a(st): "PATH N" */
  KIND_IO_WEIGHT,  /* a(st): "PATH WEIGHT" */
  KIND_IO_USEC,    /* a(st): "PATH TIMESPAN" */
} PropertyKind;

typedef struct
{
  const char *name;        /* as the user writes it */
  PropertyKind kind;
  const char *bus_name;    /* NULL: same as name */
  const char *choices;     /* KIND_ENUM: space separated */
} PropertyInfo;

static const PropertyInfo properties[] = {
  { "MemoryMax", KIND_SIZE, NULL, NULL },
  { "MemoryHigh", KIND_SIZE, NULL, NULL },
  { "MemoryLow", KIND_SIZE, NULL, NULL },
  { "MemoryMin", KIND_SIZE, NULL, NULL },
  { "MemorySwapMax", KIND_SIZE, NULL, NULL },
  { "MemoryLimit", KIND_SIZE, NULL, NULL },
  { "TasksMax", KIND_TASKS, NULL, NULL },
  { "CPUQuota", KIND_CPU_QUOTA, "CPUQuotaPerSecUSec", NULL },
  { "CPUQuotaPeriodSec", KIND_USEC, "CPUQuotaPeriodUSec", NULL },
  { "CPUWeight", KIND_WEIGHT, NULL, NULL },
  { "StartupCPUWeight", KIND_WEIGHT, NULL, NULL },
  { "CPUShares", KIND_SHARES, NULL, NULL },
  { "IOWeight", KIND_WEIGHT, NULL, NULL },
  { "StartupIOWeight", KIND_WEIGHT, NULL, NULL },
  { "AllowedCPUs", KIND_CPU_SET, NULL, NULL },
  { "StartupAllowedCPUs", KIND_CPU_SET, NULL, NULL },
  { "AllowedMemoryNodes", KIND_CPU_SET, NULL, NULL },
  { "StartupAllowedMemoryNodes", KIND_CPU_SET, NULL, NULL },
  { "IODeviceWeight", KIND_IO_WEIGHT, NULL, NULL },
  { "IOReadBandwidthMax", KIND_IO_BYTES, NULL, NULL },
  { "IOWriteBandwidthMax", KIND_IO_BYTES, NULL, NULL },
  { "IOReadIOPSMax", KIND_IO_COUNT, NULL, NULL },
  { "IOWriteIOPSMax", KIND_IO_COUNT, NULL, NULL },
  { "IODeviceLatencyTargetSec", KIND_IO_USEC, "IODeviceLatencyTargetUSec", NULL },
  { "DevicePolicy", KIND_ENUM, NULL, "auto closed strict" },
  { "DeviceAllow", KIND_DEVICE, NULL, NULL },
  { "CPUAccounting", KIND_BOOL, NULL, NULL },
  { "MemoryAccounting", KIND_BOOL, NULL, NULL },
  { "TasksAccounting", KIND_BOOL, NULL, NULL },
  { "IOAccounting", KIND_BOOL, NULL, NULL },
  { "IPAccounting", KIND_BOOL, NULL, NULL },
  { "Delegate", KIND_BOOL, NULL, NULL },
  { "DefaultDependencies", KIND_BOOL, NULL, NULL },
  { "SendSIGKILL", KIND_BOOL, NULL, NULL },
  { "SendSIGHUP", KIND_BOOL, NULL, NULL },
  { "KillMode", KIND_ENUM, NULL, "control-group mixed process none" },
  { "KillSignal", KIND_SIGNAL, NULL, NULL },
  { "FinalKillSignal", KIND_SIGNAL, NULL, NULL },
  { "TimeoutStopSec", KIND_USEC, "TimeoutStopUSec", NULL },
  { "RuntimeMaxSec", KIND_USEC, "RuntimeMaxUSec", NULL },
  { "RuntimeRandomizedExtraSec", KIND_USEC, "RuntimeRandomizedExtraUSec", NULL },
  { "CollectMode", KIND_ENUM, NULL, "inactive inactive-or-failed" },
  { "ManagedOOMSwap", KIND_ENUM, NULL, "auto kill" },
  { "ManagedOOMMemoryPressure", KIND_ENUM, NULL, "auto kill" },
  { "ManagedOOMPreference", KIND_ENUM, NULL, "none avoid omit" },
  { "Description", KIND_STRING, NULL, NULL },
  { "Slice", KIND_SLICE, NULL, NULL },
};

UrunSystemdProperty *
urun_systemd_property_new (const char *name, GVariant *value)
{
  UrunSystemdProperty *property = g_new0 (UrunSystemdProperty, 1);

  property->name = g_strdup (name);
  /* Ownership of @value passes to the property, whether it is floating
   * (g_variant_new_*) or a full reference (g_variant_parse). */
  property->value = g_variant_take_ref (value);
  return property;
}

void
urun_systemd_property_free (UrunSystemdProperty *property)
{
  if (property == NULL)
    return;
  g_free (property->name);
  g_clear_pointer (&property->value, g_variant_unref);
  g_free (property);
}

GPtrArray *
urun_systemd_property_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) urun_systemd_property_free);
}

void
urun_systemd_property_list_set (GPtrArray *list, const char *name, GVariant *value)
{
  UrunSystemdProperty *property = urun_systemd_property_new (name, value);

  for (guint i = 0; i < list->len; i++)
    {
      UrunSystemdProperty *old = g_ptr_array_index (list, i);

      if (strcmp (old->name, property->name) == 0)
        {
          g_ptr_array_remove_index (list, i);
          break;
        }
    }
  g_ptr_array_add (list, property);
}

const UrunSystemdProperty *
urun_systemd_property_list_find (GPtrArray *list, const char *name)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const UrunSystemdProperty *p = g_ptr_array_index (list, i);

      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

void
urun_systemd_property_list_set_io (GPtrArray *list, const char *name, const char *path,
                                   guint64 value)
{
  const UrunSystemdProperty *old = urun_systemd_property_list_find (list, name);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(st)"));
  if (old != NULL)
    {
      GVariantIter iter;
      const char *p;
      guint64 v;

      g_variant_iter_init (&iter, old->value);
      while (g_variant_iter_next (&iter, "(&st)", &p, &v))
        if (strcmp (p, path) != 0)
          g_variant_builder_add (&builder, "(st)", p, v);
    }
  g_variant_builder_add (&builder, "(st)", path, value);
  urun_systemd_property_list_set (list, name, g_variant_builder_end (&builder));
}

static gboolean
parse_signal (const char *text, gint32 *out_signal)
{
  static const struct
  {
    const char *name;
    int number;
  } names[] = {
    { "HUP", SIGHUP },   { "INT", SIGINT },   { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
    { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
    { "STOP", SIGSTOP }, { "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "WINCH", SIGWINCH },
  };
  const char *name = text;
  char *end;
  gint64 n;

  if (g_ascii_isdigit (*text))
    {
      n = g_ascii_strtoll (text, &end, 10);
      if (*end != '\0' || n < 1 || n > SIGRTMAX)
        return FALSE;
      *out_signal = (gint32) n;
      return TRUE;
    }
  if (g_str_has_prefix (name, "SIG"))
    name += 3;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i].name) == 0)
      {
        *out_signal = names[i].number;
        return TRUE;
      }
  return FALSE;
}

/* ---- properties ------------------------------------------------------------- */

static const PropertyInfo *
find_property (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (properties); i++)
    {
      const char *bus_name = properties[i].bus_name;

      if (strcmp (properties[i].name, name) == 0
          || (bus_name != NULL && strcmp (bus_name, name) == 0
              && properties[i].kind != KIND_CPU_QUOTA))
        return &properties[i];
    }
  return NULL;
}

static char *
known_names (void)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (properties); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", properties[i].name);
  return g_string_free (s, FALSE);
}

static const char *
expected_text (const PropertyInfo *info)
{
  switch (info->kind)
    {
    case KIND_SIZE:
      return "a size in bytes with an optional K, M, G, T, P or E suffix (512M, 1G), a "
             "percentage of the physical memory, or infinity";
    case KIND_TASKS:
      return "a number of tasks, a percentage of the system's limit, or infinity";
    case KIND_CPU_QUOTA:
      return "a percentage of one CPU (50%, 200%), or empty for no quota";
    case KIND_USEC:
      return "a time span (100ms, 5s, 1min 30s; a bare number is seconds) or infinity";
    case KIND_WEIGHT:
      return "a weight from 1 to 10000";
    case KIND_SHARES:
      return "a number of shares from 2 to 262144";
    case KIND_BOOL:
      return "a boolean (yes/no, true/false, on/off, 1/0)";
    case KIND_STRING:
      return "text";
    case KIND_ENUM:
      return NULL;
    case KIND_SLICE:
      return "a slice unit name ending in .slice (e.g. machine.slice)";
    case KIND_SIGNAL:
      return "a signal name (SIGTERM, KILL) or number";
    case KIND_CPU_SET:
      return "a list of CPU or node numbers and ranges (0-3,6)";
    case KIND_DEVICE:
      return "a device path or class (/dev/null, char-pts, block-*) and optional access "
             "letters r, w, m";
    case KIND_IO_BYTES:
      return "a device path and a size in bytes per second (/dev/sda 10M)";
    case KIND_IO_COUNT:
      return "a device path and a number of operations per second (/dev/sda 1000)";
    case KIND_IO_WEIGHT:
      return "a device path and a weight from 1 to 10000 (/dev/sda 200)";
    case KIND_IO_USEC:
      return "a device path and a time span (/dev/sda 25ms)";
    default:
      return "a valid value";
    }
}

static gboolean
fail_value (GError **error, const PropertyInfo *info, const char *value)
{
  if (info->kind == KIND_ENUM)
    {
      g_auto (GStrv) words = g_strsplit (info->choices, " ", -1);
      g_autofree char *choices = g_strjoinv (", ", words);

      return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                        "invalid value `%s` for property %s: expected one of %s", value,
                        info->name, choices);
    }
  return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                    "invalid value `%s` for property %s: expected %s", value, info->name,
                    expected_text (info));
}

/* "PATH VALUE" of the IO and device properties. */
static gboolean
split_device_value (const char *value, char **out_path, char **out_rest)
{
  g_autofree char *copy = g_strstrip (g_strdup (value));
  char *space = strpbrk (copy, " \t");

  if (*copy == '\0')
    return FALSE;
  if (space == NULL)
    {
      *out_path = g_strdup (copy);
      *out_rest = NULL;
      return TRUE;
    }
  *space = '\0';
  *out_path = g_strdup (copy);
  *out_rest = g_strstrip (g_strdup (space + 1));
  return TRUE;
}

static gboolean
parse_weight (const char *text, gboolean allow_idle, guint64 *out)
{
  char *end;
  guint64 n;

  if (allow_idle && strcmp (text, "idle") == 0)
    {
      *out = 0;
      return TRUE;
    }
  if (!g_ascii_isdigit (*text))
    return FALSE;
  n = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || n < 1 || n > 10000)
    return FALSE;
  *out = n;
  return TRUE;
}

static gboolean
parse_count (const char *text, guint64 *out)
{
  char *end;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  *out = g_ascii_strtoull (text, &end, 10);
  return *end == '\0' && errno == 0;
}

/* The UINT32 scale systemd uses for "N% of the physical memory". */
static GVariant *
scale_variant (guint64 permyriad)
{
  guint64 scaled = permyriad * G_MAXUINT32 / 10000;

  return g_variant_new_uint32 ((guint32) MIN (scaled, G_MAXUINT32));
}

static gboolean
parse_known (const PropertyInfo *info, const char *value, GPtrArray *list, GError **error)
{
  const char *bus_name = info->bus_name ? info->bus_name : info->name;
  guint64 n;
  gboolean b;

  switch (info->kind)
    {
    case KIND_SIZE:
    case KIND_TASKS:
      if (urun_systemd_parse_percent (value, &n))
        {
          g_autofree char *scale_name = g_strconcat (bus_name, "Scale", NULL);

          if (n > 10000)
            return fail_value (error, info, value);
          urun_systemd_property_list_set (list, scale_name, scale_variant (n));
          return TRUE;
        }
      if (info->kind == KIND_SIZE ? !urun_systemd_parse_size (value, &n)
                                  : !(strcmp (value, "infinity") == 0
                                        ? (n = G_MAXUINT64, TRUE)
                                        : parse_count (value, &n)))
        return fail_value (error, info, value);
      break;
    case KIND_CPU_QUOTA:
      if (*value == '\0' || strcmp (value, "infinity") == 0)
        n = G_MAXUINT64;
      else if (urun_systemd_parse_percent (value, &n) && n > 0)
        n *= 100; /* permyriad of a second -> microseconds per second */
      else
        return fail_value (error, info, value);
      break;
    case KIND_USEC:
      if (!urun_systemd_parse_usec (value, &n))
        return fail_value (error, info, value);
      break;
    case KIND_WEIGHT:
      if (!parse_weight (value, strcmp (info->name, "CPUWeight") == 0, &n))
        return fail_value (error, info, value);
      break;
    case KIND_SHARES:
      if (!parse_count (value, &n) || n < 2 || n > 262144)
        return fail_value (error, info, value);
      break;
    case KIND_BOOL:
      if (!urun_systemd_parse_boolean (value, &b))
        return fail_value (error, info, value);
      urun_systemd_property_list_set (list, bus_name, g_variant_new_boolean (b));
      return TRUE;
    case KIND_STRING:
      urun_systemd_property_list_set (list, bus_name, g_variant_new_string (value));
      return TRUE;
    case KIND_ENUM:
      {
        g_auto (GStrv) words = g_strsplit (info->choices, " ", -1);

        if (!g_strv_contains ((const char *const *) words, value))
          return fail_value (error, info, value);
        urun_systemd_property_list_set (list, bus_name, g_variant_new_string (value));
        return TRUE;
      }
    case KIND_SLICE:
      if (!g_str_has_suffix (value, ".slice") || strlen (value) <= strlen (".slice")
          || strchr (value, '/') != NULL)
        return fail_value (error, info, value);
      urun_systemd_property_list_set (list, bus_name, g_variant_new_string (value));
      return TRUE;
    case KIND_SIGNAL:
      {
        gint32 sig;

        if (!parse_signal (value, &sig))
          return fail_value (error, info, value);
        urun_systemd_property_list_set (list, bus_name, g_variant_new_int32 (sig));
        return TRUE;
      }
    case KIND_CPU_SET:
      {
        g_autoptr (GBytes) mask = NULL;

        if (!urun_systemd_parse_cpu_set (value, &mask))
          return fail_value (error, info, value);
        urun_systemd_property_list_set (list, bus_name,
                                        g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                                  mask, TRUE));
        return TRUE;
      }
    case KIND_DEVICE:
      {
        g_autofree char *path = NULL, *access = NULL;

        if (!split_device_value (value, &path, &access)
            || (access != NULL && (*access == '\0' || strspn (access, "rwm") != strlen (access)))
            || !(path[0] == '/' || g_str_has_prefix (path, "char-")
                 || g_str_has_prefix (path, "block-")))
          return fail_value (error, info, value);
        /* Device rules add up, as repeated DeviceAllow= lines do. */
        {
          GVariantBuilder builder;
          const UrunSystemdProperty *old = urun_systemd_property_list_find (list, bus_name);

          g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
          if (old != NULL)
            {
              GVariantIter iter;
              const char *p, *a;

              g_variant_iter_init (&iter, old->value);
              while (g_variant_iter_next (&iter, "(&s&s)", &p, &a))
                g_variant_builder_add (&builder, "(ss)", p, a);
            }
          g_variant_builder_add (&builder, "(ss)", path, access ? access : "rwm");
          urun_systemd_property_list_set (list, bus_name, g_variant_builder_end (&builder));
        }
        return TRUE;
      }
    case KIND_IO_BYTES:
    case KIND_IO_COUNT:
    case KIND_IO_WEIGHT:
    case KIND_IO_USEC:
      {
        g_autofree char *path = NULL, *rest = NULL;
        gboolean ok;

        if (!split_device_value (value, &path, &rest) || rest == NULL || path[0] != '/')
          return fail_value (error, info, value);
        switch (info->kind)
          {
          case KIND_IO_BYTES:
            ok = urun_systemd_parse_size (rest, &n);
            break;
          case KIND_IO_COUNT:
            ok = strcmp (rest, "infinity") == 0 ? (n = G_MAXUINT64, TRUE) : parse_count (rest, &n);
            break;
          case KIND_IO_WEIGHT:
            ok = parse_weight (rest, FALSE, &n);
            break;
          default:
            ok = urun_systemd_parse_usec (rest, &n);
            break;
          }
        if (!ok)
          return fail_value (error, info, value);
        urun_systemd_property_list_set_io (list, bus_name, path, n);
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
  urun_systemd_property_list_set (list, bus_name, g_variant_new_uint64 (n));
  return TRUE;
}

gboolean
urun_systemd_property_parse (const char *assignment, GPtrArray *list, GError **error)
{
  const char *eq;
  g_autofree char *name = NULL;
  const PropertyInfo *info;

  g_return_val_if_fail (assignment != NULL, FALSE);
  g_return_val_if_fail (list != NULL, FALSE);

  /* D-Bus strings are UTF-8 (g_variant_new_string() refuses anything
   * else), and a command-line argument may be any bytes. */
  if (!g_utf8_validate (assignment, -1, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (assignment, -1);

      return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                        "invalid property `%s`: not valid UTF-8", shown);
    }
  eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "invalid property `%s`: expected NAME=VALUE, e.g. MemoryMax=512M",
                      assignment);
  name = g_strndup (assignment, (gsize) (eq - assignment));
  info = find_property (name);
  if (info == NULL)
    {
      g_autofree char *known = known_names ();

      return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                        "unknown scope property `%s` in `%s`; urun knows: %s", name,
                        assignment, known);
    }
  return parse_known (info, eq + 1, list, error);
}

gboolean
urun_systemd_property_parse_annotation (const char *name, const char *value, GPtrArray *list,
                                        GError **error)
{
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GError) parse_error = NULL;
  const PropertyInfo *info;

  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  if (!g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (name, -1);

      return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                        "annotation `org.systemd.property.%s`: not valid UTF-8", shown);
    }
  if (*name == '\0' || !g_ascii_isupper (*name))
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "annotation `org.systemd.property.%s`: `%s` is not a systemd property "
                      "name (they start with a capital letter)", name, name);
  variant = g_variant_parse (NULL, value, NULL, NULL, &parse_error);
  /* A bare word such as `inactive-or-failed` is no GVariant text, a quoted
   * 'inactive-or-failed' is; `1G` is neither, so for a known property
   * systemd's own syntax is tried next. */
  if (variant != NULL && !g_variant_is_of_type (variant, G_VARIANT_TYPE_VARIANT)
      && !g_variant_type_is_maybe (g_variant_get_type (variant)))
    {
      urun_systemd_property_list_set (list, name, g_steal_pointer (&variant));
      return TRUE;
    }
  info = find_property (name);
  if (info != NULL)
    {
      g_autofree char *assignment = g_strconcat (info->name, "=", value, NULL);

      if (urun_systemd_property_parse (assignment, list, error))
        return TRUE;
      g_prefix_error (error, "annotation `org.systemd.property.%s`: ", name);
      return FALSE;
    }
  return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                    "annotation `org.systemd.property.%s`: cannot parse `%s`: write the value "
                    "in GVariant text format, e.g. `uint64 1000`, `'text'` or `true`",
                    name, value);
}
