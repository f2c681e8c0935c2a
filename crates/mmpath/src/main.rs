//! `mmpath`: a patient record (JSON or a FHIR Bundle) in, a plan or an assessment out. No
//! clinical logic lives here: every answer comes from the `myeloma-pathway` core.

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use jiff::civil::Date;
use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::{Guideline, KnowledgeBase, Patient};

mod serve;

const TEMPLATE: &str = "\
{before-help}{name} — {about}

USAGE:
    {usage}

{all-args}{after-help}";

const AFTER: &str = "\
Exit status: 0 success, 2 bad input (the message names the field, unit and accepted range),
64 usage error.";

/// myeloma treatment pathway (decision support, not a medical device)
#[derive(Parser)]
#[command(name = "mmpath", version, help_template = TEMPLATE, after_help = AFTER, args_override_self = true)]
#[command(arg_required_else_help = true, subcommand_help_heading = "COMMANDS")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options every command accepts.
#[derive(Args, Clone, Default)]
struct Common {
    /// JSON output (plan prints text by default; assessments print indented JSON)
    #[arg(long)]
    json: bool,
    /// a guideline profile (docs/guideline.md)
    #[arg(long, value_name = "FILE.json")]
    guideline: Option<String>,
    /// article | imwg2016 | msmart3 | ims2025
    #[arg(long, value_name = "NAME")]
    risk_definition: Option<String>,
    /// guideline_2026 (default) | article | quadruplet_first
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// us | eu
    #[arg(long, value_name = "NAME")]
    jurisdiction: Option<String>,
    /// a knowledge base to use instead of the embedded one (checked when loaded)
    #[arg(long, value_name = "FILE.json")]
    kb: Option<String>,
}

/// The knowledge base a command runs on: the embedded one, or `--kb FILE.json` (refused with the
/// entry named if it does not parse or names something that does not exist).
fn knowledge_base(c: &Common) -> Result<std::borrow::Cow<'static, KnowledgeBase>, (u8, String)> {
    match &c.kb {
        None => Ok(std::borrow::Cow::Borrowed(KnowledgeBase::embedded())),
        Some(path) => {
            let text = read_input(path).map_err(|e| (2, format!("error: {e}")))?;
            KnowledgeBase::from_json(&text).map(std::borrow::Cow::Owned).map_err(bad)
        }
    }
}

