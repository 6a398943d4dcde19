//! The home page and the search page with its facets.
use super::layout::*;
use crate::api::dto::{Facet, SearchResponse};
use crate::api::read::load_search;
use crate::auth::Ctx;
use crate::error::ApiResult;
use crate::highlight::folded;
use crate::i18n::Lang;
use crate::params::{Params, SEARCH_PARAMS, search_query};
use crate::state::AppState;
use axum::extract::State;
use maud::{Markup, html};

/// A link to the search with `name=value` added (or removed when present), without
/// the cursor.
fn toggle(p: &Params, name: &str, value: &str) -> String {
    let present = p.all(name).contains(&value);
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (k, v) in &p.0 {
        if k == "cursor" || k == "lang" {
            continue;
        }
        if k == name {
            for part in v.split(',').map(str::trim).filter(|x| !x.is_empty() && *x != value) {
                pairs.push((k, part.to_string()));
            }
        } else if !v.is_empty() {
            pairs.push((k, v.clone()));
        }
    }
    if !present {
        pairs.push((name, value.to_string()));
    }
    format!("/search?{}", qs(&pairs))
}

/// The same search with other values of some parameters.
fn with(p: &Params, set: &[(&str, Option<String>)]) -> String {
    let mut pairs: Vec<(&str, String)> =
        p.0.iter()
            .filter(|(k, v)| k != "lang" && !v.is_empty() && !set.iter().any(|(n, _)| n == k))
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
    for (n, v) in set {
        if let Some(v) = v {
            pairs.push((n, v.clone()));
        }
    }
    format!("/search?{}", qs(&pairs))
}

