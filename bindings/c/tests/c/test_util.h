/*
 * Helpers shared by the C11 and C++17 test programs: read a file, and take the raw text of
 * one member of a JSON object (a tiny splitter, not a parser: the library does the parsing).
 * Written in the common subset of C and C++.
 */
#ifndef MP_TEST_UTIL_H
#define MP_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file as a NUL-terminated string (caller frees), or NULL. */
static inline char *mpt_read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  buf = (char *)malloc((size_t)n + 1);
  if (buf != NULL) {
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      buf = NULL;
    } else {
      buf[n] = '\0';
    }
  }
  fclose(f);
  return buf;
}

/* A copy of `expected` with one trailing newline removed (the CLI prints one). */
static inline char *mpt_read_expected(const char *path) {
  char *s = mpt_read_file(path);
  size_t n;
  if (s == NULL) return NULL;
  n = strlen(s);
  if (n > 0 && s[n - 1] == '\n') s[n - 1] = '\0';
  return s;
}

static inline size_t mpt_skip_ws(const char *s, size_t i) {
  while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') i++;
  return i;
}

/* s[i] is '"'; the index just past the closing quote, or 0 if unterminated. */
static inline size_t mpt_skip_string(const char *s, size_t i) {
  for (i++; s[i] != '\0'; i++) {
    if (s[i] == '\\') {
      if (s[++i] == '\0') return 0;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return 0;
}

/* The index just past the JSON value starting at s[i], or 0 if malformed. */
static inline size_t mpt_skip_value(const char *s, size_t i) {
  int depth = 0;
  if (s[i] == '"') return mpt_skip_string(s, i);
  if (s[i] != '{' && s[i] != '[') {
    size_t start = i;
    while (s[i] != '\0' && strchr(",}] \t\r\n", s[i]) == NULL) i++;
    return i > start ? i : 0;
  }
  while (s[i] != '\0') {
    if (s[i] == '"') {
      i = mpt_skip_string(s, i);
      if (i == 0) return 0;
      continue;
    }
    if (s[i] == '{' || s[i] == '[') depth++;
    if (s[i] == '}' || s[i] == ']') {
      depth--;
      if (depth == 0) return i + 1;
    }
    i++;
  }
  return 0;
}

/* The raw text of member `key` of the top-level object `doc` (caller frees), or NULL. */
static inline char *mpt_json_member(const char *doc, const char *key) {
  size_t klen = strlen(key);
  size_t i = mpt_skip_ws(doc, 0);
  if (doc[i] != '{') return NULL;
  i = mpt_skip_ws(doc, i + 1);
  while (doc[i] == '"') {
    size_t kstart = i + 1, kend = mpt_skip_string(doc, i), vstart, vend;
    if (kend == 0) return NULL;
    i = mpt_skip_ws(doc, kend);
    if (doc[i] != ':') return NULL;
    vstart = mpt_skip_ws(doc, i + 1);
    vend = mpt_skip_value(doc, vstart);
    if (vend == 0) return NULL;
    if (kend - 1 - kstart == klen && strncmp(doc + kstart, key, klen) == 0) {
      char *out = (char *)malloc(vend - vstart + 1);
      if (out == NULL) return NULL;
      memcpy(out, doc + vstart, vend - vstart);
      out[vend - vstart] = '\0';
      return out;
    }
    i = mpt_skip_ws(doc, vend);
    if (doc[i] == ',') i = mpt_skip_ws(doc, i + 1);
  }
  return NULL;
}

/* "dir/name.json" -> "name" (caller frees). */
static inline char *mpt_case_name(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash != NULL ? slash + 1 : path;
  size_t n = strlen(base);
  char *out;
  if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
  out = (char *)malloc(n + 1);
  if (out == NULL) return NULL;
  memcpy(out, base, n);
  out[n] = '\0';
  return out;
}

#endif /* MP_TEST_UTIL_H */
