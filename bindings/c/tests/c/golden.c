/*
 * C11: every golden case through the C API, compared byte-for-byte with the Rust reference.
 *
 * Usage: golden EXPECTED_DIR CASE.json...
 * For each case NAME.json, EXPECTED_DIR/NAME.plan holds `mmpath case NAME.json` (the plan
 * JSON, or the error JSON for a refused record); EXPECTED_DIR/NAME.<kind> (kind = stage, risk,
 * risk-compare, eligibility, diagnose, response), where present, holds `mmpath <kind> --json`;
 * EXPECTED_DIR/NAME.fhir, where present, `mmpath plan --fhir-out`. Prints one TAP-like
 * line per check and exits non-zero if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myeloma_pathway.h"
#include "test_util.h"

static int passed = 0;
static int failed = 0;

static void check(int ok, const char *name, const char *what, const char *detail) {
  if (ok) {
    passed++;
    printf("ok - %s: %s\n", name, what);
  } else {
    failed++;
    printf("not ok - %s: %s%s%s\n", name, what, detail ? ": " : "", detail ? detail : "");
  }
}

static char *expected_path(const char *dir, const char *name, const char *ext) {
  size_t n = strlen(dir) + strlen(name) + strlen(ext) + 3;
  char *p = (char *)malloc(n);
  if (p != NULL) snprintf(p, n, "%s/%s.%s", dir, name, ext);
  return p;
}

/* `"key":"value"` is in the JSON (value JSON-escaped only for '"' and '\\'; skipped when the
 * value has other characters that JSON escapes, or is too long for the needle). */
static int has_string(const char *json, const char *key, const char *value) {
  char needle[1024];
  size_t n = 0, i;
  if (key != NULL) n += (size_t)snprintf(needle, sizeof needle, "\"%s\":\"", key);
  for (i = 0; value[i] != '\0'; i++) {
    unsigned char c = (unsigned char)value[i];
    if (c < 0x20) return 1;
    if (n + 4 >= sizeof needle) return 1;
    if (c == '"' || c == '\\') needle[n++] = '\\';
    needle[n++] = (char)c;
  }
  if (key != NULL) needle[n++] = '"';
  needle[n] = '\0';
  return strstr(json, needle) != NULL;
}

/* Every list the getters expose (warnings, exclusions, rationale, notes, missing inputs grouped
 * by field, counterfactuals, basis) agrees with the plan JSON, and each index one past the end
 * is refused. */
