//! The pages of one event, one entity, one source, and the lists of entities and
//! sources.
use super::layout::*;
use crate::api::dto::*;
use crate::api::read::{load_entities, load_entity, load_event, load_source};
use crate::auth::{Ctx, Role};
use crate::error::ApiResult;
use crate::highlight::{Span, annotated};
use crate::params::Params;
use crate::state::AppState;
use axum::extract::{Path, State};
use keruen_model::EntityKind;
use maud::{Markup, html};
use std::collections::HashMap;

/// `/events/{id}`.
pub async fn event(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Markup> {
    p.only(&[])?;
    let l = ctx.lang;
    let e = load_event(&st, id.clone(), l).await?;
    let hid = id.clone();
    let history = st.run(move |s| Ok(s.history(&hid)?)).await?;
    let title = e.title.clone().unwrap_or_else(|| type_label(l, &e.event_type).to_string());
    let range = match (&e.earliest, &e.latest) {
        (Some(a), Some(b)) if a != b => Some(format!("{a} – {b}")),
        _ => None,
    };
    Ok(page(
        &ctx,
        Frame {
            title,
            nav: Nav::Search,
            json: Some(format!("/api/v1/events/{}", enc(&id))),
            scripts: &[],
            lead: None,
        },
        html! {
            p.meta.big {
                (type_badge(l, &e.event_type)) " "
                (date_label(l, e.date.as_deref()))
                @if let Some(r) = range { " " span.muted { "(" (r) ")" } }
                " " span class=(format!("badge s-{}", e.status)) { (l.t(&format!("status.{}", e.status))) }
                " " (review_badge(l, &e.review))
                @for s in &e.sectors { " " span.badge.sector { (l.t(&format!("sector.{s}"))) } }
            }
            @if e.review == "candidate" {
                p.notice { (l.t("event.candidate_notice")) }
                @if ctx.role() >= Role::Editor {
                    (super::review::decide_form(&ctx, &e.id, &ctx.here))
                }
            }
            @if let Some(d) = &e.description { p.description { (d) } }
            div.columns {
                section {
                    h2 { (l.t("event.participants")) }
                    @if e.participants.is_empty() { p.muted { (l.t("event.none")) } }
                    table.plain {
                        @for pt in &e.participants {
                            tr {
                                td { a href=(entity_url(&pt.entity.id)) { (pt.entity.name) } }
                                td.muted { (l.t(&format!("role.{}", pt.role))) }
                            }
                        }
                    }
                }
                section {
                    h2 { (l.t("event.places")) }
                    @if e.places.is_empty() { p.muted { (l.t("event.none")) } }
                    ul.plain {
                        @for pl in &e.places { li { a href=(entity_url(&pl.id)) { (pl.name) } } }
                    }
                }
            }
            h2 { (l.t("event.evidence")) }
            (help(l, "event.evidence_help"))
            @for v in &e.evidence {
                article.evidence {
                    p.src {
                        a href=(format!("{}#{}", source_url(&v.source.id), anchor_of(&e.id))) { (v.source.title) }
                        @if let Some(a) = &v.source.authors { " — " span.muted { (a) } }
                        @if let Some(pg) = &v.page { " · " (l.t("event.page")) " " (pg) }
                    }
                    @if let Some(q) = &v.quote { blockquote { (q) } }
                    p.muted.small {
                        (l.t("event.asserted_by")) " " code { (v.asserted_by) }
                        " · " (l.t("event.confidence")) " " (format!("{:.0}%", v.confidence * 100.0))
                        " · " (l.t(&format!("review.{}", v.status)))
                        @if let Some(c) = &v.claim {
                            @if let Some(d) = &c.date { " · " (l.t("event.claims_date")) " " code { (d) } }
                        }
                    }
                }
            }
            @if !history.is_empty() {
                h2 { (l.t("event.history")) }
                table.plain.history {
                    @for h in &history {
                        tr { td.muted { (h.at.get(..16).unwrap_or(&h.at).replace('T', " ")) } td { code { (h.actor) } } td { (h.action) } td { (h.reason.as_deref().unwrap_or("")) } }
                    }
                }
            }
        },
    ))
}

/// The id of an event's span on its source page.
pub fn anchor_of(event: &str) -> String {
    format!(
        "ev-{}",
        event
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect::<String>()
    )
}

/// `/entities/{id}`.
pub async fn entity(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Markup> {
    p.only(&["candidates", "cursor", "limit"])?;
    let l = ctx.lang;
    let candidates = p.flag("candidates")?;
    let e =
        load_entity(&st, id.clone(), l, candidates, p.one("cursor")?.map(str::to_string), p.limit(50, 200)?)
            .await?;
    let mut by_lang: Vec<(String, Vec<String>)> = Vec::new();
    for n in &e.names {
        if n.form == "adjective" {
            continue;
        }
        let label = if n.form == "name" {
            n.text.clone()
        } else {
            format!("{} ({})", n.text, l.t(&format!("form.{}", n.form)))
        };
        match by_lang.iter_mut().find(|(lang, _)| *lang == n.lang) {
            Some((_, v)) => v.push(label),
            None => by_lang.push((n.lang.clone(), vec![label])),
        }
    }
    let point = e.lat.zip(e.lon).and_then(|(lat, lon)| crate::map::project(lat, lon));
    let next = e.events.next.clone().map(|n| {
        let mut pairs = vec![("cursor", n)];
        if candidates {
            pairs.push(("candidates", "true".into()));
        }
        format!("{}?{}", entity_url(&id), qs(&pairs))
    });
    Ok(page(
        &ctx,
        Frame {
            title: e.name.clone(),
            nav: Nav::Search,
            json: Some(format!("/api/v1/entities/{}", enc(&id))),
            scripts: &[],
            lead: e.description.clone(),
        },
        html! {
            p.meta.big {
                span.badge.kind { (l.t(&format!("kind.{}", e.kind))) }
                @if let Some(d) = &e.dates { " " (date_label(l, Some(d))) }
                @if let Some(c) = &e.country { " · " a href=(entity_url(c)) { (country_name(l, c)) } }
                @if let Some(q) = &e.wikidata { " · Wikidata " code { (q) } }
            }
            div.columns {
                section {
                    h2 { (l.t("entity.names")) }
                    table.plain {
                        @for (lang, names) in &by_lang { tr { td.muted { (lang) } td { (names.join(" · ")) } } }
                    }
                }
                @if let Some((x, y)) = point {
                    section {
                        h2 { (l.t("entity.location")) }
                        @let (w, h) = crate::map::size();
                        svg.minimap viewBox=(format!("0 0 {w:.0} {h:.0}")) role="img" aria-label=(l.t("entity.location")) {
                            @for s in crate::map::shapes() { path d=(s.d) class=(if ["KZ","KG","TJ","TM","UZ"].contains(&s.iso.as_str()) { "land ca" } else { "land" }) {} }
                            circle.pin cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="9" {}
                        }
                    }
                }
            }
            h2 { (l.t("entity.events")) }
            p.small {
                @if e.kind == "country" {
                    a href=(format!("/search?{}", qs(&[("country", e.id.clone())]))) { (l.t("entity.search_country")) } " · "
                }
                @if candidates {
                    a href=(entity_url(&id)) { (l.t("entity.accepted_only")) }
                } @else {
                    a href=(format!("{}?candidates=true", entity_url(&id))) { (l.t("entity.with_candidates")) }
                }
            }
            @if e.events.items.is_empty() { p.empty { (l.t("entity.no_events")) } }
            (event_list(l, &e.events.items, &[], &[]))
            @if let Some(n) = next { p.more { a rel="next" href=(n) { (l.t("search.next_page")) " →" } } }
        },
    ))
}

/// `/entities`: by kind.
pub async fn entities(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["kind", "cursor"])?;
    let l = ctx.lang;
    let kind = p.get::<EntityKind>("kind")?.unwrap_or(EntityKind::Country);
    let list = load_entities(&st, Some(kind), p.one("cursor")?.map(str::to_string), 200, l).await?;
    Ok(page(
        &ctx,
        Frame {
            title: l.t("entities.title").into(),
            nav: Nav::Search,
            json: Some(format!("/api/v1/entities?kind={}", kind.as_str())),
            scripts: &[],
            lead: None,
        },
        html! {
            p.tabs {
                @for k in EntityKind::ALL {
                    @if k == kind { strong { (l.t(&format!("kinds.{}", k.as_str()))) } } @else { a href=(format!("/entities?kind={}", k.as_str())) { (l.t(&format!("kinds.{}", k.as_str()))) } }
                    " "
                }
            }
            ul.columns3 {
                @for e in &list.items { li { a href=(entity_url(&e.id)) { (e.name) } } }
            }
            @if let Some(n) = &list.next { p.more { a rel="next" href=(format!("/entities?{}", qs(&[("kind", kind.as_str().into()), ("cursor", n.clone())]))) { (l.t("search.next_page")) " →" } } }
        },
    ))
}

/// `/sources`.
pub async fn sources(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["cursor"])?;
    let l = ctx.lang;
    let cursor = p.one("cursor")?.map(str::to_string);
    let list = st.run(move |s| Ok(s.sources_list(cursor.as_deref(), 100)?)).await?;
    Ok(page(
        &ctx,
        Frame {
            title: l.t("sources.title").into(),
            nav: Nav::Search,
            json: Some("/api/v1/sources".into()),
            scripts: &[],
            lead: Some(l.t("sources.lead").into()),
        },
        html! {
            ul.sources {
                @for s in &list.items {
                    li {
                        a href=(source_url(&s.id)) { (s.title) }
                        @if let Some(a) = &s.authors { " — " span.muted { (a) } }
                        @if let Some(i) = &s.issued { " " span.muted { "(" (i) ")" } }
                    }
                }
            }
            @if let Some(n) = &list.next { p.more { a rel="next" href=(format!("/sources?cursor={n}")) { (l.t("search.next_page")) " →" } } }
        },
    ))
}

