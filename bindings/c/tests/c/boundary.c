/*
 * C11: the boundary contract of every export.
 *
 * - NULL in each pointer argument of every export gives MP_STATUS_NULL_ARGUMENT (or the
 *   documented meaning: a NULL guideline is the default guideline; free(NULL) is a no-op), and
 *   leaves the outputs unwritten.
 * - Invalid UTF-8, over-long strings, undefined enumeration values, out-of-range indices and
 *   implausible clinical values give their documented codes; a refused setter leaves the
 *   patient unchanged.
 * - The typed setters build the same patient as the equivalent JSON record.
 * - The last error is per thread.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myeloma_pathway.h"

static int passed = 0;
static int failed = 0;

static void check(int ok, const char *what) {
  if (ok) {
    passed++;
    printf("ok - %s\n", what);
  } else {
    failed++;
    printf("not ok - %s (last error: %s)\n", what, mp_last_error());
  }
}

/* A status, and the last error's JSON kind. */
static int is(mp_status got, mp_status want) {
  const char *kind = NULL;
  if (got != want) return 0;
  if (want == MP_STATUS_OK) return mp_last_error()[0] == '\0' && mp_last_error_json()[0] == '\0';
  switch (want) {
    case MP_STATUS_NULL_ARGUMENT: kind = "\"kind\":\"null_argument\""; break;
    case MP_STATUS_INVALID_UTF8: kind = "\"kind\":\"invalid_utf8\""; break;
    case MP_STATUS_TOO_LARGE: kind = "\"kind\":\"too_large\""; break;
    case MP_STATUS_INDEX_OUT_OF_RANGE: kind = "\"kind\":\"index_out_of_range\""; break;
    case MP_STATUS_INVALID_ARGUMENT: kind = "\"kind\":\"invalid_argument\""; break;
    case MP_STATUS_OUT_OF_RANGE: kind = "\"kind\":\"out_of_range\""; break;
    case MP_STATUS_UNSUPPORTED_UNIT: kind = "\"kind\":\"unsupported_unit\""; break;
    case MP_STATUS_UNKNOWN_IDENTIFIER: kind = "\"kind\":\"unknown_identifier\""; break;
    default: break;
  }
  return mp_last_error()[0] != '\0' && (kind == NULL || strstr(mp_last_error_json(), kind) != NULL);
}

#define NUL_ARG(call) check(is((call), MP_STATUS_NULL_ARGUMENT), "NULL argument: " #call)

/* Sentinels: an output equal to one of these after a failed call was not written. */
static char sentinel_byte;
#define SENTINEL_STR ((const char *)&sentinel_byte)

static const char *PATIENT_JSON =
    "{\"age_years\":60,\"sex\":\"male\",\"weight_kg\":80,\"height_cm\":178,\"ecog\":0,"
    "\"frailty\":{\"charlson\":0,\"katz_adl\":6,\"lawton_iadl\":8},"
    "\"labs\":{\"creatinine\":{\"value\":1.0,\"unit\":\"mg/dL\"},\"albumin\":{\"value\":3.9,\"unit\":\"g/dL\"},"
    "\"beta2_microglobulin\":{\"value\":2.8,\"unit\":\"mg/L\"},\"ldh\":{\"value\":180,\"unit\":\"U/L\"},"
    "\"ldh_upper_limit_of_normal\":{\"value\":250,\"unit\":\"U/L\"}},"
    "\"cytogenetics\":[{\"abnormality\":\"del_17p\",\"status\":\"not_detected\"},"
    "{\"abnormality\":\"t_4_14\",\"status\":\"detected\",\"clonal_fraction_pct\":30},"
    "{\"abnormality\":\"gain_1q\",\"status\":\"not_tested\"}]}";