static int text_getters_agree(const mp_plan *plan, const char *json) {
  const char *s = NULL;
  size_t count = 0, n = 0, i, j;
  if (mp_plan_warning_count(plan, &count) != MP_STATUS_OK) return 0;
  for (i = 0; i < count; i++) {
    if (mp_plan_warning_code(plan, i, &s) != MP_STATUS_OK || !has_string(json, "code", s)) return 0;
    if (mp_plan_warning_message(plan, i, &s) != MP_STATUS_OK || !has_string(json, "message", s)) return 0;
  }
  if (mp_plan_warning_code(plan, count, &s) != MP_STATUS_INDEX_OUT_OF_RANGE) return 0;
  if (mp_plan_exclusion_count(plan, &count) != MP_STATUS_OK) return 0;
  for (i = 0; i < count; i++) {
    if (mp_plan_exclusion_regimen_id(plan, i, &s) != MP_STATUS_OK || !has_string(json, "regimen_id", s)) return 0;
    if (mp_plan_exclusion_name(plan, i, &s) != MP_STATUS_OK || !has_string(json, "name", s)) return 0;
    if (mp_plan_exclusion_reason(plan, i, &s) != MP_STATUS_OK || !has_string(json, "reason", s)) return 0;
  }
  if (mp_plan_exclusion_reason(plan, count, &s) != MP_STATUS_INDEX_OUT_OF_RANGE) return 0;
  if (mp_plan_option_count(plan, &count) != MP_STATUS_OK) return 0;
  for (i = 0; i < count; i++) {
    if (mp_plan_option_action(plan, i, &s) != MP_STATUS_OK || !has_string(json, "action", s)) return 0;
    if (mp_plan_option_course(plan, i, &s) != MP_STATUS_OK || !has_string(json, "course", s)) return 0;
    if (mp_plan_option_condition(plan, i, &s) != MP_STATUS_OK || (s[0] != '\0' && !has_string(json, "condition", s))) return 0;
    if (mp_plan_option_rationale_count(plan, i, &n) != MP_STATUS_OK) return 0;
    for (j = 0; j < n; j++) {
      if (mp_plan_option_rationale(plan, i, j, &s) != MP_STATUS_OK || !has_string(json, NULL, s)) return 0;
    }
    if (mp_plan_option_rationale(plan, i, n, &s) != MP_STATUS_INDEX_OUT_OF_RANGE) return 0;
    if (mp_plan_option_note_count(plan, i, &n) != MP_STATUS_OK) return 0;
    for (j = 0; j < n; j++) {
      if (mp_plan_option_note(plan, i, j, &s) != MP_STATUS_OK) return 0;
    }
  }
  if (mp_plan_missing_input_count(plan, &count) != MP_STATUS_OK) return 0;
  for (i = 0; i < count; i++) {
    const char *field = NULL;
    size_t k;
    if (mp_plan_missing_input_field(plan, i, &field) != MP_STATUS_OK || !has_string(json, "field", field)) return 0;
    /* Grouped: each field once. */
    for (k = 0; k < i; k++) {
      if (mp_plan_missing_input_field(plan, k, &s) != MP_STATUS_OK || strcmp(s, field) == 0) return 0;
    }
    if (mp_plan_missing_input_test(plan, i, &s) != MP_STATUS_OK || s[0] == '\0') return 0;
    if (mp_plan_missing_input_needed_for_count(plan, i, &n) != MP_STATUS_OK || n == 0) return 0;
    for (j = 0; j < n; j++) {
      if (mp_plan_missing_input_needed_for(plan, i, j, &s) != MP_STATUS_OK || !has_string(json, "needed_for", s)) return 0;
    }
  }
  if (mp_plan_missing_input_field(plan, count, &s) != MP_STATUS_INDEX_OUT_OF_RANGE) return 0;
  if (mp_plan_counterfactual_count(plan, &count) != MP_STATUS_OK) return 0;
  for (i = 0; i < count; i++) {
    if (mp_plan_counterfactual_change(plan, i, &s) != MP_STATUS_OK || !has_string(json, "change", s)) return 0;
    if (mp_plan_counterfactual_effect(plan, i, &s) != MP_STATUS_OK || !has_string(json, "effect", s)) return 0;
    if (mp_plan_counterfactual_first_option_count(plan, i, &n) != MP_STATUS_OK) return 0;
    for (j = 0; j < n; j++) {
      if (mp_plan_counterfactual_first_option(plan, i, j, &s) != MP_STATUS_OK) return 0;
    }
  }
  if (mp_plan_next_decision_when(plan, &s) != MP_STATUS_OK || !has_string(json, "when", s)) return 0;
  if (mp_plan_next_decision_action(plan, &s) != MP_STATUS_OK || !has_string(json, "action", s)) return 0;
  if (mp_plan_basis_library_version(plan, &s) != MP_STATUS_OK || !has_string(json, "library_version", s)) return 0;
  if (mp_plan_basis_kb_version(plan, &s) != MP_STATUS_OK || !has_string(json, "version", s)) return 0;
  if (mp_plan_basis_kb_sha256(plan, &s) != MP_STATUS_OK || !has_string(json, "sha256", s)) return 0;
  if (mp_plan_basis_guideline_json(plan, &s) != MP_STATUS_OK || s[0] != '{' || strstr(json, s) == NULL) return 0;
  if (mp_plan_basis_inputs_json(plan, &s) != MP_STATUS_OK || s[0] != '{' || strstr(json, s) == NULL) return 0;
  return 1;
}