/// The spans of a source page, with links to their facts.
fn spans(l: crate::i18n::Lang, s: &SourceDetail) -> Vec<Span> {
    s.annotations
        .iter()
        .map(|a| {
            let (href, title, anchor) = match a.kind.as_str() {
                "entity" => (
                    a.target.as_deref().map(entity_url),
                    format!("{}: {}", l.t("ann.entity"), a.target.as_deref().unwrap_or("")),
                    None,
                ),
                "event" => (
                    a.target.as_deref().map(event_url),
                    format!(
                        "{}: {}",
                        l.t("ann.event"),
                        a.value.as_deref().map(|v| type_label(l, v)).unwrap_or("")
                    ),
                    a.target.as_deref().map(anchor_of),
                ),
                "timex" => {
                    (None, format!("{}: {}", l.t("ann.timex"), a.value.as_deref().unwrap_or("?")), None)
                }
                "archival" => (
                    Some("#archival".into()),
                    format!("{}: {}", l.t("ann.archival"), a.value.as_deref().unwrap_or("")),
                    None,
                ),
                "citation" => (
                    a.value.as_deref().map(|v| format!("#ref-{v}")),
                    format!("{}: {}", l.t("ann.citation"), a.text),
                    None,
                ),
                "reference" => {
                    (None, l.t("ann.reference").to_string(), a.value.as_deref().map(|v| format!("ref-{v}")))
                }
                _ => (None, a.kind.clone(), None),
            };
            Span { kind: a.kind.clone(), start: a.start, end: a.end, href, title, anchor }
        })
        .collect()
}