static void null_arguments(void) {
  mp_patient *p = NULL, *p_out = (mp_patient *)SENTINEL_STR;
  mp_guideline *g = NULL, *g_out = (mp_guideline *)SENTINEL_STR;
  mp_plan *plan = NULL, *plan_out = (mp_plan *)SENTINEL_STR;
  mp_assessment *a = NULL, *a_out = (mp_assessment *)SENTINEL_STR;
  const char *s = SENTINEL_STR;
  size_t n = 7;
  uint32_t u = 7;
  mp_phase phase = 0;
  mp_eligibility elig = 0;
  mp_risk_level risk = 0;

  check(mp_patient_from_json(PATIENT_JSON, &p) == MP_STATUS_OK, "fixture patient");
  check(mp_guideline_new(&g) == MP_STATUS_OK, "fixture guideline");
  check(mp_recommend(p, g, &plan) == MP_STATUS_OK, "fixture plan");
  check(mp_assess(p, g, MP_ASSESSMENT_KIND_STAGE, &a) == MP_STATUS_OK, "fixture assessment");

  NUL_ARG(mp_patient_new(NULL));
  NUL_ARG(mp_patient_from_json(NULL, &p_out));
  NUL_ARG(mp_patient_from_json(PATIENT_JSON, NULL));
  NUL_ARG(mp_patient_json(NULL, &s));
  NUL_ARG(mp_patient_json(p, NULL));
  NUL_ARG(mp_patient_set_age(NULL, 60));
  NUL_ARG(mp_patient_set_sex(NULL, MP_SEX_MALE));
  NUL_ARG(mp_patient_set_weight_kg(NULL, 80.0));
  NUL_ARG(mp_patient_set_height_cm(NULL, 178.0));
  NUL_ARG(mp_patient_set_ecog(NULL, 0));
  NUL_ARG(mp_patient_set_frailty(NULL, 0, 6, 8));
  NUL_ARG(mp_patient_set_creatinine(NULL, 1.0, "mg/dL"));
  NUL_ARG(mp_patient_set_creatinine(p, 1.0, NULL));
  NUL_ARG(mp_patient_set_albumin(NULL, 3.9, "g/dL"));
  NUL_ARG(mp_patient_set_albumin(p, 3.9, NULL));
  NUL_ARG(mp_patient_set_beta2_microglobulin(NULL, 2.8, "mg/L"));
  NUL_ARG(mp_patient_set_beta2_microglobulin(p, 2.8, NULL));
  NUL_ARG(mp_patient_set_ldh(NULL, 180, 250, "U/L"));
  NUL_ARG(mp_patient_set_ldh(p, 180, 250, NULL));
  NUL_ARG(mp_patient_set_finding(NULL, "del_17p", MP_FINDING_STATUS_DETECTED));
  NUL_ARG(mp_patient_set_finding(p, NULL, MP_FINDING_STATUS_DETECTED));
  NUL_ARG(mp_patient_set_finding_with_fraction(NULL, "del_17p", MP_FINDING_STATUS_DETECTED, 30.0));
  NUL_ARG(mp_patient_set_finding_with_fraction(p, NULL, MP_FINDING_STATUS_DETECTED, 30.0));
  NUL_ARG(mp_guideline_new(NULL));
  NUL_ARG(mp_guideline_from_json(NULL, &g_out));
  NUL_ARG(mp_guideline_from_json("{}", NULL));
  NUL_ARG(mp_guideline_json(NULL, &s));
  NUL_ARG(mp_guideline_json(g, NULL));
  NUL_ARG(mp_recommend(NULL, g, &plan_out));
  NUL_ARG(mp_recommend(p, g, NULL));
  NUL_ARG(mp_plan_new(NULL, g, &plan_out));
  NUL_ARG(mp_plan_new(p, g, NULL));
  NUL_ARG(mp_plan_json(NULL, &s));
  NUL_ARG(mp_plan_json(plan, NULL));
  NUL_ARG(mp_plan_text(NULL, &s));
  NUL_ARG(mp_plan_text(plan, NULL));
  NUL_ARG(mp_plan_phase(NULL, &phase));
  NUL_ARG(mp_plan_phase(plan, NULL));
  NUL_ARG(mp_plan_phase_id(NULL, &s));
  NUL_ARG(mp_plan_phase_id(plan, NULL));
  NUL_ARG(mp_plan_line(NULL, &u));
  NUL_ARG(mp_plan_line(plan, NULL));
  NUL_ARG(mp_plan_option_count(NULL, &n));
  NUL_ARG(mp_plan_option_count(plan, NULL));
  NUL_ARG(mp_plan_option_regimen_id(NULL, 0, &s));
  NUL_ARG(mp_plan_option_regimen_id(plan, 0, NULL));
  NUL_ARG(mp_plan_option_name(NULL, 0, &s));
  NUL_ARG(mp_plan_option_name(plan, 0, NULL));
  NUL_ARG(mp_plan_option_rank(NULL, 0, &u));
  NUL_ARG(mp_plan_option_rank(plan, 0, NULL));
  NUL_ARG(mp_plan_eligibility(NULL, &elig));
  NUL_ARG(mp_plan_eligibility(plan, NULL));
  NUL_ARG(mp_plan_eligibility_id(NULL, &s));
  NUL_ARG(mp_plan_eligibility_id(plan, NULL));
  NUL_ARG(mp_plan_risk_level(NULL, &risk));
  NUL_ARG(mp_plan_risk_level(plan, NULL));
  NUL_ARG(mp_plan_risk_level_id(NULL, &s));
  NUL_ARG(mp_plan_risk_level_id(plan, NULL));
  NUL_ARG(mp_plan_missing_input_count(NULL, &n));
  NUL_ARG(mp_plan_missing_input_count(plan, NULL));
  NUL_ARG(mp_plan_missing_input_field(NULL, 0, &s));
  NUL_ARG(mp_plan_missing_input_field(plan, 0, NULL));
  NUL_ARG(mp_assess(NULL, g, MP_ASSESSMENT_KIND_STAGE, &a_out));
  NUL_ARG(mp_assess(p, g, MP_ASSESSMENT_KIND_STAGE, NULL));
  NUL_ARG(mp_assessment_new(NULL, g, MP_ASSESSMENT_KIND_STAGE, &a_out));
  NUL_ARG(mp_assessment_new(p, g, MP_ASSESSMENT_KIND_STAGE, NULL));
  NUL_ARG(mp_assess_json(MP_ASSESSMENT_KIND_STAGE, NULL, "{}", &a_out));
  NUL_ARG(mp_assess_json(MP_ASSESSMENT_KIND_STAGE, PATIENT_JSON, "{}", NULL));
  NUL_ARG(mp_assessment_json(NULL, &s));
  NUL_ARG(mp_assessment_json(a, NULL));
  check(p_out == (mp_patient *)SENTINEL_STR && g_out == (mp_guideline *)SENTINEL_STR && plan_out == (mp_plan *)SENTINEL_STR &&
            a_out == (mp_assessment *)SENTINEL_STR && s == SENTINEL_STR && n == 7 && u == 7 && phase == 0 && elig == 0 && risk == 0,
        "no output written by a call that failed");

  /* Documented NULLs: the default guideline; free(NULL) is a no-op. */
  {
    mp_plan *with_null = NULL;
    mp_assessment *b = NULL, *c = NULL;
    const char *j1 = NULL, *j2 = NULL;
    check(is(mp_recommend(p, NULL, &with_null), MP_STATUS_OK) && mp_plan_json(with_null, &j1) == MP_STATUS_OK &&
              mp_plan_json(plan, &j2) == MP_STATUS_OK && strcmp(j1, j2) == 0,
          "mp_recommend with a NULL guideline uses the default guideline");
    check(is(mp_assess(p, NULL, MP_ASSESSMENT_KIND_RISK, &b), MP_STATUS_OK), "mp_assess with a NULL guideline");
    check(is(mp_assess_json(MP_ASSESSMENT_KIND_RISK, PATIENT_JSON, NULL, &c), MP_STATUS_OK) &&
              mp_assessment_json(b, &j1) == MP_STATUS_OK && mp_assessment_json(c, &j2) == MP_STATUS_OK && strcmp(j1, j2) == 0,
          "mp_assess_json with a NULL guideline equals mp_assess with the default");
    mp_plan_free(with_null);
    mp_assessment_free(b);
    mp_assessment_free(c);
  }
  /* The mp_<type>_new constructors are the same calls as mp_recommend and mp_assess. */
  {
    mp_plan *made = NULL;
    mp_assessment *x = NULL, *y = NULL;
    const char *j1 = NULL, *j2 = NULL;
    check(is(mp_plan_new(p, g, &made), MP_STATUS_OK) && mp_plan_json(made, &j1) == MP_STATUS_OK &&
              mp_plan_json(plan, &j2) == MP_STATUS_OK && strcmp(j1, j2) == 0,
          "mp_plan_new gives the same plan as mp_recommend");
    check(is(mp_assessment_new(p, g, MP_ASSESSMENT_KIND_STAGE, &x), MP_STATUS_OK) &&
              is(mp_assess(p, g, MP_ASSESSMENT_KIND_STAGE, &y), MP_STATUS_OK) && mp_assessment_json(x, &j1) == MP_STATUS_OK &&
              mp_assessment_json(y, &j2) == MP_STATUS_OK && strcmp(j1, j2) == 0,
          "mp_assessment_new gives the same assessment as mp_assess");
    mp_plan_free(made);
    mp_assessment_free(x);
    mp_assessment_free(y);
  }
  mp_patient_free(NULL);
  mp_guideline_free(NULL);
  mp_plan_free(NULL);
  mp_assessment_free(NULL);
  check(1, "every mp_*_free accepts NULL");
  check(mp_status_name(MP_STATUS_NULL_ARGUMENT) != NULL && mp_last_error() != NULL && mp_last_error_json() != NULL &&
            mp_version() != NULL && mp_kb_version() != NULL && mp_kb_sha256() != NULL,
        "functions without a status never return NULL");

  mp_assessment_free(a);
  mp_plan_free(plan);
  mp_guideline_free(g);
  mp_patient_free(p);
}

