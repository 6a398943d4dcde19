//! Exports over HTTP: the formats of docs/formats.md, streamed as they are written
//! (a million events never sit in memory): a blocking task writes into a bounded
//! channel of 64 KB chunks, and the response body reads from it.
use super::read::api_lang;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::Params;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use keruen_export::csv::{Table, Writer as CsvWriter};
use keruen_model::Record;
use keruen_store::{EventScope, StoreError};
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

const CHUNK: usize = 64 * 1024;

/// A writer that sends full chunks down a channel, blocking while the client reads.
struct ChannelWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::other("the client went away"))
    }
}

/// The receiving end, as a stream of body frames.
struct Chunks(mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<http_body::Frame<Bytes>, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|o| o.map(|r| r.map(http_body::Frame::data)))
    }
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io { path: "response".into(), source: std::io::Error::other(e.to_string()) }
}

/// The formats, their media types and file extensions.
const FORMATS: &[(&str, &str, &str)] = &[
    ("jsonl", "application/x-ndjson; charset=utf-8", "jsonl"),
    ("csv", "text/csv; charset=utf-8", "csv"),
    ("jsonld", "application/ld+json", "jsonld"),
    ("csl", "application/vnd.citationstyles.csl+json", "json"),
    ("bibtex", "application/x-bibtex; charset=utf-8", "bib"),
    ("gexf", "application/gexf+xml", "gexf"),
    ("graphml", "application/graphml+xml", "graphml"),
    ("ical", "text/calendar; charset=utf-8", "ics"),
];

/// The whole database, or what is derived from it, in an interchange format.
#[utoipa::path(get, path = "/api/v1/export/{format}", tag = "export",
    params(("format" = String, Path, description = "jsonl, csv, jsonld (every record, lossless); csl, bibtex (sources); gexf, graphml (the network of accepted events); ical (accepted dated events)"),
        ("table" = Option<String>, Query, description = "csv: events (default), sources or entities"),
        ("lang" = Option<String>, Query, description = "Names in gexf, graphml and ical: en or ru")),
    responses((status = 200, description = "The file, streamed", content_type = "application/octet-stream", body = String),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(st): State<AppState>,
    Path(format): Path<String>,
    p: Params,
) -> ApiResult<Response> {
    p.only(&["table"])?;
    let lang = api_lang(&p)?;
    let Some(&(name, mime, ext)) = FORMATS.iter().find(|f| f.0 == format) else {
        let known: Vec<&str> = FORMATS.iter().map(|f| f.0).collect();
        return Err(ApiError::not_found(format!("no export format `{format}`; known: {}", known.join(", "))));
    };
    let table = match (name, p.one("table")?) {
        (_, None) | ("csv", Some("events")) => Table::Events,
        ("csv", Some("sources")) => Table::Sources,
        ("csv", Some("entities")) => Table::Entities,
        (_, Some(t)) => {
            return Err(ApiError::invalid(
                "table",
                format!("`table` is events, sources or entities (csv only), not `{t}`"),
            ));
        }
    };
    let facts =
        if matches!(name, "gexf" | "graphml") { Some(crate::analysis::facts(&st).await?) } else { None };
    // A whole-database export holds a thread and a reader connection for as long as
    // its client takes to read it: a few at a time, the others told to come back.
    let permit = st.exports.clone().try_acquire_owned().map_err(|_| {
        let mut e = ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many exports are being downloaded right now: try again in a minute",
        );
        e.retry_after = Some(30);
        e
    })?;
    let (tx, rx) = mpsc::channel(4);
    let store = st.store.clone();
    let err_tx = tx.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut w = ChannelWriter { buf: Vec::with_capacity(CHUNK), tx };
        let names = |store: &dyn keruen_store::Store| -> keruen_store::Result<std::collections::HashMap<String, String>> {
            let mut m = std::collections::HashMap::new();
            store.entities(&mut |e| {
                m.insert(e.id.clone(), e.display_name(lang.code()).to_string());
                Ok(())
            })?;
            Ok(m)
        };
        let result: keruen_store::Result<()> = (|| {
            match name {
                "jsonl" => store.export(&mut |r| keruen_export::jsonl::write(&mut w, &r).map_err(io))?,
                "csv" => {
                    let mut csv = CsvWriter::new(&mut w, table).map_err(io)?;
                    store.export(&mut |r| csv.write(&r).map(|_| ()).map_err(io))?;
                    csv.finish().map_err(io)?;
                }
                "jsonld" => {
                    let mut ld = keruen_export::jsonld::Writer::new(&mut w).map_err(io)?;
                    store.export(&mut |r| ld.write(&r).map_err(io))?;
                    ld.finish().map_err(io)?;
                }
                "csl" | "bibtex" => {
                    let mut sources = Vec::new();
                    store.export(&mut |r| {
                        if let Record::Source(s) = r {
                            sources.push(s);
                        }
                        Ok(())
                    })?;
                    if name == "csl" {
                        keruen_export::csl::write(&mut w, &sources).map_err(io)?;
                    } else {
                        keruen_export::bibtex::write(&mut w, &sources).map_err(io)?;
                    }
                }
                "gexf" | "graphml" => {
                    let names = names(store.as_ref())?;
                    let label = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
                    let facts = facts.expect("loaded above");
                    let net = keruen_analysis::network::network(&facts, &Default::default());
                    if name == "gexf" {
                        keruen_export::gexf::write(&mut w, &net, &label).map_err(io)?;
                    } else {
                        keruen_export::graphml::write(&mut w, &net, &label).map_err(io)?;
                    }
                }
                _ => {
                    let names = names(store.as_ref())?;
                    let label = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
                    let mut entries = Vec::new();
                    store.events(EventScope::Accepted, &mut |e| {
                        entries.extend(keruen_export::ical::EventEntry::from_event(&e, &label));
                        Ok(())
                    })?;
                    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
                    keruen_export::ical::write(&mut w, "keruen events", &stamp, entries).map_err(io)?;
                }
            }
            w.flush().map_err(io)
        })();
        if let Err(e) = result {
            tracing::error!("export {name} failed: {e}");
            let _ = err_tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let body = Body::new(http_body_util::StreamBody::new(Chunks(rx)));
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"keruen.{ext}\"")),
        ],
        body,
    )
        .into_response())
}