/// `/sources/{id}`: the text with every extracted span highlighted by kind.
pub async fn source(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Markup> {
    p.only(&[])?;
    let l = ctx.lang;
    let s = load_source(&st, id.clone()).await?;
    let spans = spans(l, &s);
    // Number the events in the order their spans appear.
    let mut numbers: HashMap<usize, usize> = HashMap::new();
    let mut order: Vec<(usize, String)> = Vec::new();
    for (i, sp) in spans.iter().enumerate().filter(|(_, sp)| sp.kind == "event") {
        let target = s.annotations[i].target.clone().unwrap_or_default();
        let n = match order.iter().position(|(_, t)| *t == target) {
            Some(k) => k + 1,
            None => {
                order.push((sp.start, target));
                order.len()
            }
        };
        numbers.insert(i, n);
    }
    let mut counts: Vec<(&str, usize)> =
        ["event", "entity", "timex", "archival", "citation", "reference"].iter().map(|k| (*k, 0)).collect();
    for a in &s.annotations {
        if let Some(c) = counts.iter_mut().find(|(k, _)| *k == a.kind) {
            c.1 += 1;
        }
    }
    let events: HashMap<&str, &EventHit> = s.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let cite = match (s.authors.first(), &s.issued) {
        (Some(a), Some(i)) => format!("{a} ({i}). {}.", s.title),
        (Some(a), None) => format!("{a}. {}.", s.title),
        _ => format!("{}.", s.title),
    };
    Ok(page(
        &ctx,
        Frame {
            title: s.title.clone(),
            nav: Nav::Search,
            json: Some(format!("/api/v1/sources/{}", enc(&id))),
            scripts: &[],
            lead: None,
        },
        html! {
            p.meta.big {
                span.badge.kind { (s.csl_type) }
                @if !s.authors.is_empty() { " " (s.authors.join("; ")) }
                @if let Some(i) = &s.issued { " · " (i) }
                @if let Some(c) = &s.container_title { " · " em { (c) } }
                @if let Some(lang) = &s.language { " · " (lang) }
                @if let Some(f) = &s.file_name { " · " code { (f) } }
            }
            @if let Some(a) = &s.archival { p { (l.t("source.archival_unit")) " " (a) } }
            @if let Some(u) = &s.url { p { a href=(u) rel="noopener noreferrer nofollow" { (u) } } }
            p.cite { (l.t("source.cite")) " " span { (cite) } " " code.small { (s.id) } }
            div.sourcegrid {
                article.doc {
                    div.legend role="group" aria-label=(l.t("source.legend")) {
                        @for (k, n) in &counts {
                            @if *n > 0 {
                                label class=(format!("key hl-{k}")) {
                                    input type="checkbox" checked data-toggle=(k);
                                    " " (l.t(&format!("legend.{k}"))) " " span.count { (n) }
                                }
                            }
                        }
                    }
                    @match &s.text {
                        Some(t) => div.text #text lang=[s.language.as_deref()] { (annotated(t, &spans, &|i| numbers.get(&i).copied())) },
                        None => p.muted { (l.t("source.no_text")) },
                    }
                }
                aside.side {
                    section {
                        h2 { (l.t("source.events")) }
                        @if order.is_empty() { p.muted { (l.t("event.none")) } }
                        ol.numbered {
                            @for (_, id) in &order {
                                li {
                                    a href=(event_url(id)) {
                                        @match events.get(id.as_str()).and_then(|e| e.title.clone()) { Some(t) => (t), None => (id) }
                                    }
                                    @if let Some(e) = events.get(id.as_str()) { " " (review_badge(l, &e.review)) }
                                }
                            }
                        }
                        @let others: Vec<&EventHit> = s.events.iter().filter(|e| !order.iter().any(|(_, t)| *t == e.id)).collect();
                        @if !others.is_empty() {
                            h3 { (l.t("source.events_cited")) }
                            ul.plain { @for e in others { li { a href=(event_url(&e.id)) { (e.title.clone().unwrap_or(e.id.clone())) } } } }
                        }
                    }
                    section #archival {
                        h2 { (l.t("source.archival")) }
                        @if s.archival_refs.is_empty() { p.muted { (l.t("event.none")) } }
                        ul.plain {
                            @for r in &s.archival_refs {
                                li {
                                    @if let Some(a) = &r.archive { (a) ", " }
                                    (l.t("source.fond")) " " (r.fond)
                                    @if let Some(i) = &r.inventory { ", " (l.t("source.inventory")) " " (i) }
                                    @if let Some(c) = &r.case { ", " (l.t("source.case")) " " (c) }
                                    @if let Some(sh) = &r.sheet { ", " (l.t("source.sheet")) " " (sh) }
                                    br; span.muted.small { "«" (r.text) "»" }
                                }
                            }
                        }
                    }
                    section {
                        h2 { (l.t("source.bibliography")) }
                        @if s.references.is_empty() { p.muted { (l.t("event.none")) } }
                        ol.refs {
                            @for r in &s.references {
                                li { a href=(format!("#ref-{}", r.index)) { (r.text) } }
                            }
                        }
                        @if !s.citations.is_empty() {
                            p.muted.small { (l.tf("source.citations", &[("n", &s.citations.len())])) }
                        }
                    }
                }
            }
        },
    ))
}