static void invalid_strings_enums_and_indices(void) {
  mp_patient *p = NULL, *out = NULL;
  mp_plan *plan = NULL;
  mp_assessment *a = NULL;
  const char *before = NULL, *after = NULL;
  char *copy = NULL;
  char *big = malloc(MP_MAX_JSON_BYTES + 2);
  char name[MP_MAX_NAME_BYTES + 2];
  size_t count = 0;
  uint32_t rank = 0;

  check(mp_patient_from_json(PATIENT_JSON, &p) == MP_STATUS_OK, "fixture patient");
  check(is(mp_patient_from_json("{\"sex\":\"\xff\"}", &out), MP_STATUS_INVALID_UTF8) && out == NULL, "JSON that is not UTF-8");
  check(is(mp_patient_set_creatinine(p, 1.0, "mg/d\xc3"), MP_STATUS_INVALID_UTF8), "unit that is not UTF-8");
  check(is(mp_patient_set_finding(p, "del_\xe2\x82", MP_FINDING_STATUS_DETECTED), MP_STATUS_INVALID_UTF8), "abnormality that is not UTF-8");
  {
    mp_guideline *g = NULL;
    check(is(mp_guideline_from_json("\xc0\xaf", &g), MP_STATUS_INVALID_UTF8) && g == NULL, "guideline that is not UTF-8");
  }

  if (big != NULL) {
    /* At the limit: accepted (an empty record padded with spaces). One past: refused. */
    memset(big, ' ', MP_MAX_JSON_BYTES + 1);
    big[0] = '{';
    big[1] = '}';
    big[MP_MAX_JSON_BYTES] = '\0';
    check(is(mp_patient_from_json(big, &out), MP_STATUS_OK) && out != NULL, "JSON of exactly MP_MAX_JSON_BYTES is read");
    mp_patient_free(out);
    out = NULL;
    big[MP_MAX_JSON_BYTES] = ' ';
    big[MP_MAX_JSON_BYTES + 1] = '\0';
    check(is(mp_patient_from_json(big, &out), MP_STATUS_TOO_LARGE) && out == NULL, "JSON one byte over MP_MAX_JSON_BYTES is refused");
    check(is(mp_assess_json(MP_ASSESSMENT_KIND_STAGE, big, NULL, &a), MP_STATUS_TOO_LARGE) && a == NULL,
          "assessment JSON one byte over the limit is refused");
    free(big);
  }
  memset(name, 'a', sizeof name);
  name[MP_MAX_NAME_BYTES] = '\0';
  check(is(mp_patient_set_creatinine(p, 1.0, name), MP_STATUS_UNSUPPORTED_UNIT), "unit of MP_MAX_NAME_BYTES reaches the core");
  name[MP_MAX_NAME_BYTES] = 'a';
  name[MP_MAX_NAME_BYTES + 1] = '\0';
  check(is(mp_patient_set_creatinine(p, 1.0, name), MP_STATUS_TOO_LARGE), "unit one byte over MP_MAX_NAME_BYTES is refused");

  check(is(mp_patient_set_sex(p, 0), MP_STATUS_INVALID_ARGUMENT), "sex 0 is not an mp_sex");
  check(is(mp_patient_set_sex(p, 3), MP_STATUS_INVALID_ARGUMENT), "sex 3 is not an mp_sex");
  check(is(mp_patient_set_finding(p, "del_17p", 0), MP_STATUS_INVALID_ARGUMENT), "finding status 0 is undefined");
  check(is(mp_patient_set_finding(p, "del_17p", 4), MP_STATUS_INVALID_ARGUMENT), "finding status 4 is undefined");
  check(is(mp_assess(p, NULL, 0, &a), MP_STATUS_INVALID_ARGUMENT) && a == NULL, "assessment kind 0 is undefined");
  check(is(mp_assess_json(8, PATIENT_JSON, NULL, &a), MP_STATUS_INVALID_ARGUMENT) && a == NULL, "assessment kind 8 is undefined");

  /* A refused value leaves the patient exactly as it was. */
  check(mp_patient_json(p, &before) == MP_STATUS_OK, "patient JSON");
  copy = before ? strdup(before) : NULL;
  check(is(mp_patient_set_age(p, 17), MP_STATUS_OUT_OF_RANGE), "age 17 is refused, not clamped");
  check(is(mp_patient_set_age(p, 121), MP_STATUS_OUT_OF_RANGE), "age 121 is refused, not clamped");
  check(is(mp_patient_set_weight_kg(p, NAN), MP_STATUS_OUT_OF_RANGE), "weight NaN is refused");
  check(is(mp_patient_set_height_cm(p, INFINITY), MP_STATUS_OUT_OF_RANGE), "height infinity is refused");
  check(is(mp_patient_set_ecog(p, 5), MP_STATUS_OUT_OF_RANGE), "ECOG 5 is refused");
  check(is(mp_patient_set_creatinine(p, 1.0, "mmol/dL"), MP_STATUS_UNSUPPORTED_UNIT), "creatinine in mmol/dL is refused");
  check(is(mp_patient_set_creatinine(p, 1.0, "mg/dL"), MP_STATUS_OK) && strstr(mp_last_error(), "") != NULL, "creatinine in mg/dL is accepted");
  check(is(mp_patient_set_creatinine(p, 88.4, "umol/L"), MP_STATUS_OK), "creatinine in umol/L is accepted");
  check(is(mp_patient_set_creatinine(p, 1.0, "mg/dL"), MP_STATUS_OK), "creatinine back to mg/dL");
  check(is(mp_patient_set_albumin(p, 390.0, "g/L"), MP_STATUS_OUT_OF_RANGE), "albumin 390 g/L is refused");
  check(is(mp_patient_set_finding(p, "del_17q", MP_FINDING_STATUS_DETECTED), MP_STATUS_UNKNOWN_IDENTIFIER), "unknown abnormality is refused");
  check(mp_patient_json(p, &after) == MP_STATUS_OK && copy != NULL && strcmp(copy, after) == 0, "refused setters left the patient unchanged");
  free(copy);

  check(mp_recommend(p, NULL, &plan) == MP_STATUS_OK && mp_plan_option_count(plan, &count) == MP_STATUS_OK, "fixture plan");
  check(is(mp_plan_option_rank(plan, count, &rank), MP_STATUS_INDEX_OUT_OF_RANGE) && rank == 0, "option index == count is refused");
  check(is(mp_plan_option_name(plan, (size_t)-1, &before), MP_STATUS_INDEX_OUT_OF_RANGE), "option index SIZE_MAX is refused");
  check(mp_plan_missing_input_count(plan, &count) == MP_STATUS_OK &&
            is(mp_plan_missing_input_field(plan, count, &before), MP_STATUS_INDEX_OUT_OF_RANGE),
        "missing-input index == count is refused");
  check(is(mp_plan_line(plan, &rank), MP_STATUS_OK) && rank >= 1, "a success clears the last error");

  check(strcmp(mp_status_name(MP_STATUS_OUT_OF_RANGE), "MP_STATUS_OUT_OF_RANGE") == 0 && strcmp(mp_status_name(12345), "MP_STATUS_UNKNOWN") == 0,
        "mp_status_name");
  check(strlen(mp_kb_sha256()) == 64 && mp_version()[0] != '\0' && mp_kb_version()[0] != '\0', "library and knowledge-base identity");
  mp_plan_free(plan);
  mp_patient_free(p);
}

