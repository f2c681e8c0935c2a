//! `mmpath`: a patient record (JSON) in, a plan or an assessment out. No clinical logic lives
//! here: every answer comes from the `myeloma-pathway` core.

use std::io::Read;
use std::process::ExitCode;

use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::{Guideline, Patient};

const USAGE: &str = "\
mmpath — myeloma treatment pathway (decision support, not a medical device)

USAGE:
    mmpath <COMMAND> <FILE.json | -> [OPTIONS]

COMMANDS:
    plan          where the patient is, the options now, why, and what would change them
    stage         ISS, R-ISS and R2-ISS with their breakdown
    risk          cytogenetic risk under the guideline's definition
    risk-compare  cytogenetic risk under every definition, side by side
    eligibility   transplant eligibility, frailty scores, creatinine clearance
    diagnose      IMWG 2014 diagnosis (myeloma, smouldering, MGUS, solitary plasmacytoma),
                  every CRAB/SLiM item with its threshold, and 20/2/20 risk for smouldering
    response      IMWG 2016 response over the response_assessments series (sCR…PD, confirmed
                  by two consecutive assessments, progression from the nadir) and MRD
    kb            knowledge-base version and SHA-256 (no FILE)
    case          run a golden case file (tests/golden/*.json): prints the plan JSON, or the
                  error JSON, exactly as the library returns it (the cross-language reference)

OPTIONS:
    --json                      JSON output (plan prints text by default; assessments print JSON)
    --guideline FILE.json       a guideline profile (docs/guideline.md)
    --risk-definition NAME      article | imwg2016 | msmart3 | ims2025
    --profile NAME              article | quadruplet_first
    --jurisdiction NAME         us | eu
    -h, --help                  this help

Exit status: 0 success, 2 bad input (the message names the field, unit and accepted range),
64 usage error.
";

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("reading standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))
    }
}

struct Args {
    command: String,
    file: Option<String>,
    json: bool,
    guideline: Guideline,
}

fn set_enum(g: &mut serde_json::Value, key: &str, value: &str) {
    if let Some(o) = g.as_object_mut() {
        o.insert(key.to_string(), serde_json::Value::String(value.to_string()));
    }
}

fn parse_args(argv: &[String]) -> Result<Args, (u8, String)> {
    let mut it = argv.iter();
    let command = it.next().ok_or((64, USAGE.to_string()))?.clone();
    if command == "-h" || command == "--help" || command == "help" {
        return Err((0, USAGE.to_string()));
    }
    let mut file = None;
    let mut json = false;
    let mut guideline_json: Option<String> = None;
    let mut overrides: Vec<(&'static str, String)> = Vec::new();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or((64, format!("{name} needs a value\n\n{USAGE}")));
        match a.as_str() {
            "--json" => json = true,
            "--guideline" => {
                let path = value("--guideline")?;
                guideline_json = Some(read_input(&path).map_err(|e| (2, e))?);
            }
            "--risk-definition" => overrides.push(("risk_definition", value("--risk-definition")?)),
            "--profile" => overrides.push(("profile", value("--profile")?)),
            "--jurisdiction" => overrides.push(("jurisdiction", value("--jurisdiction")?)),
            "-h" | "--help" => return Err((0, USAGE.to_string())),
            s if s.starts_with("--") => return Err((64, format!("unknown option {s}\n\n{USAGE}"))),
            s => {
                if file.is_some() {
                    return Err((64, format!("unexpected argument {s}\n\n{USAGE}")));
                }
                file = Some(s.to_string());
            }
        }
    }
    // Overrides are applied through the core's own guideline parser, so flags and files are
    // validated identically.
    let mut g: serde_json::Value = match &guideline_json {
        Some(j) => serde_json::from_str(j).map_err(|e| (2, format!("guideline: {e}")))?,
        None => serde_json::json!({}),
    };
    for (k, v) in &overrides {
        set_enum(&mut g, k, v);
    }
    let guideline = Guideline::from_json(&g.to_string()).map_err(|e| (2, format!("error: {e}")))?;
    Ok(Args { command, file, json, guideline })
}

fn run(argv: &[String]) -> Result<String, (u8, String)> {
    let args = parse_args(argv)?;
    if args.command == "kb" {
        return Ok(api::kb_identity_json());
    }
    if args.command == "case" {
        let file = args.file.ok_or((64, format!("case needs a golden case FILE.json\n\n{USAGE}")))?;
        let text = read_input(&file).map_err(|e| (2, format!("error: {e}")))?;
        let case: serde_json::Value = serde_json::from_str(&text).map_err(|e| (2, format!("error: {file}: {e}")))?;
        let patient = case.get("patient").map(|p| p.to_string()).unwrap_or_default();
        let guideline = case.get("guideline").map(|g| g.to_string());
        return Ok(match api::run_json(Assessment::Plan, &patient, guideline.as_deref()) {
            Ok(s) => s,
            Err(e) => api::error_json(&e),
        });
    }
    let Some(what) = Assessment::from_name(&args.command) else {
        return Err((64, format!("unknown command `{}`\n\n{USAGE}", args.command)));
    };
    let file = args.file.ok_or((
        64,
        format!("{} needs a patient record FILE.json (or - for standard input)\n\n{USAGE}", args.command),
    ))?;
    let text = read_input(&file).map_err(|e| (2, format!("error: {e}")))?;
    let bad = |e: myeloma_pathway::Error| (2u8, format!("error: {e}\n{}", api::error_json(&e)));
    let patient = Patient::from_json(&text).map_err(bad)?;
    if what == Assessment::Plan && !args.json {
        let plan = myeloma_pathway::recommend(&patient, &args.guideline).map_err(bad)?;
        return Ok(plan.to_text());
    }
    let out = api::run(what, &patient, &args.guideline).map_err(bad)?;
    if args.json {
        Ok(out)
    } else {
        // Assessments are printed as indented JSON for reading.
        let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| (70, e.to_string()))?;
        Ok(serde_json::to_string_pretty(&v).unwrap_or(out))
    }
}

/// Print to stdout; a closed pipe (`mmpath … | head`) ends quietly instead of panicking.
fn print_out(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing output: {e}");
            ExitCode::from(74)
        }
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(out) => print_out(&out),
        Err((0, msg)) => print_out(&msg),
        Err((code, msg)) => {
            eprintln!("{msg}");
            ExitCode::from(code)
        }
    }
}
