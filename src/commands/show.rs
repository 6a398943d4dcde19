//! `keruen show ID`.
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Result, bail};
use std::io::Write;

pub fn run(cli: &Cli, id: &str) -> Result<()> {
    let store = db::open(&cli.db)?;
    let mut out = std::io::stdout().lock();
    if let Some(e) = store.event(id)? {
        if cli.json {
            return output::json(&mut out, &e);
        }
        writeln!(out, "event {}  [{}]", e.id, e.review)?;
        let state = store.event_state(id)?;
        if let Some(into) = state.as_ref().and_then(|s| s.merged_into.as_ref()) {
            writeln!(out, "  merged into {into} (hidden; `keruen unmerge {id}` brings it back)")?;
        }
        writeln!(out, "  type:    {}", e.event_type)?;
        if let Some(t) = &e.title {
            writeln!(out, "  title:   {t}")?;
        }
        writeln!(
            out,
            "  date:    {}",
            e.date.as_ref().map(|d| d.to_string()).unwrap_or_else(|| "undated".into())
        )?;
        writeln!(out, "  status:  {}", e.status)?;
        if let Some(s) = &state {
            let c = &s.chosen_by;
            for (field, who) in
                [("type", &c.event_type), ("date", &c.date), ("states", &c.countries), ("places", &c.places)]
            {
                if let Some(who) = who {
                    writeln!(out, "  {field} chosen by {who} (`keruen conflicts {id}`)")?;
                }
            }
        }
        for p in &e.participants {
            let name = store.entity(&p.entity)?.map(|x| x.display_name("en").to_string()).unwrap_or_default();
            writeln!(out, "  {:<8} {} ({})", format!("{}:", p.role), name, p.entity)?;
        }
        for p in &e.places {
            let name = store.entity(p)?.map(|x| x.display_name("en").to_string()).unwrap_or_default();
            writeln!(out, "  place:   {name} ({p})")?;
        }
        if !e.sectors.is_empty() {
            let s: Vec<&str> = e.sectors.iter().map(|s| s.as_str()).collect();
            writeln!(out, "  sectors: {}", s.join(", "))?;
        }
        for (i, ev) in e.evidence.iter().enumerate() {
            let source = store.source(&ev.source)?;
            let cite = source.map(|s| s.short_citation()).unwrap_or_else(|| ev.source.clone());
            let page = ev.page.as_ref().map(|p| format!(", p. {p}")).unwrap_or_default();
            writeln!(
                out,
                "  evidence {}: {cite}{page} ({}) — asserted by {}, confidence {:.2}, {}",
                i + 1,
                ev.source,
                ev.asserted_by,
                ev.confidence,
                ev.status
            )?;
            if let Some(q) = &ev.quote {
                writeln!(out, "    «{q}»")?;
            }
        }
        return Ok(());
    }
    if let Some(e) = store.entity(id)? {
        if cli.json {
            return output::json(&mut out, &e);
        }
        writeln!(out, "{} {}: {}", e.kind, e.id, e.display_name("en"))?;
        for n in &e.names {
            let form = serde_json::to_value(n.form)?;
            writeln!(out, "  {:<4} {:<10} {}", n.lang, form.as_str().unwrap_or(""), n.text)?;
        }
        if let Some(d) = &e.dates {
            writeln!(out, "  dates: {d}")?;
        }
        if let Some(c) = &e.coordinates {
            writeln!(out, "  coordinates: {:.4}, {:.4}", c.lat, c.lon)?;
        }
        if let Some(q) = &e.wikidata {
            writeln!(out, "  wikidata: {q}")?;
        }
        return Ok(());
    }
    if let Some(s) = store.source(id)? {
        if cli.json {
            return output::json(&mut out, &s);
        }
        writeln!(out, "source {}: {}", s.id, s.title)?;
        let authors: Vec<String> = s.author.iter().map(|a| a.family.clone()).collect();
        if !authors.is_empty() {
            writeln!(out, "  authors: {}", authors.join(", "))?;
        }
        if let Some(i) = &s.issued {
            writeln!(out, "  issued:  {i}")?;
        }
        if let Some(c) = &s.container_title {
            writeln!(out, "  in:      {c}")?;
        }
        writeln!(out, "  sha256:  {}", s.sha256)?;
        if let Some(t) = &s.text {
            writeln!(out, "  text:    {} characters", t.chars().count())?;
        }
        return Ok(());
    }
    bail!("no event, entity or source with id `{id}` in {}", cli.db.display())
}