/* The typed setters build the same patient, hence the same plan, as the JSON record. */
static void setters_equal_json(void) {
  mp_patient *from_json = NULL, *built = NULL, *round = NULL;
  mp_plan *a = NULL, *b = NULL, *c = NULL;
  const char *ja = NULL, *jb = NULL, *jc = NULL, *record = NULL;
  int ok = mp_patient_from_json(PATIENT_JSON, &from_json) == MP_STATUS_OK && mp_patient_new(&built) == MP_STATUS_OK &&
           mp_patient_set_age(built, 60) == MP_STATUS_OK && mp_patient_set_sex(built, MP_SEX_MALE) == MP_STATUS_OK &&
           mp_patient_set_weight_kg(built, 80) == MP_STATUS_OK && mp_patient_set_height_cm(built, 178) == MP_STATUS_OK &&
           mp_patient_set_ecog(built, 0) == MP_STATUS_OK && mp_patient_set_frailty(built, 0, 6, 8) == MP_STATUS_OK &&
           mp_patient_set_creatinine(built, 1.0, "mg/dL") == MP_STATUS_OK && mp_patient_set_albumin(built, 3.9, "g/dL") == MP_STATUS_OK &&
           mp_patient_set_beta2_microglobulin(built, 2.8, "mg/L") == MP_STATUS_OK &&
           mp_patient_set_ldh(built, 180, 250, "U/L") == MP_STATUS_OK &&
           mp_patient_set_finding(built, "del_17p", MP_FINDING_STATUS_NOT_DETECTED) == MP_STATUS_OK &&
           mp_patient_set_finding_with_fraction(built, "t_4_14", MP_FINDING_STATUS_DETECTED, 30) == MP_STATUS_OK &&
           mp_patient_set_finding(built, "gain_1q", MP_FINDING_STATUS_NOT_TESTED) == MP_STATUS_OK;
  check(ok, "every typed setter accepts a plausible value");
  ok = ok && mp_recommend(from_json, NULL, &a) == MP_STATUS_OK && mp_recommend(built, NULL, &b) == MP_STATUS_OK &&
       mp_plan_json(a, &ja) == MP_STATUS_OK && mp_plan_json(b, &jb) == MP_STATUS_OK;
  check(ok && strcmp(ja, jb) == 0, "a patient built with setters gets the same plan as the same record in JSON");
  ok = ok && mp_patient_json(built, &record) == MP_STATUS_OK && mp_patient_from_json(record, &round) == MP_STATUS_OK &&
       mp_recommend(round, NULL, &c) == MP_STATUS_OK && mp_plan_json(c, &jc) == MP_STATUS_OK;
  check(ok && strcmp(jb, jc) == 0, "mp_patient_json round-trips through mp_patient_from_json");
  {
    mp_risk_level risk = 0;
    check(b != NULL && mp_plan_risk_level(b, &risk) == MP_STATUS_OK && risk == MP_RISK_LEVEL_HIGH,
          "t(4;14) detected gives high cytogenetic risk (article definition)");
  }
  mp_plan_free(a);
  mp_plan_free(b);
  mp_plan_free(c);
  mp_patient_free(from_json);
  mp_patient_free(built);
  mp_patient_free(round);
}

/* The last error belongs to the thread that made it. */
static void *fail_on_other_thread(void *arg) {
  mp_patient *p = NULL;
  int *ok = (int *)arg;
  *ok = mp_patient_from_json("{\"age_years\": 200}", &p) == MP_STATUS_OUT_OF_RANGE && strstr(mp_last_error(), "age_years") != NULL;
  return NULL;
}

static void last_error_is_per_thread(void) {
  pthread_t t;
  int other_ok = 0;
  mp_guideline *g = NULL;
  check(mp_guideline_new(&g) == MP_STATUS_OK && mp_last_error()[0] == '\0', "this thread has no error");
  check(pthread_create(&t, NULL, fail_on_other_thread, &other_ok) == 0 && pthread_join(t, NULL) == 0 && other_ok,
        "another thread sees its own error");
  check(mp_last_error()[0] == '\0', "an error on another thread does not show on this one");
  mp_guideline_free(g);
}

/* Immutable handles shared by several threads give the same answers as on one thread. */
struct shared {
  const mp_patient *patient;
  const mp_guideline *guideline;
  const mp_plan *plan;
  const char *want;
  int ok;
};

static void *read_shared(void *arg) {
  struct shared *s = (struct shared *)arg;
  int i;
  s->ok = 1;
  for (i = 0; i < 5; i++) {
    mp_plan *mine = NULL;
    const char *a = NULL, *b = NULL;
    s->ok = s->ok && mp_recommend(s->patient, s->guideline, &mine) == MP_STATUS_OK && mp_plan_json(mine, &a) == MP_STATUS_OK &&
            mp_plan_json(s->plan, &b) == MP_STATUS_OK && strcmp(a, s->want) == 0 && strcmp(b, s->want) == 0;
    mp_plan_free(mine);
  }
  return NULL;
}

static void shared_handles_across_threads(void) {
  enum { N = 4 };
  pthread_t t[N];
  struct shared s[N];
  mp_patient *p = NULL;
  mp_guideline *g = NULL;
  mp_plan *plan = NULL;
  const char *want = NULL;
  int i, ok;
  ok = mp_patient_from_json(PATIENT_JSON, &p) == MP_STATUS_OK && mp_guideline_new(&g) == MP_STATUS_OK &&
       mp_recommend(p, g, &plan) == MP_STATUS_OK && mp_plan_json(plan, &want) == MP_STATUS_OK;
  for (i = 0; ok && i < N; i++) {
    s[i].patient = p;
    s[i].guideline = g;
    s[i].plan = plan;
    s[i].want = want;
    s[i].ok = 0;
    ok = pthread_create(&t[i], NULL, read_shared, &s[i]) == 0;
  }
  for (i = 0; ok && i < N; i++) ok = pthread_join(t[i], NULL) == 0 && s[i].ok;
  check(ok, "a patient, guideline and plan read by 4 threads at once give the same plan JSON");
  mp_plan_free(plan);
  mp_guideline_free(g);
  mp_patient_free(p);
}

