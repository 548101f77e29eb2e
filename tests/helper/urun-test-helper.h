/* urun-test-helper.h: a tiny JSON writer and file helpers for the static
 * test helper.  Zone: test payload (plain libc, no GLib).  */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Streams compact JSON to a FILE.  Commas are placed automatically: every
 * value or key after the first in a container is preceded by one.  */
typedef struct
{
  FILE *out;
  int depth;
  bool need_comma[64];
  bool after_key;
} JsonOut;

void json_out_init (JsonOut *j, FILE *out);
void json_begin_object (JsonOut *j);
void json_end_object (JsonOut *j);
void json_begin_array (JsonOut *j);
void json_end_array (JsonOut *j);
void json_key (JsonOut *j, const char *key);
/* Writes S as a JSON string.  Valid UTF-8 is kept; each byte that is not
 * part of valid UTF-8 is written as \u00XX so that the output stays JSON.  */
void json_string (JsonOut *j, const char *s);
void json_int (JsonOut *j, long long v);
void json_bool (JsonOut *j, bool v);
void json_null (JsonOut *j);

/* Reads up to SIZE - 1 bytes of PATH into BUF, NUL-terminated.  Returns the
 * length, or -1 with errno set.  */
ssize_t read_small_file (const char *path, char *buf, size_t size);
/* Writes all of BUF, retrying on EINTR and short writes.  0 or -1/errno.  */
int write_all (int fd, const void *buf, size_t len);
