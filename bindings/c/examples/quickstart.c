/*
 * Quickstart: read a patient record (JSON) and print the plan.
 *
 *   cc -std=c11 quickstart.c $(pkg-config --cflags --libs myeloma_pathway) -o quickstart
 *   ./quickstart examples/patients/fit-60-standard-risk.json
 *
 * Decision support for clinicians, not a medical device.
 */
#include <stdio.h>
#include <stdlib.h>

#include "myeloma_pathway.h"

/* The whole file as a NUL-terminated string; the caller frees it. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long size;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) != NULL) {
    if (fread(text, 1, (size_t)size, f) == (size_t)size) {
      text[size] = '\0';
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  char *json;
  mp_patient *patient = NULL;
  mp_plan *plan = NULL;
  const char *text = NULL;
  mp_status status;

  if (argc != 2) {
    fprintf(stderr, "usage: %s PATIENT.json\n", argv[0]);
    return 64;
  }
  json = read_file(argv[1]);
  if (json == NULL) {
    perror(argv[1]);
    return 66;
  }

  /* Parse and validate the record; a refused value names the field, unit and accepted range. */
  status = mp_patient_from_json(json, &patient);
  free(json); /* the library keeps its own copy */
  if (status != MP_STATUS_OK) {
    fprintf(stderr, "%s: %s\n", mp_status_name(status), mp_last_error());
    return 2;
  }

  /* NULL guideline: the default guideline profile. */
  status = mp_recommend(patient, NULL, &plan);
  if (status == MP_STATUS_OK) status = mp_plan_text(plan, &text);
  if (status != MP_STATUS_OK) {
    fprintf(stderr, "%s: %s\n", mp_status_name(status), mp_last_error());
    mp_patient_free(patient);
    return 2;
  }

  printf("%s\n", text); /* `text` belongs to `plan`: valid until mp_plan_free */
  printf("library %s, knowledge base %s (sha256 %s)\n", mp_version(), mp_kb_version(), mp_kb_sha256());

  mp_plan_free(plan);
  mp_patient_free(patient);
  return 0;
}