/* Issue 12 / 8: wide integer setters, pointer + length strings, bounded errors, the knowledge
 * base handle, every assessment kind, the log callback. */
static mp_status set_frailty_wrap(mp_patient *p, int64_t c, int64_t k, int64_t l) { return mp_patient_set_frailty(p, c, k, l); }

static int log_calls = 0;
static void count_log(uint32_t level, const char *message, void *user) {
  (void)level;
  (void)message;
  (void)user;
  log_calls++;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)n > 0 ? (size_t)n : 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      buf = NULL;
    }
    *len = (size_t)n;
  }
  fclose(f);
  return buf;
}

static void wide_setters_len_strings_and_kb(void) {
  mp_patient *p = NULL, *q = NULL;
  mp_guideline *g = NULL;
  mp_kb *kb = NULL, *kb_out = (mp_kb *)SENTINEL_STR;
  mp_plan *plan = NULL, *plan2 = NULL;
  mp_assessment *a = NULL;
  const char *s = SENTINEL_STR, *t = NULL, *before = NULL;
  char *copy = NULL;
  size_t i;
  static const struct {
    const char *what;
    int64_t c, k, l;
    mp_status want;
  } frailty[] = {
      {"Charlson 37 (the limit) is accepted", 37, 6, 8, MP_STATUS_OK},
      {"Charlson 38 (one past) is refused", 38, 6, 8, MP_STATUS_OUT_OF_RANGE},
      {"Charlson 257 is refused, not wrapped to 1", 257, 6, 8, MP_STATUS_OUT_OF_RANGE},
      {"Charlson -1 is refused", -1, 6, 8, MP_STATUS_OUT_OF_RANGE},
      {"Katz 0 (the limit) is accepted", 0, 0, 8, MP_STATUS_OK},
      {"Katz 7 (one past) is refused", 0, 7, 8, MP_STATUS_OUT_OF_RANGE},
      {"Katz 262 is refused, not wrapped to 6", 0, 262, 8, MP_STATUS_OUT_OF_RANGE},
      {"Lawton 8 (the limit) is accepted", 0, 6, 8, MP_STATUS_OK},
      {"Lawton 9 (one past) is refused", 0, 6, 9, MP_STATUS_OUT_OF_RANGE},
      {"Lawton -248 is refused, not wrapped to 8", 0, 6, -248, MP_STATUS_OUT_OF_RANGE},
  };

  check(mp_patient_from_json(PATIENT_JSON, &p) == MP_STATUS_OK, "fixture patient (wide setters)");
  check(is(mp_patient_set_age(p, 120), MP_STATUS_OK), "age 120 (the limit) is accepted");
  check(is(mp_patient_set_age(p, 121), MP_STATUS_OUT_OF_RANGE) && strstr(mp_last_error(), "18..=120") != NULL,
        "age 121 (one past) is refused with the accepted range");
  check(is(mp_patient_set_age(p, 18), MP_STATUS_OK), "age 18 (the lower limit) is accepted");
  check(is(mp_patient_set_age(p, 17), MP_STATUS_OUT_OF_RANGE), "age 17 (one below) is refused");
  check(is(mp_patient_set_age(p, 60), MP_STATUS_OK), "age 60");
  check(mp_patient_json(p, &before) == MP_STATUS_OK && (copy = strdup(before)) != NULL, "patient JSON before wrapping values");
  check(is(mp_patient_set_age(p, 65596), MP_STATUS_OUT_OF_RANGE), "age 65596 is refused, not wrapped to 60");
  check(is(mp_patient_set_age(p, INT64_MIN), MP_STATUS_OUT_OF_RANGE), "age INT64_MIN is refused");
  check(is(mp_patient_set_ecog(p, 4), MP_STATUS_OK) && is(mp_patient_set_ecog(p, 0), MP_STATUS_OK), "ECOG 4 and 0 (the limits) are accepted");
  check(is(mp_patient_set_ecog(p, 5), MP_STATUS_OUT_OF_RANGE), "ECOG 5 (one past) is refused");
  check(is(mp_patient_set_ecog(p, 256), MP_STATUS_OUT_OF_RANGE), "ECOG 256 is refused, not wrapped to 0");
  check(is(mp_patient_set_ecog(p, -1), MP_STATUS_OUT_OF_RANGE), "ECOG -1 is refused");
  for (i = 0; i < sizeof frailty / sizeof frailty[0]; i++) {
    check(is(set_frailty_wrap(p, frailty[i].c, frailty[i].k, frailty[i].l), frailty[i].want), frailty[i].what);
  }
  check(is(mp_patient_set_frailty(p, 0, 6, 8), MP_STATUS_OK), "frailty back to 0/6/8");
  check(mp_patient_json(p, &t) == MP_STATUS_OK && copy != NULL && strcmp(t, copy) == 0,
        "after the refused wide values the patient is as it was");
  free(copy);

  /* Pointer + length: never read past the length (ASan and valgrind would see it). */
  {
    char *unit = malloc(5), *rec = NULL;
    size_t n = strlen(PATIENT_JSON);
    if (unit != NULL) {
      memcpy(unit, "mg/dL", 5);
      check(is(mp_patient_set_creatinine_len(p, 1.1, unit, 5), MP_STATUS_OK), "unit as 5 bytes without NUL is read");
      check(is(mp_patient_set_creatinine_len(p, 1.1, unit, 4), MP_STATUS_UNSUPPORTED_UNIT), "unit cut to 4 bytes is \"mg/d\" and refused");
      check(is(mp_patient_set_creatinine_len(p, 1.1, NULL, 0), MP_STATUS_NULL_ARGUMENT), "NULL unit with length 0");
      check(is(mp_patient_set_albumin_len(p, 3.9, "g/dLjunk", 4), MP_STATUS_OK), "albumin unit by length");
      check(is(mp_patient_set_beta2_microglobulin_len(p, 2.8, "mg/L!", 4), MP_STATUS_OK), "beta2-microglobulin unit by length");
      check(is(mp_patient_set_ldh_len(p, 180, 250, "U/Lx", 3), MP_STATUS_OK), "LDH unit by length");
      check(is(mp_patient_set_finding_len(p, "del_17pXX", 7, MP_FINDING_STATUS_NOT_DETECTED), MP_STATUS_OK), "abnormality by length");
      check(is(mp_patient_set_finding_with_fraction_len(p, "t_4_14", 6, MP_FINDING_STATUS_DETECTED, 30.0), MP_STATUS_OK),
            "abnormality with fraction by length");
      check(is(mp_patient_set_creatinine_len(p, 1.1, "mg\0dL", 5), MP_STATUS_INVALID_UTF8), "a NUL inside a length string is refused");
      free(unit);
    }
    rec = malloc(n);
    if (rec != NULL) {
      memcpy(rec, PATIENT_JSON, n);
      check(is(mp_patient_from_json_len(rec, n, &q), MP_STATUS_OK) && q != NULL, "patient JSON by length, no NUL");
      check(is(mp_assess_json_len(NULL, MP_ASSESSMENT_KIND_STAGE, rec, n, NULL, 0, &a), MP_STATUS_OK) && a != NULL,
            "assessment JSON by length, NULL guideline");
      mp_assessment_free(a);
      a = NULL;
      check(is(mp_patient_from_json_len(rec, n - 1, &q), MP_STATUS_INVALID_JSON), "patient JSON cut by one byte is refused");
      free(rec);
    }
    check(is(mp_patient_from_json_len("{}", MP_MAX_JSON_BYTES + 1, &q), MP_STATUS_TOO_LARGE), "length over the limit is refused before any read");
    check(is(mp_guideline_from_json_len("{}xx", 2, &g), MP_STATUS_OK) && g != NULL, "guideline JSON by length");
  }

  /* Bounded error text: a 400 kB value is echoed as a short prefix at most. */
  {
    size_t n = 400000;
    char *doc = malloc(n + 32);
    if (doc != NULL) {
      mp_patient *r = NULL;
      strcpy(doc, "{\"sex\":\"");
      memset(doc + 8, 'x', n);
      strcpy(doc + 8 + n, "\"}");
      check(mp_patient_from_json(doc, &r) != MP_STATUS_OK && r == NULL && strlen(mp_last_error()) <= MP_MAX_ERROR_BYTES &&
                strlen(mp_last_error_json()) <= 2 * MP_MAX_ERROR_BYTES,
            "an error about a 400 kB value is at most MP_MAX_ERROR_BYTES");
      free(doc);
    }
    check(is(mp_patient_set_finding(p, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", MP_FINDING_STATUS_DETECTED),
             MP_STATUS_UNKNOWN_IDENTIFIER) &&
              strstr(mp_last_error(), "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz") == NULL,
          "an unknown abnormality is echoed as at most 32 characters");
  }

  /* Every assessment kind of the core, by name. */
  check(strcmp(mp_assessment_kind_name(MP_ASSESSMENT_KIND_DIAGNOSE), "diagnose") == 0 &&
            strcmp(mp_assessment_kind_name(MP_ASSESSMENT_KIND_RESPONSE), "response") == 0 &&
            strcmp(mp_assessment_kind_name(MP_ASSESSMENT_KIND_RISK_COMPARE), "risk-compare") == 0 &&
            mp_assessment_kind_name(0)[0] == '\0' && mp_assessment_kind_name(8)[0] == '\0',
        "assessment kind names are the core's");
  check(is(mp_assess(p, NULL, MP_ASSESSMENT_KIND_DIAGNOSE, &a), MP_STATUS_OK) && a != NULL, "diagnose from C");
  mp_assessment_free(a);
  a = NULL;
  check(is(mp_assess(p, NULL, MP_ASSESSMENT_KIND_RESPONSE, &a), MP_STATUS_OK) && a != NULL, "response from C");
  mp_assessment_free(a);
  a = NULL;

  /* The knowledge base: NULL is the embedded one; a broken one is refused, never empty. */
  check(is(mp_kb_get_version(NULL, &s), MP_STATUS_OK) && strcmp(s, mp_kb_version()) == 0, "NULL kb version is the embedded one");
  check(is(mp_kb_get_sha256(NULL, &s), MP_STATUS_OK) && strcmp(s, mp_kb_sha256()) == 0, "NULL kb hash is the embedded one");
  check(is(mp_kb_from_json("{}", &kb_out), MP_STATUS_INVALID_JSON) && kb_out == (mp_kb *)SENTINEL_STR, "an empty knowledge base is refused");
  check(is(mp_kb_from_json("[]", &kb_out), MP_STATUS_INVALID_JSON) && kb_out == (mp_kb *)SENTINEL_STR, "an array for a knowledge base is refused");
  NUL_ARG(mp_kb_from_json(NULL, &kb));
  NUL_ARG(mp_kb_from_json("{}", NULL));
  NUL_ARG(mp_kb_from_json_len(NULL, 0, &kb));
  NUL_ARG(mp_kb_get_version(NULL, NULL));
  NUL_ARG(mp_recommend_with_kb(NULL, NULL, NULL, &plan));
  NUL_ARG(mp_assess_with_kb(NULL, NULL, NULL, MP_ASSESSMENT_KIND_STAGE, &a));
  mp_kb_free(NULL);
  NUL_ARG(mp_kb_fhir_json(NULL, NULL));
  NUL_ARG(mp_plan_fhir_json(NULL, &s));
  if (getenv("MP_KB_JSON") != NULL) {
    size_t n = 0;
    char *json = read_file(getenv("MP_KB_JSON"), &n);
    const char *j1 = NULL, *j2 = NULL;
    check(json != NULL && is(mp_kb_from_json_len(json, n, &kb), MP_STATUS_OK) && kb != NULL, "the knowledge-base file loads");
    check(kb != NULL && is(mp_kb_get_sha256(kb, &s), MP_STATUS_OK) && strcmp(s, mp_kb_sha256()) == 0,
          "the loaded copy of the embedded file has the embedded hash");
    check(kb != NULL && is(mp_recommend_with_kb(kb, p, NULL, &plan), MP_STATUS_OK) && is(mp_recommend(p, NULL, &plan2), MP_STATUS_OK) &&
              mp_plan_json(plan, &j1) == MP_STATUS_OK && mp_plan_json(plan2, &j2) == MP_STATUS_OK && strcmp(j1, j2) == 0,
          "a plan with the loaded knowledge base equals the embedded one");
    {
      const char *f1 = NULL, *f2 = NULL;
      check(kb != NULL && is(mp_kb_fhir_json(kb, &f1), MP_STATUS_OK) && is(mp_kb_fhir_json(NULL, &f2), MP_STATUS_OK) &&
                strcmp(f1, f2) == 0 && strstr(f1, "\"resourceType\":\"PlanDefinition\"") != NULL,
            "mp_kb_fhir_json: the loaded copy gives the embedded one's FHIR, with PlanDefinitions");
      if (getenv("MP_KB_FHIR_EXPECTED") != NULL) {
        size_t m = 0;
        char *want = read_file(getenv("MP_KB_FHIR_EXPECTED"), &m);
        while (want != NULL && m > 0 && want[m - 1] == '\n') m--;
        check(want != NULL && f2 != NULL && strlen(f2) == m && memcmp(f2, want, m) == 0, "mp_kb_fhir_json equals mmpath kb --fhir");
        free(want);
      }
      check(plan != NULL && is(mp_plan_fhir_json(plan, &f1), MP_STATUS_OK) && strstr(f1, "\"resourceType\":\"RequestGroup\"") != NULL &&
                strstr(f1, "\"resourceType\":\"GuidanceResponse\"") != NULL,
            "mp_plan_fhir_json: a RequestGroup and a GuidanceResponse");
      NUL_ARG(mp_plan_fhir_json(plan, NULL));
    }
    mp_kb_free(kb);
    check(plan != NULL && mp_plan_json(plan, &j1) == MP_STATUS_OK && j1[0] == '{', "the plan outlives its knowledge base");
    free(json);
  }

  /* The log callback: installed and removed; input errors are never logged. */
  mp_set_log_callback(count_log, NULL);
  check(is(mp_patient_set_age(p, 500), MP_STATUS_OUT_OF_RANGE) && log_calls == 0, "an input error is not logged (it is the last error)");
  mp_set_log_callback(NULL, NULL);

  mp_plan_free(plan);
  mp_plan_free(plan2);
  mp_guideline_free(g);
  mp_patient_free(q);
  mp_patient_free(p);
}

/* FHIR in: mp_patient_from_fhir_json(_len) translate the FHIR crate's reader (docs/fhir.md). */
static const char *FHIR_BUNDLE =
    "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
    "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p\",\"birthDate\":\"1966-03-01\",\"gender\":\"male\"}},"
    "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"cr-old\",\"status\":\"final\","
    "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2160-0\"}]},\"effectiveDateTime\":\"2026-01-02\","
    "\"valueQuantity\":{\"value\":1.4,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"}}},"
    "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"cr\",\"status\":\"final\","
    "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"14682-9\"}]},\"effectiveDateTime\":\"2026-05-02\","
    "\"valueQuantity\":{\"value\":88.4,\"system\":\"http://unitsofmeasure.org\",\"code\":\"umol/L\"}}},"
    "{\"resource\":{\"resourceType\":\"MedicationAdministration\",\"id\":\"bor-1\",\"status\":\"completed\","
    "\"medicationCodeableConcept\":{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"358258\"}]},"
    "\"effectiveDateTime\":\"2022-01-10\"}},"
    "{\"resource\":{\"resourceType\":\"MedicationAdministration\",\"id\":\"asa\",\"status\":\"completed\","
    "\"medicationCodeableConcept\":{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"1191\"}]},"
    "\"effectiveDateTime\":\"2022-01-10\"}}]}";