/// The patient input of a command.
#[derive(Args, Clone)]
struct Input {
    /// the patient record (or, with --fhir, a FHIR R4 Bundle); - for standard input
    #[arg(value_name = "FILE.json | -")]
    file: Option<String>,
    /// read FILE as a FHIR R4 Bundle (docs/fhir.md); what is not read is listed on stderr
    #[arg(long)]
    fhir: bool,
    /// with --fhir: the date age is computed at (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, requires = "fhir")]
    reference_date: Option<Date>,
    #[command(flatten)]
    common: Common,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

#[derive(Subcommand)]
enum Command {
    /// where the patient is, the options now, why, and what would change them
    Plan {
        #[command(flatten)]
        input: Input,
        /// print the plan as a FHIR Bundle (RequestGroup + GuidanceResponse)
        #[arg(long)]
        fhir_out: bool,
    },
    /// ISS, R-ISS and R2-ISS with their breakdown
    Stage(Input),
    /// cytogenetic risk under the guideline's definition
    Risk(Input),
    /// cytogenetic risk under every definition, side by side
    RiskCompare(Input),
    /// transplant eligibility, frailty scores, creatinine clearance
    Eligibility(Input),
    /// IMWG 2014 diagnosis (myeloma, smouldering, MGUS, solitary plasmacytoma), every CRAB/SLiM
    /// item with its threshold, and 20/2/20 risk for smouldering
    Diagnose(Input),
    /// IMWG 2016 response over the response_assessments series (sCR…PD, confirmed by two
    /// consecutive assessments, progression from the nadir) and MRD
    Response(Input),
    /// knowledge-base version and SHA-256 (no FILE)
    Kb {
        /// ignored (kept for compatibility)
        #[arg(hide = true)]
        file: Option<String>,
        /// the knowledge base's regimens as FHIR PlanDefinition / ActivityDefinition resources
        #[arg(long)]
        fhir: bool,
        #[command(flatten)]
        common: Common,
    },
    /// run a golden case file (tests/golden/*.json): prints the plan JSON, or the error JSON,
    /// exactly as the library returns it (the cross-language reference)
    Case {
        /// the golden case
        #[arg(value_name = "FILE.json")]
        file: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// a CDS Hooks service (patient-view) and POST /plan, on loopback by default
    Serve {
        /// address to listen on
        #[arg(long, default_value = "127.0.0.1:8787")]
        addr: SocketAddr,
        #[command(flatten)]
        common: Common,
    },
    /// a day-by-day treatment calendar with this patient's doses (docs/dosing.md)
    Calendar {
        #[command(flatten)]
        input: Input,
        /// cycle 1 day 1 (a CAR-T course: the first lymphodepletion day)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        start: Date,
        /// regimen id (default: the plan's first option)
        #[arg(long, value_name = "ID")]
        regimen: Option<String>,
        /// cycles to expand (needed for until-progression regimens; 1–200)
        #[arg(long, value_name = "N")]
        cycles: Option<u16>,
        /// iCalendar (RFC 5545) output
        #[arg(long, conflicts_with = "json")]
        ics: bool,
    },
    /// a cohort as an Arrow IPC stream (the documented cohort columns, docs/scale.md) in, an
    /// Arrow IPC stream of assessments out, batch by batch (memory bounded by the batch)
    Cohort {
        /// Arrow IPC stream (or file) of cohort rows; - or nothing for standard input
        #[arg(value_name = "IN.arrows | -")]
        file: Option<String>,
        /// where to write the result stream (default: standard output)
        #[arg(long, value_name = "OUT.arrows")]
        out: Option<String>,
        /// add the plan columns (phase, first_regimen, first_options, n_warnings): the costly part
        #[arg(long)]
        plan: bool,
        /// with --plan: a plan_json column, each row's plan as JSON (about 47 KB a row)
        #[arg(long, requires = "plan")]
        plan_json: bool,
        /// a column copied to the output unchanged (an identifier); repeatable
        #[arg(long, value_name = "COLUMN")]
        keep: Vec<String>,
        /// an input column the data must have (fails before any row if absent); repeatable
        #[arg(long, value_name = "COLUMN")]
        require: Vec<String>,
        /// at most this many rows per result batch (0: as the input's batches)
        #[arg(long, value_name = "N", default_value_t = 0)]
        batch_size: usize,
        /// worker threads per batch
        #[arg(long, value_name = "N", default_value_t = 1)]
        threads: usize,
        #[command(flatten)]
        common: Common,
    },
    /// shell completions for mmpath
    Completions {
        /// bash | zsh | fish | elvish | powershell
        shell: clap_complete::Shell,
    },
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("reading standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))
    }
}

fn set_enum(g: &mut serde_json::Value, key: &str, value: &str) {
    if let Some(o) = g.as_object_mut() {
        o.insert(key.to_string(), serde_json::Value::String(value.to_string()));
    }
}

fn usage_hint() -> String {
    format!("\n\n{}", Cli::command().render_usage())
}

/// The guideline from the file and flags, applied through the core's own parser so flags and
/// files are validated identically.
fn guideline(c: &Common) -> Result<Guideline, (u8, String)> {
    let mut g: serde_json::Value = match &c.guideline {
        Some(path) => {
            let j = read_input(path).map_err(|e| (2, e))?;
            serde_json::from_str(&j).map_err(|e| (2, format!("guideline: {e}")))?
        }
        None => serde_json::json!({}),
    };
    for (k, v) in [("risk_definition", &c.risk_definition), ("profile", &c.profile), ("jurisdiction", &c.jurisdiction)]
    {
        if let Some(v) = v {
            set_enum(&mut g, k, v);
        }
    }
    Guideline::from_json(&g.to_string()).map_err(|e| (2, format!("error: {e}")))
}

fn bad(e: myeloma_pathway::Error) -> (u8, String) {
    (2u8, format!("error: {e}\n{}", api::error_json(&e)))
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The patient record JSON of a command: the file itself, or the record read from a FHIR
/// Bundle (with what was not read listed on stderr).
fn record_json(name: &str, input: &Input) -> Result<String, (u8, String)> {
    let file = input.file.as_ref().ok_or_else(|| {
        (64, format!("{name} needs a patient record FILE.json (or - for standard input){}", usage_hint()))
    })?;
    let text = read_input(file).map_err(|e| (2, format!("error: {e}")))?;
    if !input.fhir {
        return Ok(text);
    }
    let import = myeloma_pathway_fhir::read_bundle(&text, input.reference_date.unwrap_or_else(today)).map_err(bad)?;
    for i in &import.report.ignored {
        eprintln!(
            "fhir: ignored {}{}{}: {}",
            i.resource_type,
            i.id.as_deref().map(|id| format!("/{id}")).unwrap_or_default(),
            i.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
            i.reason
        );
    }
    Ok(import.record.to_json())
}

fn assessment(what: Assessment, name: &str, input: &Input, fhir_out: bool) -> Result<String, (u8, String)> {
    let g = guideline(&input.common)?;
    let kb = knowledge_base(&input.common)?;
    let text = record_json(name, input)?;
    let patient = Patient::from_json(&text).map_err(bad)?;
    if what == Assessment::Plan && fhir_out {
        let plan = myeloma_pathway::recommend_with(&kb, &patient, &g).map_err(bad)?;
        return myeloma_pathway_fhir::plan_fhir_json(&plan).map_err(bad);
    }
    if what == Assessment::Plan && !input.common.json {
        let plan = myeloma_pathway::recommend_with(&kb, &patient, &g).map_err(bad)?;
        return Ok(plan.to_text());
    }
    let out = api::run_with(&kb, what, &patient, &g).map_err(bad)?;
    if input.common.json {
        Ok(out)
    } else {
        // Assessments are printed as indented JSON for reading.
        let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| (70, e.to_string()))?;
        Ok(serde_json::to_string_pretty(&v).unwrap_or(out))
    }
}

fn calendar(
    input: &Input,
    start: Date,
    regimen: Option<String>,
    cycles: Option<u16>,
    ics: bool,
) -> Result<String, (u8, String)> {
    let g = guideline(&input.common)?;
    let kb = knowledge_base(&input.common)?;
    let text = record_json("calendar", input)?;
    let patient = Patient::from_json(&text).map_err(bad)?;
    // The course of the patient's setting, as the plan offers it (api::calendar).
    let cal = myeloma_pathway::api::calendar(&kb, &patient, &g, regimen.as_deref(), &start.to_string(), cycles)
        .map_err(bad)?;
    Ok(if ics {
        cal.to_ics()
    } else if input.common.json {
        cal.to_json()
    } else {
        cal.to_text()
    })
}

fn run(cli: Cli) -> Result<String, (u8, String)> {
    match cli.command {
        Command::Plan { input, fhir_out } => assessment(Assessment::Plan, "plan", &input, fhir_out),
        Command::Stage(i) => assessment(Assessment::Stage, "stage", &i, false),
        Command::Risk(i) => assessment(Assessment::Risk, "risk", &i, false),
        Command::RiskCompare(i) => assessment(Assessment::RiskCompare, "risk-compare", &i, false),
        Command::Eligibility(i) => assessment(Assessment::Eligibility, "eligibility", &i, false),
        Command::Diagnose(i) => assessment(Assessment::Diagnose, "diagnose", &i, false),
        Command::Response(i) => assessment(Assessment::Response, "response", &i, false),
        Command::Kb { file: _, fhir, common } => {
            guideline(&common)?;
            let kb = knowledge_base(&common)?;
            if fhir {
                // The loaded (checked) knowledge base, embedded or --kb FILE: the bytes Python and C give.
                myeloma_pathway_fhir::knowledge_base_fhir_json(&kb).map_err(bad)
            } else {
                Ok(api::kb_identity_json_of(&kb))
            }
        }
        Command::Case { file, common } => {
            guideline(&common)?;
            let kb = knowledge_base(&common)?;
            let file = file.ok_or_else(|| (64, format!("case needs a golden case FILE.json{}", usage_hint())))?;
            let text = read_input(&file).map_err(|e| (2, format!("error: {e}")))?;
            let case: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| (2, format!("error: {file}: {e}")))?;
            let patient = case.get("patient").map(|p| p.to_string()).unwrap_or_default();
            let guideline = case.get("guideline").map(|g| g.to_string());
            Ok(match api::run_json_with(&kb, Assessment::Plan, &patient, guideline.as_deref()) {
                Ok(s) => s,
                Err(e) => api::error_json(&e),
            })
        }
        Command::Serve { addr, common } => {
            let g = guideline(&common)?;
            serve::run(addr, g).map_err(|e| (1, format!("error: {e}")))?;
            Err((0, String::new()))
        }
        Command::Calendar { input, start, regimen, cycles, ics } => calendar(&input, start, regimen, cycles, ics),
        Command::Cohort { file, out, plan, plan_json, keep, require, batch_size, threads, common } => {
            let g = guideline(&common)?;
            let kb = knowledge_base(&common)?;
            let basis = myeloma_pathway_arrow::Basis::new(&kb, serde_json::to_string(&g).unwrap_or_default());
            let options = myeloma_pathway_arrow::Options {
                plan,
                plan_json,
                threads,
                keep,
                require,
                basis: Some(basis),
                max_rows_per_batch: batch_size,
            };
            let summary = cohort(&kb, &g, file.as_deref(), out.as_deref(), options)?;
            eprintln!(
                "mmpath cohort: {} rows in {} batches, {} rows with an error (in their row)",
                summary.rows, summary.batches, summary.error_rows
            );
            Err((0, String::new()))
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "mmpath", &mut buf);
            Ok(String::from_utf8_lossy(&buf).trim_end().to_string())
        }
    }
}

