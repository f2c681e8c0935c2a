// C++17: every golden case through the C API with RAII ownership, compared byte-for-byte with
// the Rust reference. Same arguments and expectations as golden.c.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "myeloma_pathway.h"
#include "test_util.h"

namespace {

struct Free {
  void operator()(mp_patient *p) const noexcept { mp_patient_free(p); }
  void operator()(mp_guideline *g) const noexcept { mp_guideline_free(g); }
  void operator()(mp_plan *p) const noexcept { mp_plan_free(p); }
  void operator()(mp_assessment *a) const noexcept { mp_assessment_free(a); }
  void operator()(char *s) const noexcept { std::free(s); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

int passed = 0;
int failed = 0;

void check(bool ok, const std::string &name, const std::string &what) {
  (ok ? passed : failed)++;
  std::printf("%s - %s: %s\n", ok ? "ok" : "not ok", name.c_str(), what.c_str());
}

std::optional<std::string> read_expected(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  std::string out = s.str();
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The plan JSON, or the error JSON when any step refuses the input.
std::string plan_or_error(const char *patient_json, const char *guideline_json, mp_status &status) {
  mp_guideline *g_raw = nullptr;
  status = guideline_json ? mp_guideline_from_json(guideline_json, &g_raw) : mp_guideline_new(&g_raw);
  Owned<mp_guideline> g(g_raw);
  if (status != MP_STATUS_OK) return mp_last_error_json();
  mp_patient *p_raw = nullptr;
  status = mp_patient_from_json(patient_json ? patient_json : "", &p_raw);
  Owned<mp_patient> p(p_raw);
  if (status != MP_STATUS_OK) return mp_last_error_json();
  mp_plan *plan_raw = nullptr;
  status = mp_recommend(p.get(), g.get(), &plan_raw);
  Owned<mp_plan> plan(plan_raw);
  if (status != MP_STATUS_OK) return mp_last_error_json();
  const char *json = nullptr;
  if (mp_plan_json(plan.get(), &json) != MP_STATUS_OK) return std::string();
  return json;  // copied before the plan is freed
}

void run_case(const std::string &dir, const char *path) {
  Owned<char> name(mpt_case_name(path));
  Owned<char> doc(mpt_read_file(path));
  if (!name || !doc) {
    check(false, path, "readable case");
    return;
  }
  Owned<char> patient(mpt_json_member(doc.get(), "patient"));
  Owned<char> guideline(mpt_json_member(doc.get(), "guideline"));
  const std::string base = dir + "/" + name.get();
  mp_status status = MP_STATUS_OK;
  const std::string got = plan_or_error(patient.get(), guideline.get(), status);
  const auto want = read_expected(base + ".plan");
  check(want.has_value() && got == *want, name.get(),
        status == MP_STATUS_OK ? "plan JSON equals mmpath case" : "error JSON equals mmpath case");
  // The case's hand-written dose expectations (`doses_include`), through the C API's plan.
  if (auto doses = read_expected(base + ".doses")) {
    char *bad_raw = nullptr;
    const bool ok = status == MP_STATUS_OK && mpt_check_doses(got.c_str(), &(*doses)[0], &bad_raw) == 0;
    Owned<char> bad(bad_raw);
    check(ok, name.get(), std::string("doses_include holds in the plan JSON") + (bad ? std::string(": ") + bad.get() : ""));
  }
  static const std::pair<const char *, uint32_t> kinds[] = {
      {"stage", MP_ASSESSMENT_KIND_STAGE},
      {"risk", MP_ASSESSMENT_KIND_RISK},
      {"risk-compare", MP_ASSESSMENT_KIND_RISK_COMPARE},
      {"eligibility", MP_ASSESSMENT_KIND_ELIGIBILITY},
      {"diagnose", MP_ASSESSMENT_KIND_DIAGNOSE},
      {"response", MP_ASSESSMENT_KIND_RESPONSE},
  };
  for (const auto &[ext, kind] : kinds) {
    const auto kwant = read_expected(base + "." + ext);
    if (!kwant) continue;
    mp_assessment *a_raw = nullptr;
    const mp_status st = mp_assess_json(kind, patient.get() ? patient.get() : "", guideline.get(), &a_raw);
    Owned<mp_assessment> a(a_raw);
    const char *json = nullptr;
    const bool ok = st == MP_STATUS_OK && mp_assessment_json(a.get(), &json) == MP_STATUS_OK && *kwant == json;
    check(ok, name.get(), std::string(ext) + " JSON equals mmpath " + ext + " --json");
  }
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s EXPECTED_DIR CASE.json...\n", argv[0]);
    return 64;
  }
  for (int i = 2; i < argc; i++) run_case(argv[1], argv[i]);
  std::printf("# golden (C++17): %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