static const char *FHIR_RECORD =
    "{\"age_years\":60,\"sex\":\"male\",\"labs\":{\"creatinine\":{\"value\":88.4,\"unit\":\"µmol/L\"}},"
    "\"treatment_history\":{\"therapies\":[{\"drug\":\"bortezomib\",\"start\":\"2022-01-10\",\"stop\":\"2022-01-10\"}]}}";

static void fhir_import(void) {
  mp_patient *p = NULL, *want = NULL, *bad = (mp_patient *)SENTINEL_STR;
  const char *report = NULL, *rep_out = SENTINEL_STR, *a = NULL, *b = NULL;

  NUL_ARG(mp_patient_from_fhir_json(NULL, "2026-06-15", &p, &report));
  NUL_ARG(mp_patient_from_fhir_json(FHIR_BUNDLE, "2026-06-15", NULL, &report));
  NUL_ARG(mp_patient_from_fhir_json_len(NULL, 3, "2026-06-15", &p, &report));
  NUL_ARG(mp_patient_from_fhir_json_len(FHIR_BUNDLE, strlen(FHIR_BUNDLE), "2026-06-15", NULL, &report));

  check(is(mp_patient_from_fhir_json(FHIR_BUNDLE, "2026-06-15", &p, &report), MP_STATUS_OK) && p != NULL && report != NULL,
        "a FHIR bundle is read into a patient with its report");
  check(mp_patient_from_json(FHIR_RECORD, &want) == MP_STATUS_OK, "fixture: the equivalent record");
  check(mp_patient_json(p, &a) == MP_STATUS_OK && mp_patient_json(want, &b) == MP_STATUS_OK && strcmp(a, b) == 0,
        "the bundle gives the same record as the JSON (latest creatinine, dated bortezomib)");
  check(report != NULL && strstr(report, "\"superseded\":[{\"field\":\"labs.creatinine\",\"resource\":\"Observation/cr-old\"") != NULL,
        "the report names the superseded creatinine");
  check(report != NULL && strstr(report, "\"id\":\"asa\"") != NULL && strstr(report, "medication code not in the mapping table") != NULL,
        "an unknown drug code is listed as ignored, never dropped");
  mp_patient_free(p);
  p = NULL;

  check(is(mp_patient_from_fhir_json(FHIR_BUNDLE, "2026-06-15", &p, NULL), MP_STATUS_OK) && p != NULL,
        "the report output is optional (NULL)");
  mp_patient_free(p);
  p = NULL;
  check(is(mp_patient_from_fhir_json(FHIR_BUNDLE, NULL, &p, NULL), MP_STATUS_OK) && p != NULL,
        "a NULL reference date is today's date");
  mp_patient_free(p);
  p = NULL;
  check(is(mp_patient_from_fhir_json_len(FHIR_BUNDLE, strlen(FHIR_BUNDLE), "2026-06-15", &p, &report), MP_STATUS_OK) &&
            p != NULL && mp_patient_json(p, &a) == MP_STATUS_OK && strcmp(a, b) == 0,
        "the _len form reads the same bundle");
  mp_patient_free(p);
  p = NULL;

  check(is(mp_patient_from_fhir_json(FHIR_BUNDLE, "2026-06", &bad, &rep_out), MP_STATUS_INVALID_JSON) &&
            bad == (mp_patient *)SENTINEL_STR && rep_out == SENTINEL_STR && strstr(mp_last_error(), "reference_date") != NULL,
        "a partial reference date is refused naming it, outputs unwritten");
  {
    char *unit = malloc(strlen(FHIR_BUNDLE) + 1);
    char *at;
    strcpy(unit, FHIR_BUNDLE);
    at = strstr(unit, "\"code\":\"mg/dL\"");
    memcpy(at, "\"code\":\"g/L\"  ", 14);
    check(is(mp_patient_from_fhir_json(unit, "2026-06-15", &bad, &rep_out), MP_STATUS_UNSUPPORTED_UNIT) &&
              bad == (mp_patient *)SENTINEL_STR && strstr(mp_last_error(), "Observation/cr-old") != NULL,
          "a known code with an unknown unit is refused naming the observation");
    free(unit);
  }
  {
    char *date = malloc(strlen(FHIR_BUNDLE) + 1);
    char *at;
    strcpy(date, FHIR_BUNDLE);
    at = strstr(date, "\"effectiveDateTime\":\"2022-01-10\"");
    memcpy(at, "\"effectiveDateTime\":\"2022-01-1x\"", 32);
    check(is(mp_patient_from_fhir_json(date, "2026-06-15", &bad, &rep_out), MP_STATUS_INVALID_JSON) &&
              strstr(mp_last_error(), "MedicationAdministration/bor-1") != NULL,
          "a known drug with a bad date is refused naming the resource");
    free(date);
  }
  check(is(mp_patient_from_fhir_json("{\"sex\":\"\xff\"}", NULL, &bad, NULL), MP_STATUS_INVALID_UTF8), "FHIR JSON that is not UTF-8");
  mp_patient_free(want);
}

