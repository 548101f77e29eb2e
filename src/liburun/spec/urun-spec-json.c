/* urun-spec-json.c: reading JSON for the spec parser: the bounded parse of
 * urun-json-file.c, exact number literals, and the "got ..." descriptions
 * of config error messages.
 *
 * Zone: host side (GLib).
 *
 * Why number literals: json-glib stores every integer as a gint64, so the
 * literals -1 and 18446744073709551615 (RLIM_INFINITY, which podman writes)
 * come out the same, and 2^64 silently saturates.  To tell "negative where
 * unsigned" from "large unsigned" we scan the document's number tokens
 * once and pair them, in document order, with json-glib's number nodes.
 * Each pair is checked against json-glib's value; if anything does not
 * line up (non-standard syntax, duplicate keys), the table is dropped and
 * numbers are read from json-glib alone.
 */
#include "config.h"

#include "spec/urun-spec-private.h"
#include "util/urun-error.h"
#include "util/urun-json-file.h"

#include <errno.h>
#include <string.h>

gboolean
urun_spec_fail (GError **error, const char *filename, const char *path, const char *fmt, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, fmt);
  message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (path == NULL || *path == '\0')
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG, "%s: %s", filename, message);
  return urun_fail (error, URUN_ERROR_INVALID_CONFIG, "%s: %s: %s", filename, path, message);
}

char *
urun_spec_quote (const char *s)
{
  GString *out;

  if (s == NULL)
    return g_strdup ("null");
  out = g_string_new ("\"");

  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* ---- number literals ---------------------------------------------------- */

/* Appends every number token of @data to @literals (NUL-separated in
 * @buf, offsets in @offsets), skipping strings and comments the way
 * json-glib's scanner does. */
static void
scan_numbers (const char *data, gsize len, GString *buf, GArray *offsets)
{
  gsize i = 0;

  while (i < len)
    {
      char c = data[i];

      if (c == '"' || c == '\'')
        {
          for (i++; i < len && data[i] != c; i++)
            if (data[i] == '\\')
              i++;
          i++;
        }
      else if (c == '/' && i + 1 < len && data[i + 1] == '*')
        {
          for (i += 2; i + 1 < len && !(data[i] == '*' && data[i + 1] == '/'); i++)
            ;
          i += 2;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = buf->len;

          g_array_append_val (offsets, start);
          if (c == '-')
            {
              g_string_append_c (buf, '-');
              for (i++; i < len && g_ascii_isspace (data[i]); i++)
                ;
            }
          for (; i < len && (g_ascii_isalnum (data[i]) || data[i] == '.' || data[i] == '+'
                             || data[i] == '-');
               i++)
            g_string_append_c (buf, data[i]);
          g_string_append_c (buf, '\0');
        }
      else if (g_ascii_isalpha (c) || c == '_')
        {
          /* true, false, null: skip the identifier whole. */
          for (; i < len && (g_ascii_isalnum (data[i]) || data[i] == '_'); i++)
            ;
        }
      else
        i++;
    }
}

static void
collect_number_nodes (JsonNode *node, GPtrArray *nodes)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name; /* json-glib 1.6 needs both out-parameters */
        JsonNode *member;

#if JSON_CHECK_VERSION(1, 6, 0)
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          collect_number_nodes (member, nodes);
#else
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          collect_number_nodes (member, nodes);
#endif
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          collect_number_nodes (json_array_get_element (array, i), nodes);
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
          g_ptr_array_add (nodes, node);
      }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

static gboolean
is_float_literal (const char *literal)
{
  return strpbrk (literal, ".eE") != NULL;
}