/* The getters agree with the plan JSON. */
static int getters_agree(const mp_plan *plan, const char *json) {
  char needle[512];
  const char *s = NULL;
  size_t count = 0, i;
  uint32_t line = 0, rank = 0;
  mp_phase phase = 0;
  if (mp_plan_phase_id(plan, &s) != MP_STATUS_OK) return 0;
  snprintf(needle, sizeof needle, "\"phase\":\"%s\"", s);
  if (strstr(json, needle) == NULL) return 0;
  if (mp_plan_phase(plan, &phase) != MP_STATUS_OK || phase < MP_PHASE_WORK_UP || phase > MP_PHASE_RELAPSE) return 0;
  if (mp_plan_line(plan, &line) != MP_STATUS_OK) return 0;
  snprintf(needle, sizeof needle, "\"line\":%u", (unsigned)line);
  if (strstr(json, needle) == NULL) return 0;
  if (mp_plan_eligibility_id(plan, &s) != MP_STATUS_OK) return 0;
  snprintf(needle, sizeof needle, "\"eligibility\":\"%s\"", s);
  if (strstr(json, needle) == NULL) return 0;
  if (mp_plan_risk_level_id(plan, &s) != MP_STATUS_OK) return 0;
  snprintf(needle, sizeof needle, "\"level\":\"%s\"", s);
  if (strstr(json, needle) == NULL) return 0;
  if (mp_plan_option_count(plan, &count) != MP_STATUS_OK) return 0;
  for (i = 0; i < count; i++) {
    if (mp_plan_option_regimen_id(plan, i, &s) != MP_STATUS_OK) return 0;
    if (mp_plan_option_rank(plan, i, &rank) != MP_STATUS_OK) return 0;
    snprintf(needle, sizeof needle, "{\"rank\":%u,\"action\":", (unsigned)rank);
    if (strstr(json, needle) == NULL) return 0;
    snprintf(needle, sizeof needle, "\"regimen_id\":\"%s\"", s);
    if (strstr(json, needle) == NULL) return 0;
    if (mp_plan_option_name(plan, i, &s) != MP_STATUS_OK || s[0] == '\0') return 0;
  }
  if (mp_plan_option_regimen_id(plan, count, &s) != MP_STATUS_INDEX_OUT_OF_RANGE) return 0;
  if (!text_getters_agree(plan, json)) return 0;
  if (mp_plan_text(plan, &s) != MP_STATUS_OK || strstr(s, "not a medical device") == NULL) return 0;
  return 1;
}

static const struct {
  const char *ext;
  uint32_t kind;
} KINDS[] = {
    {"stage", MP_ASSESSMENT_KIND_STAGE},
    {"risk", MP_ASSESSMENT_KIND_RISK},
    {"risk-compare", MP_ASSESSMENT_KIND_RISK_COMPARE},
    {"eligibility", MP_ASSESSMENT_KIND_ELIGIBILITY},
    {"diagnose", MP_ASSESSMENT_KIND_DIAGNOSE},
    {"response", MP_ASSESSMENT_KIND_RESPONSE},
};