/// `mmpath cohort`: an Arrow IPC stream (or, from a file, an Arrow IPC file) through
/// `myeloma_pathway_arrow`, to a file or standard output.
fn cohort(
    kb: &KnowledgeBase,
    g: &Guideline,
    file: Option<&str>,
    out: Option<&str>,
    options: myeloma_pathway_arrow::Options,
) -> Result<myeloma_pathway_arrow::Summary, (u8, String)> {
    use myeloma_pathway_arrow::{arrow_ipc, Error as E};
    use std::io::{BufReader, BufWriter, Read, Seek};
    let fail = |e: E| match e {
        E::Column(c) => (2u8, format!("error: {c}")),
        E::Arrow(a) => (2u8, format!("error: reading or writing Arrow IPC: {a}")),
    };
    let sink: Box<dyn std::io::Write> = match out {
        None | Some("-") => Box::new(BufWriter::new(std::io::stdout().lock())),
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path).map_err(|e| (2u8, format!("error: creating {path}: {e}")))?,
        )),
    };
    match file {
        None | Some("-") => {
            let input = BufReader::new(std::io::stdin().lock());
            myeloma_pathway_arrow::assess_ipc(kb, g, input, sink, options).map_err(fail)
        }
        Some(path) => {
            let mut f = std::fs::File::open(path).map_err(|e| (2u8, format!("error: reading {path}: {e}")))?;
            // An Arrow IPC file starts with the magic `ARROW1`; a stream does not.
            let mut magic = [0u8; 6];
            let is_file = f.read_exact(&mut magic).is_ok() && &magic == b"ARROW1";
            f.rewind().map_err(|e| (2u8, format!("error: reading {path}: {e}")))?;
            if is_file {
                let reader =
                    arrow_ipc::reader::FileReader::try_new(BufReader::new(f), None).map_err(|e| fail(E::Arrow(e)))?;
                let schema = reader.schema();
                myeloma_pathway_arrow::assess_batches(kb, g, &schema, reader, sink, options).map_err(fail)
            } else {
                myeloma_pathway_arrow::assess_ipc(kb, g, BufReader::new(f), sink, options).map_err(fail)
            }
        }
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
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => print_out(e.render().to_string().trim_end()),
                // Usage errors keep the exit status 64 (EX_USAGE) they always had.
                _ => {
                    eprintln!("{}", e.render().to_string().trim_end());
                    ExitCode::from(64)
                }
            };
        }
    };
    match run(cli) {
        Ok(out) => print_out(&out),
        Err((0, msg)) if msg.is_empty() => ExitCode::SUCCESS,
        Err((0, msg)) => print_out(&msg),
        Err((code, msg)) => {
            eprintln!("{msg}");
            ExitCode::from(code)
        }
    }
}
