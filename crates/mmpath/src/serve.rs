//! `mmpath serve`: the CDS Hooks service over HTTP (axum + tokio).
//!
//! Limits: request bodies over [`MAX_BODY_BYTES`] get 413, JSON deeper than the record's depth
//! limit or not JSON gets 400, a body that is not `application/json` gets 415, and a request
//! that takes longer than [`REQUEST_TIMEOUT`] gets 503. Every error body is
//! `{"error": {"kind", "message", ...}}`. The log line per request has the method, path, status
//! and time only: no bodies, no query strings, no patient data.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use myeloma_pathway::{api, Guideline};
use myeloma_pathway_fhir::{cds, parse_json_value, MAX_JSON_BYTES};
use serde_json::{json, Value};

/// Largest request body accepted (the FHIR reader's own limit).
pub const MAX_BODY_BYTES: usize = MAX_JSON_BYTES;
/// Longest a request may take, body upload included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

struct App {
    guideline: Guideline,
    plan_url: String,
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"error": {"kind": kind, "message": message}}).to_string(),
    )
        .into_response()
}

fn json_ok(v: &Value) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

fn input_error(e: &myeloma_pathway::Error) -> Response {
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/json")], api::error_json(e)).into_response()
}

/// Read a JSON body within the limits, or the error response.
async fn json_body(headers: &HeaderMap, body: Body) -> Result<Value, Response> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "application/json" && essence != "application/fhir+json" {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the request as application/json (or application/fhir+json)",
        ));
    }
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "limit_exceeded",
            &format!("request body exceeds the limit of {MAX_BODY_BYTES} bytes"),
        )
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| too_large())?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| error(StatusCode::BAD_REQUEST, "invalid_json", "the request body is not UTF-8"))?;
    parse_json_value(text).map_err(|e| input_error(&e))
}

fn reference_date() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Run the clinical work off the async threads.
async fn compute(f: impl FnOnce() -> Result<Value, myeloma_pathway::Error> + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => json_ok(&v),
        Ok(Err(e)) => input_error(&e),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the request could not be completed"),
    }
}

async fn discovery() -> Response {
    json_ok(&cds::discovery())
}

async fn patient_view(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let request = match json_body(&headers, body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    compute(move || cds::patient_view(&request, reference_date(), &app.guideline, &app.plan_url)).await
}

async fn plan(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let request = match json_body(&headers, body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    compute(move || cds::plan_for_request(&request, reference_date(), &app.guideline).map(|(p, _)| p)).await
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "no such endpoint; see GET /cds-services")
}

/// Time limit and a log line without patient data.
async fn guard(req: Request, next: Next) -> Response {
    let (method, path, start) = (req.method().clone(), req.uri().path().to_string(), Instant::now());
    let response = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => error(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took longer than the time limit"),
    };
    eprintln!("mmpath serve: {method} {path} -> {} ({} ms)", response.status().as_u16(), start.elapsed().as_millis());
    response
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("mmpath serve: shutting down");
}

/// Serve until SIGTERM or Ctrl-C.
///
/// # Errors
/// The address cannot be bound, or the runtime cannot start.
pub fn run(addr: SocketAddr, guideline: Guideline) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        let app = Arc::new(App { guideline, plan_url: format!("http://{local}/plan") });
        let router = Router::new()
            .route("/cds-services", get(discovery))
            .route(&format!("/cds-services/{}", cds::SERVICE_ID), post(patient_view))
            .route("/plan", post(plan))
            .fallback(not_found)
            .layer(middleware::from_fn(guard))
            .with_state(app);
        eprintln!("mmpath serve: listening on http://{local} (decision support, not a medical device)");
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| format!("serving: {e}"))
    })
}