static void run_case(const char *dir, const char *path) {
  char *name = mpt_case_name(path);
  char *doc = mpt_read_file(path);
  char *patient_json = doc ? mpt_json_member(doc, "patient") : NULL;
  char *guideline_json = doc ? mpt_json_member(doc, "guideline") : NULL;
  char *plan_path = expected_path(dir, name, "plan");
  char *want = mpt_read_expected(plan_path);
  mp_guideline *g = NULL;
  mp_patient *p = NULL;
  mp_plan *plan = NULL;
  const char *got = NULL;
  size_t k;
  /* The same order as the core's api::run_json: guideline, patient, plan. */
  mp_status st = guideline_json ? mp_guideline_from_json(guideline_json, &g) : mp_guideline_new(&g);
  if (st == MP_STATUS_OK) st = mp_patient_from_json(patient_json ? patient_json : "", &p);
  if (st == MP_STATUS_OK) st = mp_recommend(p, g, &plan);
  if (st == MP_STATUS_OK) {
    if (mp_plan_json(plan, &got) != MP_STATUS_OK) got = NULL;
  } else {
    got = mp_last_error_json();
  }
  if (doc == NULL || want == NULL || got == NULL) {
    check(0, name, "plan JSON equals mmpath case", "missing case, expectation or output");
  } else {
    check(strcmp(got, want) == 0, name, st == MP_STATUS_OK ? "plan JSON equals mmpath case" : "error JSON equals mmpath case", NULL);
    if (st == MP_STATUS_OK) {
      check(getters_agree(plan, got), name, "getters agree with the plan JSON", NULL);
    } else {
      char code[32];
      snprintf(code, sizeof code, "\"code\":%u,", (unsigned)st);
      check(strstr(got, code) != NULL && mp_last_error()[0] != '\0', name, "status equals the error JSON's code", NULL);
    }
  }
  {
    /* The plan as FHIR, where mmpath plan --fhir-out gave one: the same bytes, and kept by the plan. */
    char *fpath = expected_path(dir, name, "fhir");
    char *fwant = mpt_read_expected(fpath);
    if (fwant != NULL) {
      const char *f1 = NULL, *f2 = NULL;
      int ok = plan != NULL && mp_plan_fhir_json(plan, &f1) == MP_STATUS_OK && strcmp(f1, fwant) == 0 &&
               mp_plan_fhir_json(plan, &f2) == MP_STATUS_OK && f1 == f2;
      check(ok, name, "plan FHIR JSON equals mmpath plan --fhir-out", NULL);
      free(fwant);
    }
    free(fpath);
  }
  {
    /* The case's hand-written dose expectations (`doses_include`), through the C API's plan. */
    char *dpath = expected_path(dir, name, "doses");
    char *dwant = mpt_read_file(dpath);
    if (dwant != NULL) {
      char *bad = NULL;
      check(got != NULL && st == MP_STATUS_OK && mpt_check_doses(got, dwant, &bad) == 0, name,
            "doses_include holds in the plan JSON", bad);
      free(bad);
      free(dwant);
    }
    free(dpath);
  }
  for (k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
    char *kpath = expected_path(dir, name, KINDS[k].ext);
    char *kwant = mpt_read_expected(kpath);
    if (kwant != NULL) {
      mp_assessment *a = NULL;
      mp_assessment *b = NULL;
      const char *ja = NULL, *jb = NULL;
      char what[96];
      int ok = p != NULL && mp_assess(p, g, KINDS[k].kind, &a) == MP_STATUS_OK && mp_assessment_json(a, &ja) == MP_STATUS_OK &&
               strcmp(ja, kwant) == 0;
      snprintf(what, sizeof what, "%s JSON (handles) equals mmpath %s --json", KINDS[k].ext, KINDS[k].ext);
      check(ok, name, what, NULL);
      ok = mp_assess_json(KINDS[k].kind, patient_json ? patient_json : "", guideline_json, &b) == MP_STATUS_OK &&
           mp_assessment_json(b, &jb) == MP_STATUS_OK && strcmp(jb, kwant) == 0;
      snprintf(what, sizeof what, "%s JSON (JSON entry point) equals mmpath %s --json", KINDS[k].ext, KINDS[k].ext);
      check(ok, name, what, NULL);
      mp_assessment_free(a);
      mp_assessment_free(b);
      free(kwant);
    }
    free(kpath);
  }
  mp_plan_free(plan);
  mp_patient_free(p);
  mp_guideline_free(g);
  free(want);
  free(plan_path);
  free(guideline_json);
  free(patient_json);
  free(doc);
  free(name);
}

int main(int argc, char **argv) {
  int i;
  if (argc < 3) {
    fprintf(stderr, "usage: %s EXPECTED_DIR CASE.json...\n", argv[0]);
    return 64;
  }
  for (i = 2; i < argc; i++) run_case(argv[1], argv[i]);
  printf("# golden (C11): %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
