//! `keruen eval --gold-dir DIR [--pred-dir DIR]`: scores the extractor on an annotated
//! corpus, metric for metric as `../shared/eval/score.py` (the metrics are
//! keruen-eval's). Without `--pred-dir` it extracts every `DIR/NAME.txt` that has a
//! `DIR/NAME.gold.json` itself.
use crate::cli::{Cli, EvalArgs};
use anyhow::{Context, Result, bail};
use keruen_eval::{Metrics, Scorer};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// A text file as Python reads it in text mode: line endings become `\n`.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).replace("\r\n", "\n").replace('\r', "\n"))
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

/// Scores every `NAME.gold.json` of `gold_dir` (in name order) against its prediction,
/// read from `pred_dir` or extracted from `NAME.txt`.
pub(crate) fn score_corpus(gold_dir: &Path, pred_dir: Option<&Path>) -> Result<Scorer> {
    let mut names: Vec<String> = std::fs::read_dir(gold_dir)
        .with_context(|| format!("reading the directory {}", gold_dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".gold.json").map(str::to_string))
        .collect();
    names.sort();
    let mut scorer = Scorer::default();
    for stem in names {
        let gold = read_json(&gold_dir.join(format!("{stem}.gold.json")))?;
        let doc_path = gold_dir.join(format!("{stem}.txt"));
        let doc = doc_path.exists().then(|| read_text(&doc_path)).transpose()?;
        let pred = match pred_dir {
            Some(dir) => {
                let p = dir.join(format!("{stem}.json"));
                if p.exists() { Some(read_json(&p)?) } else { None }
            }
            None if doc.is_some() => {
                match super::extract::read_and_extract(&doc_path, None, None, &Default::default()) {
                    Ok((_, x)) => Some(serde_json::to_value(&x)?),
                    Err(e) => {
                        scorer.problems.push(format!("{stem}: extraction failed: {e:#}"));
                        None
                    }
                }
            }
            None => None,
        };
        if pred.is_none() {
            scorer.problems.push(format!("{stem}: no prediction (scored as empty)"));
        }
        let empty = Value::Object(Default::default());
        scorer.add_document(&gold, pred.as_ref().unwrap_or(&empty), doc.as_deref());
    }
    Ok(scorer)
}

/// The metrics below the `--min METRIC=VALUE` floors.
fn below(metrics: &Metrics, floors: &[String]) -> Result<Vec<String>> {
    let mut bad = Vec::new();
    for cond in floors {
        let Some((k, v)) = cond.split_once('=') else { bail!("--min wants METRIC=VALUE, got {cond:?}") };
        let floor: f64 = v.trim().parse().with_context(|| format!("--min {cond}: not a number"))?;
        let got = metrics.get(k.trim()).unwrap_or(0.0);
        if got < floor {
            bad.push(format!("{k}={got:.3} < {v}"));
        }
    }
    Ok(bad)
}

pub fn run(cli: &Cli, args: &EvalArgs) -> Result<()> {
    let scorer = score_corpus(&args.gold_dir, args.pred_dir.as_deref())?;
    let metrics = scorer.metrics();
    let mut out = std::io::stdout().lock();
    if cli.json {
        /// The report of `score.py --json`, field for field.
        #[derive(serde::Serialize)]
        struct Report<'a> {
            metrics: &'a Metrics,
            problems: Vec<&'a String>,
            documents: usize,
        }
        let report = Report {
            metrics: &metrics,
            problems: scorer.problems.iter().take(50).collect(),
            documents: scorer.documents,
        };
        let mut buf = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
        serde::Serialize::serialize(&report, &mut ser)?;
        out.write_all(&buf)?;
        writeln!(out)?;
    } else {
        for p in scorer.problems.iter().take(20) {
            eprintln!("problem: {p}");
        }
        writeln!(out, "documents: {}", scorer.documents)?;
        for (k, v) in &metrics.0 {
            writeln!(out, "{k:24} {v:.3}")?;
        }
    }
    let bad = below(&metrics, &args.min)?;
    if !bad.is_empty() {
        writeln!(out, "below minimum: {}", bad.join(", "))?;
        out.flush()?;
        std::process::exit(1);
    }
    Ok(())
}
