/* urun-test-helper-json.c: JSON output and small I/O helpers for the static
 * test helper (see urun-test-helper.h).  Zone: test payload (plain libc).  */

#include "urun-test-helper.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

void
json_out_init (JsonOut *j, FILE *out)
{
  j->out = out;
  j->depth = 0;
  j->need_comma[0] = false;
  j->after_key = false;
}

/* Called before every key and every value.  */
static void
json_separator (JsonOut *j)
{
  if (j->after_key)
    {
      j->after_key = false;
      return;
    }
  if (j->need_comma[j->depth])
    fputc (',', j->out);
  j->need_comma[j->depth] = true;
}

static void
json_open (JsonOut *j, char c)
{
  json_separator (j);
  fputc (c, j->out);
  if (j->depth < (int) (sizeof j->need_comma / sizeof j->need_comma[0]) - 1)
    j->depth++;
  j->need_comma[j->depth] = false;
}

static void
json_close (JsonOut *j, char c)
{
  fputc (c, j->out);
  if (j->depth > 0)
    j->depth--;
}

void
json_begin_object (JsonOut *j)
{
  json_open (j, '{');
}

void
json_end_object (JsonOut *j)
{
  json_close (j, '}');
}

void
json_begin_array (JsonOut *j)
{
  json_open (j, '[');
}

void
json_end_array (JsonOut *j)
{
  json_close (j, ']');
}

/* Length of the valid UTF-8 sequence at S, or 0 when it is not one.  Rejects
 * overlong forms, surrogates and code points above U+10FFFF.  */
static int
utf8_sequence_length (const unsigned char *s)
{
  unsigned cp;
  int len;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    len = 2, cp = s[0] & 0x1f;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    len = 3, cp = s[0] & 0x0f;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    len = 4, cp = s[0] & 0x07;
  else
    return 0;
  for (int i = 1; i < len; i++)
    {
      if ((s[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i] & 0x3f);
    }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
      || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

static void
json_raw_string (FILE *out, const char *str)
{
  const unsigned char *s = (const unsigned char *) str;

  fputc ('"', out);
  while (*s != '\0')
    {
      int len;

      switch (*s)
        {
        case '"': fputs ("\\\"", out); s++; continue;
        case '\\': fputs ("\\\\", out); s++; continue;
        case '\b': fputs ("\\b", out); s++; continue;
        case '\f': fputs ("\\f", out); s++; continue;
        case '\n': fputs ("\\n", out); s++; continue;
        case '\r': fputs ("\\r", out); s++; continue;
        case '\t': fputs ("\\t", out); s++; continue;
        default: break;
        }
      len = utf8_sequence_length (s);
      if (*s < 0x20 || *s == 0x7f || len == 0)
        {
          fprintf (out, "\\u%04x", (unsigned) *s);
          s++;
          continue;
        }
      fwrite (s, 1, (size_t) len, out);
      s += len;
    }
  fputc ('"', out);
}

void
json_key (JsonOut *j, const char *key)
{
  json_separator (j);
  json_raw_string (j->out, key);
  fputc (':', j->out);
  j->after_key = true;
}

void
json_string (JsonOut *j, const char *s)
{
  json_separator (j);
  json_raw_string (j->out, s);
}

void
json_int (JsonOut *j, long long v)
{
  json_separator (j);
  fprintf (j->out, "%lld", v);
}

void
json_bool (JsonOut *j, bool v)
{
  json_separator (j);
  fputs (v ? "true" : "false", j->out);
}

void
json_null (JsonOut *j)
{
  json_separator (j);
  fputs ("null", j->out);
}

ssize_t
read_small_file (const char *path, char *buf, size_t size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  size_t total = 0;

  if (fd < 0)
    return -1;
  while (total < size - 1)
    {
      ssize_t n = read (fd, buf + total, size - 1 - total);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          close (fd);
          errno = saved;
          return -1;
        }
      if (n == 0)
        break;
      total += (size_t) n;
    }
  close (fd);
  buf[total] = '\0';
  return (ssize_t) total;
}

int
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      p += n;
      len -= (size_t) n;
    }
  return 0;
}
