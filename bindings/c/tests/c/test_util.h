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

/* A copy of element `n` of the JSON array `arr` (caller frees), or NULL past the end. */
static inline char *mpt_json_element(const char *arr, size_t n) {
  size_t i = mpt_skip_ws(arr, 0), k = 0;
  if (arr[i] != '[') return NULL;
  i = mpt_skip_ws(arr, i + 1);
  while (arr[i] != '\0' && arr[i] != ']') {
    size_t end = mpt_skip_value(arr, i);
    if (end == 0) return NULL;
    if (k == n) {
      char *out = (char *)malloc(end - i + 1);
      if (out == NULL) return NULL;
      memcpy(out, arr + i, end - i);
      out[end - i] = '\0';
      return out;
    }
    k++;
    i = mpt_skip_ws(arr, end);
    if (arr[i] == ',') i = mpt_skip_ws(arr, i + 1);
  }
  return NULL;
}

/* Member `key` of object `obj` equals the JSON string `value` (no escapes in `value`). */
static inline int mpt_member_is(const char *obj, const char *key, const char *value) {
  char *m = mpt_json_member(obj, key);
  size_t n = strlen(value);
  int ok = m != NULL && strlen(m) == n + 2 && m[0] == '"' && strncmp(m + 1, value, n) == 0 && m[n + 1] == '"';
  free(m);
  return ok;
}

/* Member `key` of `obj` is a number within 1e-9 of `want`. */
static inline int mpt_member_number_is(const char *obj, const char *key, double want) {
  char *m = mpt_json_member(obj, key);
  char *end = NULL;
  int ok = 0;
  if (m != NULL && m[0] != '"' && strcmp(m, "null") != 0) {
    double d = strtod(m, &end);
    ok = end != m && d - want < 1e-9 && want - d < 1e-9;
  }
  free(m);
  return ok;
}

/* One golden `doses_include` entry (tests/golden/README.md) against the plan JSON: option
 * `regimen` has a dose of `drug` whose dose for this patient is `amount` `unit` (`unit` NULL =
 * not computed) after the adjustment with code `adjustment` (NULL = no adjustment at all). */
static inline int mpt_dose_found(const char *plan, const char *regimen, const char *drug, const char *adjustment,
                                 double amount, const char *unit) {
  char *options = mpt_json_member(plan, "options");
  char *option = NULL;
  int found = 0;
  size_t i, j, k;
  for (i = 0; options != NULL && (option = mpt_json_element(options, i)) != NULL; i++) {
    if (mpt_member_is(option, "regimen_id", regimen)) break;
    free(option);
  }
  if (option != NULL) {
    char *doses = mpt_json_member(option, "doses");
    char *dose = NULL;
    for (j = 0; !found && doses != NULL && (dose = mpt_json_element(doses, j)) != NULL; j++) {
      if (mpt_member_is(dose, "drug", drug)) {
        char *adjs = mpt_json_member(dose, "adjustments");
        char *first = adjs != NULL ? mpt_json_element(adjs, 0) : NULL;
        if (adjustment == NULL) {
          if (first == NULL) {
            char *raw = mpt_json_member(dose, "amount");
            found = unit == NULL ? raw == NULL : mpt_member_number_is(dose, "amount", amount) && mpt_member_is(dose, "unit", unit);
            free(raw);
          }
        } else {
          char *a = NULL;
          for (k = 0; !found && adjs != NULL && (a = mpt_json_element(adjs, k)) != NULL; k++) {
            if (mpt_member_is(a, "code", adjustment)) {
              char *raw = mpt_json_member(a, "amount_mg");
              found = unit == NULL ? raw == NULL : strcmp(unit, "mg") == 0 && mpt_member_number_is(a, "amount_mg", amount);
              free(raw);
            }
            free(a);
          }
        }
        free(first);
        free(adjs);
      }
      free(dose);
    }
    free(doses);
    free(option);
  }
  free(options);
  return found;
}

/* Check every line of a `.doses` expectation file (written by scripts/test-c from the case's
 * `doses_include`: regimen, drug, adjustment or "-", amount or "-", unit or "-", tab-separated)
 * against the plan JSON; returns the number of lines that did not hold, and the first such line
 * in `bad` (caller frees). */
static inline int mpt_check_doses(const char *plan, char *lines, char **bad) {
  int failed = 0;
  char *line = lines;
  *bad = NULL;
  while (line != NULL && *line != '\0') {
    char *next = strchr(line, '\n');
    char *f[5];
    int n = 0;
    char *p = line;
    if (next != NULL) *next++ = '\0';
    while (n < 5) {
      f[n++] = p;
      p = strchr(p, '\t');
      if (p == NULL) break;
      *p++ = '\0';
    }
    if (n != 5 || !mpt_dose_found(plan, f[0], f[1], strcmp(f[2], "-") == 0 ? NULL : f[2],
                                  strcmp(f[3], "-") == 0 ? 0.0 : strtod(f[3], NULL), strcmp(f[4], "-") == 0 ? NULL : f[4])) {
      failed++;
      if (*bad == NULL) {
        size_t m = strlen(f[0]) + strlen(n > 1 ? f[1] : "") + 2;
        *bad = (char *)malloc(m);
        if (*bad != NULL) snprintf(*bad, m, "%s %s", f[0], n > 1 ? f[1] : "");
      }
    }
    line = next;
  }
  return failed;
}

#endif /* MP_TEST_UTIL_H */