/* Parses an integer literal into sign and magnitude. */
static gboolean
parse_int_literal (const char *literal, gboolean *out_negative, guint64 *out_magnitude,
                   gboolean *out_overflow)
{
  const char *digits = literal;
  gboolean negative = FALSE;
  char *end = NULL;
  guint64 magnitude;

  if (*digits == '-')
    {
      negative = TRUE;
      digits++;
    }
  if (!g_ascii_isdigit (*digits) || is_float_literal (literal))
    return FALSE;
  errno = 0;
  magnitude = g_ascii_strtoull (digits, &end, 10);
  if (end == NULL || *end != '\0')
    return FALSE;
  *out_overflow = errno == ERANGE;
  *out_negative = negative && magnitude != 0;
  *out_magnitude = magnitude;
  return TRUE;
}

static gboolean
literal_matches (const char *literal, JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return is_float_literal (literal)
           && g_ascii_strtod (literal, NULL) == json_node_get_double (node);
  else
    {
      gboolean negative, overflow;
      guint64 magnitude;
      guint64 as_unsigned;

      if (!parse_int_literal (literal, &negative, &magnitude, &overflow))
        return FALSE;
      /* json-glib reads the digits with strtoull and negates: compare in
       * the same two's-complement space. */
      as_unsigned = negative ? (guint64) 0 - magnitude : magnitude;
      return as_unsigned == (guint64) json_node_get_int (node);
    }
}

static void
match_number_literals (UrunJsonContext *ctx, const char *data, gsize len, JsonNode *root)
{
  g_autoptr (GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr (GHashTable) table = NULL;

  ctx->numbers_buf = g_string_new (NULL);
  scan_numbers (data, len, ctx->numbers_buf, offsets);
  collect_number_nodes (root, nodes);
  if (offsets->len != nodes->len)
    return;

  table = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < nodes->len; i++)
    {
      const char *literal = ctx->numbers_buf->str + g_array_index (offsets, gsize, i);

      if (!literal_matches (literal, nodes->pdata[i]))
        return;
      g_hash_table_insert (table, nodes->pdata[i], (gpointer) literal);
    }
  ctx->number_literals = g_steal_pointer (&table);
}

gboolean
urun_json_get_integer (UrunJsonContext *ctx, JsonNode *node, gboolean *out_negative,
                       guint64 *out_magnitude, gboolean *out_overflow, gboolean *out_exact)
{
  const char *literal = NULL;
  gint64 v;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  if (ctx->number_literals != NULL)
    literal = g_hash_table_lookup (ctx->number_literals, node);
  if (literal != NULL && parse_int_literal (literal, out_negative, out_magnitude, out_overflow))
    {
      *out_exact = TRUE;
      return TRUE;
    }

  v = json_node_get_int (node);
  *out_negative = v < 0;
  *out_magnitude = v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;
  *out_overflow = FALSE;
  *out_exact = FALSE;
  return TRUE;
}

char *
urun_json_describe (UrunJsonContext *ctx, JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("nothing");

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");
    case JSON_NODE_ARRAY:
      return g_strdup ("an array");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return urun_spec_quote (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      {
        const char *literal = NULL;

        if (ctx->number_literals != NULL)
          literal = g_hash_table_lookup (ctx->number_literals, node);
        if (literal != NULL)
          return g_strdup (literal);
        if (json_node_get_value_type (node) == G_TYPE_INT64)
          return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        return g_strdup_printf ("%g", json_node_get_double (node));
      }
    default:
      return g_strdup ("a value");
    }
}

/* ---- parsing -------------------------------------------------------------- */

JsonNode *
urun_json_parse (UrunJsonContext *ctx, const char *data, gssize len, GError **error)
{
  JsonNode *root;

  if (len < 0)
    len = strlen (data);

  root = urun_json_parse_bounded (data, len, ctx->filename, error);
  if (root != NULL)
    match_number_literals (ctx, data, len, root);
  return root;
}

void
urun_json_context_clear (UrunJsonContext *ctx)
{
  g_clear_pointer (&ctx->number_literals, g_hash_table_unref);
  if (ctx->numbers_buf != NULL)
    g_string_free (g_steal_pointer (&ctx->numbers_buf), TRUE);
}