fn facet_block(
    l: Lang,
    p: &Params,
    title: &str,
    name: &str,
    items: &[Facet],
    label: &dyn Fn(&str) -> String,
) -> Markup {
    let max = items.iter().map(|f| f.count).max().unwrap_or(1).max(1);
    let chosen = p.all(name);
    html! {
        @if !items.is_empty() {
            section.facet {
                h3 { (title) }
                ul {
                    @for f in items.iter().take(15) {
                        @let on = chosen.contains(&f.value.as_str());
                        li.on[on] {
                            a href=(toggle(p, name, &f.value)) data-facet=(name) data-value=(f.value) {
                                span.name { (label(&f.value)) }
                                span.count { (l.num(f.count)) }
                            }
                            svg.bar viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" {
                                rect width=(format!("{:.1}", f.count as f64 / max as f64 * 100.0)) height="4" {}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A small bar chart of the years facet; each bar narrows the search to its year.
fn years_chart(l: Lang, p: &Params, years: &[Facet]) -> Markup {
    let parsed: Vec<(i32, u64)> =
        years.iter().filter_map(|f| Some((f.value.parse().ok()?, f.count))).collect();
    let (Some(first), Some(last)) = (parsed.first().map(|x| x.0), parsed.last().map(|x| x.0)) else {
        return html! {};
    };
    let n = (last - first + 1) as f64;
    let max = parsed.iter().map(|x| x.1).max().unwrap_or(1) as f64;
    let w = 100.0 / n;
    html! {
        section.facet.years {
            h3 { (l.t("search.facet_years")) }
            svg.years viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label=(l.t("search.facet_years")) {
                @for (y, c) in &parsed {
                    @let h = (*c as f64 / max * 28.0).max(0.8);
                    a href=(with(p, &[("from", Some(y.to_string())), ("to", Some(y.to_string())), ("cursor", None)])) {
                        rect x=(format!("{:.2}", (y - first) as f64 * w)) y=(format!("{:.2}", 30.0 - h)) width=(format!("{:.2}", (w * 0.85).max(0.3))) height=(format!("{:.2}", h)) {
                            title { (y) ": " (l.num(*c)) }
                        }
                    }
                }
            }
            div.range { span { (first) } span { (last) } }
        }
    }
}

fn search_form(l: Lang, p: &Params) -> Markup {
    let q = p.one("q").ok().flatten().unwrap_or("");
    let from = p.one("from").ok().flatten().unwrap_or("");
    let to = p.one("to").ok().flatten().unwrap_or("");
    let candidates = p.flag("candidates").unwrap_or(false);
    html! {
        form.search action="/search" method="get" role="search" {
            div.row {
                input #q type="search" name="q" value=(q) placeholder=(l.t("search.placeholder")) aria-label=(l.t("search.label")) autofocus;
                button type="submit" { (l.t("search.button")) }
            }
            div.row.small {
                label { (l.t("search.from")) " " input type="text" name="from" value=(from) size="10" placeholder="1991" inputmode="numeric"; }
                label { (l.t("search.to")) " " input type="text" name="to" value=(to) size="10" placeholder="2020" inputmode="numeric"; }
                label { input type="checkbox" name="candidates" value="true" checked[candidates]; " " (l.t("search.candidates")) }
                @for name in ["type", "country", "sector", "status"] {
                    @for v in p.all(name) {
                        input type="hidden" name=(name) value=(v);
                    }
                }
            }
        }
    }
}

fn results(l: Lang, p: &Params, r: &SearchResponse) -> Markup {
    let phrases: Vec<String> =
        folded(&r.entities.iter().flat_map(|e| [e.matched.as_str(), e.name.as_str()]).collect::<Vec<_>>());
    let active: Vec<(&str, &str)> = ["type", "country", "sector", "status"]
        .iter()
        .flat_map(|n| p.all(n).into_iter().map(move |v| (*n, v)))
        .collect();
    let label = |name: &str, v: &str| -> String {
        match name {
            "type" => type_label(l, v).to_string(),
            "country" => country_name(l, v),
            "sector" => l.t(&format!("sector.{v}")).to_string(),
            "status" => l.t(&format!("status.{v}")).to_string(),
            _ => v.to_string(),
        }
    };
    html! {
        div.searchgrid {
            aside.facets aria-label=(l.t("search.facets")) {
                @if let Some(f) = &r.facets {
                    (facet_block(l, p, l.t("search.facet_types"), "type", &f.types, &|v| label("type", v)))
                    (facet_block(l, p, l.t("search.facet_countries"), "country", &f.countries, &|v| label("country", v)))
                    (years_chart(l, p, &f.years))
                    (facet_block(l, p, l.t("search.facet_sectors"), "sector", &f.sectors, &|v| label("sector", v)))
                    (facet_block(l, p, l.t("search.facet_statuses"), "status", &f.statuses, &|v| label("status", v)))
                }
            }
            section.results {
                p.total #total data-total=(r.total) {
                    @if r.total_is_lower_bound { (l.tf("search.total_more", &[("n", &l.num(r.total))])) }
                    @else { (l.tf("search.total", &[("n", &l.num(r.total))])) }
                }
                @if !active.is_empty() {
                    p.chips {
                        @for (n, v) in &active {
                            a.chip href=(toggle(p, n, v)) title=(l.t("search.remove_filter")) { (label(n, v)) " ×" }
                        }
                    }
                }
                @if !r.entities.is_empty() {
                    p.recognised {
                        (l.t("search.recognised")) " "
                        @for (i, e) in r.entities.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(entity_url(&e.id)) { (e.name) } " "
                            span.muted { "(" (l.t(&format!("kind.{}", e.kind))) ")" }
                        }
                    }
                }
                @if r.hits.is_empty() {
                    p.empty { (l.t("search.nothing")) }
                } @else {
                    (event_list(l, &r.hits, &r.words, &phrases))
                }
                @if let Some(next) = &r.next {
                    p.more { a rel="next" href=(with(p, &[("cursor", Some(next.clone()))])) { (l.t("search.next_page")) " →" } }
                }
                @if !r.sources.is_empty() {
                    h2 { (l.t("search.sources")) }
                    ul.sources {
                        @for s in &r.sources {
                            li {
                                a href=(source_url(&s.id)) { (crate::highlight::marked(&s.title, &r.words, &phrases)) }
                                @if let Some(a) = &s.authors { " — " span.muted { (a) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/search`.
pub async fn search(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    let l = ctx.lang;
    let mut q = search_query(&p, true)?;
    q.limit = Some(q.limit.unwrap_or(20).min(100));
    let r = load_search(&st, q, l).await?;
    let json = format!(
        "/api/v1/search?{}",
        qs(&p
            .0
            .iter()
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect::<Vec<_>>())
    );
    let title = match p.one("q")? {
        Some(q) => l.tf("search.title_for", &[("q", &q)]),
        None => l.t("search.title").to_string(),
    };
    Ok(page(
        &ctx,
        Frame { title, nav: Nav::Search, json: Some(json), scripts: &[], lead: None },
        html! {
            (search_form(l, &p))
            (help(l, "search.help"))
            (results(l, &p, &r))
        },
    ))
}

/// `/`: what keruen is, a search box, what the data holds, where to go.
pub async fn home(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&[])?;
    let l = ctx.lang;
    let stats = st.run(|s| Ok(s.stats()?)).await?;
    let years = stats.years.map(|(a, b)| format!("{a}–{b}")).unwrap_or_default();
    let examples = ["Khujand", "Ходжент", "Days of Culture", "Навруз", "Al-Farabi", "UNESCO"];
    let _ = SEARCH_PARAMS;
    Ok(page(
        &ctx,
        Frame {
            title: l.t("home.title").into(),
            nav: Nav::Home,
            json: Some("/api/v1/stats".into()),
            scripts: &[],
            lead: Some(l.t("home.lead").into()),
        },
        html! {
            form.search.big action="/search" method="get" role="search" {
                div.row {
                    input #q type="search" name="q" placeholder=(l.t("search.placeholder")) aria-label=(l.t("search.label")) autofocus;
                    button type="submit" { (l.t("search.button")) }
                }
            }
            p.examples {
                (l.t("home.try")) " "
                @for (i, e) in examples.iter().enumerate() {
                    @if i > 0 { " · " }
                    a href=(format!("/search?{}", qs(&[("q", e.to_string())]))) { (e) }
                }
            }
            ul.stats {
                li { strong { (l.num(stats.events)) } " " (l.t("home.events")) @if !years.is_empty() { " (" (years) ")" } }
                li { strong { (l.num(stats.sources)) } " " (l.t("home.sources")) }
                li { strong { (l.num(stats.evidence)) } " " (l.t("home.evidence")) }
                li { strong { (l.num(stats.entities.iter().map(|f| f.count).sum())) } " " (l.t("home.entities")) }
            }
            div.cards {
                @for (href, key) in [("/timeline", "timeline"), ("/map", "map"), ("/network", "network"), ("/matrix", "matrix"), ("/calendar", "calendar"), ("/sources", "sources")] {
                    a.card href=(href) {
                        strong { (l.t(&format!("home.card_{key}"))) }
                        span { (l.t(&format!("home.card_{key}_text"))) }
                    }
                }
            }
        },
    ))
}