/* The calendar: JSON through an mp_assessment handle, NULL checks, the course of the setting. */
static void calendar_json(void) {
  /* The fixture patient with active myeloma established (the calendar lays out only a regimen the
     plan offers; without diagnostic findings the plan excludes induction). */
  static const char *CAL_JSON =
      "{\"age_years\":60,\"sex\":\"male\",\"weight_kg\":80,\"height_cm\":178,\"ecog\":0,"
      "\"frailty\":{\"charlson\":0,\"katz_adl\":6,\"lawton_iadl\":8},"
      "\"labs\":{\"creatinine\":{\"value\":1.0,\"unit\":\"mg/dL\"},\"albumin\":{\"value\":3.9,\"unit\":\"g/dL\"},"
      "\"beta2_microglobulin\":{\"value\":2.8,\"unit\":\"mg/L\"},\"ldh\":{\"value\":180,\"unit\":\"U/L\"},"
      "\"ldh_upper_limit_of_normal\":{\"value\":250,\"unit\":\"U/L\"},\"bone_marrow_plasma_cells\":{\"value\":35,\"unit\":\"%\"}},"
      "\"cytogenetics\":[{\"abnormality\":\"del_17p\",\"status\":\"not_detected\"},"
      "{\"abnormality\":\"t_4_14\",\"status\":\"detected\",\"clonal_fraction_pct\":30},"
      "{\"abnormality\":\"gain_1q\",\"status\":\"not_tested\"}],"
      "\"diagnosis\":{\"osteolytic_lesions\":3,\"crab_attributable\":true}}";
  mp_assessment *a = (mp_assessment *)SENTINEL_STR;
  const char *j = NULL;
  check(is(mp_calendar_json(NULL, NULL, "vrd", "2026-12-07", 0, &a), MP_STATUS_NULL_ARGUMENT) && a == (mp_assessment *)SENTINEL_STR,
        "mp_calendar_json: NULL patient_json refused, nothing written");
  check(is(mp_calendar_json(CAL_JSON, NULL, "vrd", NULL, 0, &a), MP_STATUS_NULL_ARGUMENT), "mp_calendar_json: NULL start refused");
  check(is(mp_calendar_json(CAL_JSON, NULL, "vrd", "2026-12-07", 0, NULL), MP_STATUS_NULL_ARGUMENT),
        "mp_calendar_json: NULL calendar_out refused");
  check(is(mp_calendar_json(CAL_JSON, NULL, "vrd", "2026-12-07", 201, &a), MP_STATUS_INVALID_ARGUMENT),
        "mp_calendar_json: cycles 201 refused");
  check(mp_calendar_json(CAL_JSON, NULL, "no-such-regimen", "2026-12-07", 0, &a) != MP_STATUS_OK, "unknown regimen refused");
  check(mp_calendar_json(CAL_JSON, NULL, "vrd", "2026-13-07", 0, &a) != MP_STATUS_OK, "a bad start date refused");
  a = NULL;
  check(is(mp_calendar_json(CAL_JSON, NULL, "vrd", "2026-12-07", 2, &a), MP_STATUS_OK) && mp_assessment_json(a, &j) == MP_STATUS_OK &&
            strstr(j, "\"regimen_id\":\"vrd\"") != NULL && strstr(j, "\"cycles\":2,") != NULL &&
            strstr(j, "\"date\":\"2026-12-07\"") != NULL,
        "mp_calendar_json: VRd for 2 cycles from 2026-12-07");
  {
    mp_assessment *b = NULL;
    const char *k = NULL;
    const char *start = "2026-12-07", *reg = "vrd";
    check(is(mp_calendar_json_len(NULL, CAL_JSON, strlen(CAL_JSON), NULL, 0, reg, strlen(reg), start, strlen(start), 2, &b),
             MP_STATUS_OK) &&
              mp_assessment_json(b, &k) == MP_STATUS_OK && strcmp(j, k) == 0,
          "mp_calendar_json_len gives the same bytes as mp_calendar_json");
    mp_assessment_free(b);
  }
  mp_assessment_free(a);
  /* A regimen the plan excludes is refused (the same api::calendar as the CLI and Python), the
     exclusion and its citation named; nothing is written. US woman of childbearing potential
     without the REMS contraception: VRd is excluded (Lenalidomide REMS, len-rems). */
  {
    const char *excluded_json =
        "{\"age_years\":60,\"sex\":\"female\",\"weight_kg\":70,\"height_cm\":165,\"ecog\":0,"
        "\"frailty\":{\"charlson\":0,\"katz_adl\":6,\"lawton_iadl\":8},"
        "\"labs\":{\"creatinine\":{\"value\":1.0,\"unit\":\"mg/dL\"},\"bone_marrow_plasma_cells\":{\"value\":35,\"unit\":\"%\"}},"
        "\"diagnosis\":{\"osteolytic_lesions\":3,\"crab_attributable\":true},\"pregnant\":false,\"pregnancy_prevention\":{\"childbearing_potential\":true,\"reliable_contraception\":false}}";
    mp_assessment *c = (mp_assessment *)SENTINEL_STR;
    check(is(mp_calendar_json(excluded_json, "{\"profile\":\"article\"}", "vrd", "2026-12-07", 2, &c), MP_STATUS_INCONSISTENT) &&
              c == (mp_assessment *)SENTINEL_STR && strstr(mp_last_error(), "`vrd` (VRd) is excluded for this patient [len-rems]") != NULL &&
              strstr(mp_last_error(), "Lenalidomide REMS (US)") != NULL,
          "mp_calendar_json: a regimen the plan excludes is refused with the exclusion and its citation, nothing written");
  }
}

int main(void) {
  null_arguments();
  invalid_strings_enums_and_indices();
  setters_equal_json();
  last_error_is_per_thread();
  shared_handles_across_threads();
  wide_setters_len_strings_and_kb();
  fhir_import();
  calendar_json();
  printf("# boundary (C11): %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
