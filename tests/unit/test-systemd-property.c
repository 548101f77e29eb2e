/* test-systemd-property.c: unit tests of systemd's value syntax for
 * `-p NAME=VALUE` and org.systemd.property.* annotations. */
#include "config.h"

#include "util/urun-error.h"
#include "cgroup/urun-systemd-property.h"

/* Parses @assignment and returns the printed value of property @name. */
static char *
parse_one (const char *assignment, const char *name)
{
  g_autoptr (GPtrArray) list = urun_systemd_property_list_new ();
  g_autoptr (GError) error = NULL;
  const UrunSystemdProperty *p;

  g_assert_true (urun_systemd_property_parse (assignment, list, &error));
  g_assert_no_error (error);
  p = urun_systemd_property_list_find (list, name);
  g_assert_nonnull (p);
  return g_variant_print (p->value, TRUE);
}

static void
check (const char *assignment, const char *name, const char *printed)
{
  g_autofree char *got = parse_one (assignment, name);

  g_assert_cmpstr (got, ==, printed);
}

static void
test_sizes (void)
{
  guint64 n;

  check ("MemoryMax=512M", "MemoryMax", "uint64 536870912");
  check ("MemoryMax=1G", "MemoryMax", "uint64 1073741824");
  check ("MemoryMax=1.5G", "MemoryMax", "uint64 1610612736");
  check ("MemoryHigh=4096", "MemoryHigh", "uint64 4096");
  check ("MemoryMax=infinity", "MemoryMax", "uint64 18446744073709551615");
  check ("MemorySwapMax=0", "MemorySwapMax", "uint64 0");
  check ("MemoryMax=50%", "MemoryMaxScale", "uint32 2147483647");
  g_assert_true (urun_systemd_parse_size ("2KiB", &n));
  g_assert_cmpuint (n, ==, 2048);
  g_assert_false (urun_systemd_parse_size ("12Q", &n));
  g_assert_false (urun_systemd_parse_size ("", &n));
  g_assert_false (urun_systemd_parse_size ("1.5", &n));
  g_assert_false (urun_systemd_parse_size ("-1", &n));
  g_assert_false (urun_systemd_parse_size ("99999999999E", &n));
}

static void
test_cpu (void)
{
  check ("CPUQuota=50%", "CPUQuotaPerSecUSec", "uint64 500000");
  check ("CPUQuota=200%", "CPUQuotaPerSecUSec", "uint64 2000000");
  check ("CPUQuota=12.5%", "CPUQuotaPerSecUSec", "uint64 125000");
  check ("CPUQuota=", "CPUQuotaPerSecUSec", "uint64 18446744073709551615");
  check ("CPUQuotaPeriodSec=10ms", "CPUQuotaPeriodUSec", "uint64 10000");
  check ("CPUWeight=100", "CPUWeight", "uint64 100");
  check ("CPUWeight=idle", "CPUWeight", "uint64 0");
  check ("AllowedCPUs=0-2,5", "AllowedCPUs", "[byte 0x27]");
  check ("AllowedCPUs=9", "AllowedCPUs", "[byte 0x00, 0x02]");
  check ("TasksMax=100", "TasksMax", "uint64 100");
  check ("TasksMax=infinity", "TasksMax", "uint64 18446744073709551615");
}

static void
test_time (void)
{
  guint64 us;

  g_assert_true (urun_systemd_parse_usec ("5s", &us));
  g_assert_cmpuint (us, ==, 5000000);
  g_assert_true (urun_systemd_parse_usec ("1min 30s", &us));
  g_assert_cmpuint (us, ==, 90000000);
  g_assert_true (urun_systemd_parse_usec ("2", &us));
  g_assert_cmpuint (us, ==, 2000000);
  g_assert_true (urun_systemd_parse_usec ("100ms", &us));
  g_assert_cmpuint (us, ==, 100000);
  g_assert_true (urun_systemd_parse_usec ("1h", &us));
  g_assert_cmpuint (us, ==, 3600000000ULL);
  g_assert_true (urun_systemd_parse_usec ("250us", &us));
  g_assert_cmpuint (us, ==, 250);
  g_assert_false (urun_systemd_parse_usec ("5 parsecs", &us));
  g_assert_false (urun_systemd_parse_usec ("", &us));
  check ("RuntimeMaxSec=1", "RuntimeMaxUSec", "uint64 1000000");
  check ("TimeoutStopSec=infinity", "TimeoutStopUSec", "uint64 18446744073709551615");
}

static void
test_other_kinds (void)
{
  check ("Delegate=yes", "Delegate", "true");
  check ("CPUAccounting=off", "CPUAccounting", "false");
  check ("CollectMode=inactive-or-failed", "CollectMode", "'inactive-or-failed'");
  check ("KillSignal=SIGINT", "KillSignal", "2");
  check ("KillSignal=9", "KillSignal", "9");
  check ("Slice=work.slice", "Slice", "'work.slice'");
  check ("Description=a b=c", "Description", "'a b=c'");
  check ("DeviceAllow=/dev/null rw", "DeviceAllow", "[('/dev/null', 'rw')]");
  check ("IOReadBandwidthMax=/dev/sda 10M", "IOReadBandwidthMax",
         "[('/dev/sda', uint64 10485760)]");
  check ("IODeviceWeight=/dev/sda 200", "IODeviceWeight", "[('/dev/sda', uint64 200)]");
}

static void
test_repeated (void)
{
  g_autoptr (GPtrArray) list = urun_systemd_property_list_new ();
  g_autofree char *printed = NULL;

  g_assert_true (urun_systemd_property_parse ("DeviceAllow=/dev/null rw", list, NULL));
  g_assert_true (urun_systemd_property_parse ("DeviceAllow=char-pts", list, NULL));
  g_assert_true (urun_systemd_property_parse ("MemoryMax=1G", list, NULL));
  g_assert_true (urun_systemd_property_parse ("MemoryMax=2G", list, NULL));
  g_assert_cmpuint (list->len, ==, 2);
  printed = g_variant_print (urun_systemd_property_list_find (list, "DeviceAllow")->value, FALSE);
  g_assert_cmpstr (printed, ==, "[('/dev/null', 'rw'), ('char-pts', 'rwm')]");
  g_clear_pointer (&printed, g_free);
  printed = g_variant_print (urun_systemd_property_list_find (list, "MemoryMax")->value, FALSE);
  g_assert_cmpstr (printed, ==, "2147483648");
}

/* Each bad input, with the words its error must contain. */
static void
test_errors (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "Bogus=1", "unknown scope property `Bogus` in `Bogus=1`; urun knows: MemoryMax" },
    { "MemoryMax", "invalid property `MemoryMax`: expected NAME=VALUE" },
    { "=1", "expected NAME=VALUE" },
    { "MemoryMax=12Q", "invalid value `12Q` for property MemoryMax: expected a size in bytes" },
    { "MemoryMax=150%", "invalid value `150%` for property MemoryMax" },
    { "CPUQuota=fast", "invalid value `fast` for property CPUQuota: expected a percentage" },
    { "CPUQuota=0%", "invalid value `0%` for property CPUQuota" },
    { "TasksMax=-1", "invalid value `-1` for property TasksMax" },
    { "Delegate=maybe", "invalid value `maybe` for property Delegate: expected a boolean" },
    { "CPUWeight=0", "invalid value `0` for property CPUWeight: expected a weight from 1 to 10000" },
    { "CollectMode=never", "expected one of inactive, inactive-or-failed" },
    { "Slice=foo", "expected a slice unit name ending in .slice" },
    { "AllowedCPUs=3-1", "invalid value `3-1` for property AllowedCPUs" },
    { "DeviceAllow=/dev/null rx", "invalid value `/dev/null rx` for property DeviceAllow" },
    { "IOReadBandwidthMax=/dev/sda", "invalid value `/dev/sda` for property IOReadBandwidthMax" },
    { "RuntimeMaxSec=soon", "invalid value `soon` for property RuntimeMaxSec: expected a time span" },
    /* Found by fuzz-property: bytes that are no UTF-8 reached
     * g_variant_new_string(). */
    { "Description=caf\xc3", "invalid property `Description=caf\xef\xbf\xbd`: not valid UTF-8" },
    { "KillMode=\xff", "not valid UTF-8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) list = urun_systemd_property_list_new ();
      g_autoptr (GError) error = NULL;

      g_test_message ("input: %s", cases[i].input);
      g_assert_false (urun_systemd_property_parse (cases[i].input, list, &error));
      g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

static void
test_annotations (void)
{
  g_autoptr (GPtrArray) list = urun_systemd_property_list_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_assert_true (urun_systemd_property_parse_annotation ("TimeoutStopUSec", "uint64 123456789",
                                                         list, &error));
  g_assert_true (urun_systemd_property_parse_annotation ("CollectMode", "'inactive-or-failed'",
                                                         list, &error));
  /* Not GVariant text, but systemd's syntax of a known property. */
  g_assert_true (urun_systemd_property_parse_annotation ("MemoryMax", "1G", list, &error));
  g_assert_no_error (error);
  a = g_variant_print (urun_systemd_property_list_find (list, "TimeoutStopUSec")->value, TRUE);
  b = g_variant_print (urun_systemd_property_list_find (list, "CollectMode")->value, TRUE);
  c = g_variant_print (urun_systemd_property_list_find (list, "MemoryMax")->value, TRUE);
  g_assert_cmpstr (a, ==, "uint64 123456789");
  g_assert_cmpstr (b, ==, "'inactive-or-failed'");
  g_assert_cmpstr (c, ==, "uint64 1073741824");

  g_assert_false (urun_systemd_property_parse_annotation ("SomethingNew", "not gvariant",
                                                          list, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "org.systemd.property.SomethingNew"));
  g_assert_nonnull (strstr (error->message, "GVariant text format"));
  g_clear_error (&error);
  g_assert_false (urun_systemd_property_parse_annotation ("lowercase", "true", list, &error));
  g_assert_error (error, URUN_ERROR, URUN_ERROR_INVALID_CONFIG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/systemd-property/sizes", test_sizes);
  g_test_add_func ("/systemd-property/cpu", test_cpu);
  g_test_add_func ("/systemd-property/time", test_time);
  g_test_add_func ("/systemd-property/other-kinds", test_other_kinds);
  g_test_add_func ("/systemd-property/repeated", test_repeated);
  g_test_add_func ("/systemd-property/errors", test_errors);
  g_test_add_func ("/systemd-property/annotations", test_annotations);
  return g_test_run ();
}
