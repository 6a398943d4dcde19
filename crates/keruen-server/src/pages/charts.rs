//! The pictures: timeline, map, network, country-pair matrix, and the Cultural
//! Calendar. Each is drawn on the server as SVG (so it shows without scripts and
//! prints well); a small script adds zooming, dragging or highlighting.
use super::layout::*;
use crate::api::charts::*;
use crate::api::dto::*;
use crate::auth::Ctx;
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::params::{Params, search_query};
use crate::state::AppState;
use axum::extract::State;
use keruen_model::{EntityKind, EventType};
use maud::{Markup, html};
use std::collections::{BTreeMap, HashMap};

const CENTRAL_ASIA: [&str; 5] = ["KZ", "KG", "TJ", "TM", "UZ"];

/// The query string of `p` without `lang`, with some parameters replaced.
fn link(path: &str, p: &Params, set: &[(&str, Option<String>)]) -> String {
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
    if pairs.is_empty() { path.to_string() } else { format!("{path}?{}", qs(&pairs)) }
}

/// A link toggling one value of a repeatable parameter.
fn toggle(path: &str, p: &Params, name: &str, value: &str) -> String {
    let mut values: Vec<String> = p.all(name).iter().map(|s| s.to_string()).collect();
    match values.iter().position(|v| v == value) {
        Some(i) => {
            values.remove(i);
        }
        None => values.push(value.to_string()),
    }
    let mut pairs: Vec<(&str, String)> =
        p.0.iter()
            .filter(|(k, v)| k != "lang" && k != name && !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
    pairs.extend(values.into_iter().map(|v| (name, v)));
    if pairs.is_empty() { path.to_string() } else { format!("{path}?{}", qs(&pairs)) }
}

/// The form of years and a country, with the chosen types kept.
fn filter_form(l: Lang, path: &str, p: &Params, types: bool, country: bool) -> Markup {
    let from = p.one("from").ok().flatten().unwrap_or("");
    let to = p.one("to").ok().flatten().unwrap_or("");
    let chosen = p.all("country");
    html! {
        form.filters action=(path) method="get" {
            label { (l.t("search.from")) " " input type="text" name="from" value=(from) size="6" placeholder="1991" inputmode="numeric"; }
            label { (l.t("search.to")) " " input type="text" name="to" value=(to) size="6" placeholder="2026" inputmode="numeric"; }
            @if country {
                label {
                    (l.t("filters.country")) " "
                    select name="country" {
                        option value="" { (l.t("filters.all_countries")) }
                        @for c in CENTRAL_ASIA {
                            option value=(c) selected[chosen.contains(&c)] { (country_name(l, c)) }
                        }
                    }
                }
            }
            @for (k, v) in &p.0 {
                @if k != "from" && k != "to" && k != "lang" && k != "cursor" && !(country && k == "country") && !v.is_empty() {
                    input type="hidden" name=(k) value=(v);
                }
            }
            button type="submit" { (l.t("filters.apply")) }
            @if types { " " a href=(path) { (l.t("filters.reset")) } }
        }
    }
}

/// Chips toggling event types.
fn type_chips(l: Lang, path: &str, p: &Params) -> Markup {
    let chosen = p.all("type");
    html! {
        p.typechips {
            @for t in EventType::ALL {
                @let on = chosen.contains(&t.as_str());
                a class=(format!("chip t-{}{}", t.as_str(), if on { " on" } else { "" })) href=(toggle(path, p, "type", t.as_str())) aria-pressed=(on) {
                    span.sw {} (type_label(l, t.as_str()))
                }
            }
        }
    }
}

/// One segment of a stacked bar: type, count, top, height.
type Segment<'a> = (&'a str, u64, f64, f64);

/// `/timeline`: events per year, stacked by type.
pub async fn timeline(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["q", "type", "country", "from", "to", "sector", "status", "candidates"])?;
    let l = ctx.lang;
    let q = search_query(&p, false)?;
    let mut list_q = q.clone();
    list_q.limit = Some(20);
    let tl = load_timeline(&st, q).await?;
    let hits = crate::api::read::load_search(&st, list_q, l).await?;
    let (w, h, top, bottom, left) = (1000.0, 320.0, 10.0, 30.0, 40.0);
    let mut by_year: BTreeMap<i32, Vec<(&str, u64)>> = BTreeMap::new();
    for c in &tl.counts {
        by_year.entry(c.year).or_default().push((&c.event_type, c.count));
    }
    let (y0, y1) = (p.year("from")?.or(tl.from).unwrap_or(2000), p.year("to")?.or(tl.to).unwrap_or(2000));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    let years = (y1 - y0 + 1) as f64;
    let col = (w - left) / years;
    let max = by_year.values().map(|v| v.iter().map(|x| x.1).sum::<u64>()).max().unwrap_or(1).max(1) as f64;
    let scale = (h - top - bottom) / max;
    let step =
        [1, 2, 5, 10, 20, 25, 50, 100].into_iter().find(|s| years / (*s as f64) <= 20.0).unwrap_or(200);
    // Stacked bars: year, left edge, and (type, count, top, height) of each segment.
    let bars: Vec<(i32, f64, Vec<Segment>)> = by_year
        .iter()
        .filter(|(year, _)| (y0..=y1).contains(*year))
        .map(|(year, parts)| {
            let mut base = h - bottom;
            let segs = parts
                .iter()
                .map(|(t, n)| {
                    let bh = *n as f64 * scale;
                    base -= bh;
                    (*t, *n, base, bh)
                })
                .collect();
            (*year, left + (*year - y0) as f64 * col, segs)
        })
        .collect();
    let ticks: Vec<u64> = {
        let raw = max / 4.0;
        let mag = 10f64.powf(raw.log10().floor());
        let nice =
            [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|v| *v >= raw).unwrap_or(raw).max(1.0);
        (1..=4).map(|i| (nice * i as f64) as u64).filter(|v| (*v as f64) <= max).collect()
    };
    Ok(page(
        &ctx,
        Frame {
            title: l.t("timeline.title").into(),
            nav: crate::pages::layout::Nav::Timeline,
            json: Some(link("/api/v1/analysis/timeline", &p, &[])),
            scripts: &["timeline.js"],
            lead: Some(l.t("timeline.lead").into()),
        },
        html! {
            (filter_form(l, "/timeline", &p, true, true))
            (type_chips(l, "/timeline", &p))
            p.zoom {
                (l.tf("timeline.showing", &[("from", &y0), ("to", &y1), ("n", &l.num(tl.total))]))
                " · " a #zoom-out href=(link("/timeline", &p, &[("from", Some((y0 - (y1 - y0 + 1) / 2 - 1).to_string())), ("to", Some((y1 + (y1 - y0 + 1) / 2 + 1).to_string()))])) { (l.t("timeline.zoom_out")) }
                " · " a href=(link("/timeline", &p, &[("from", None), ("to", None)])) { (l.t("timeline.all_years")) }
            }
            figure.chart {
                svg #timeline.timeline viewBox=(format!("0 0 {w} {h}")) role="img" aria-label=(l.t("timeline.title"))
                    data-from=(y0) data-to=(y1) data-left=(left) data-col=(format!("{col:.4}")) data-width=(w)
                    data-href=(link("/timeline", &p, &[("from", None), ("to", None)])) {
                    @for t in &ticks {
                        @let y = h - bottom - *t as f64 * scale;
                        line.grid x1=(left) x2=(w) y1=(format!("{y:.1}")) y2=(format!("{y:.1}")) {}
                        text.tick x=(left - 4.0) y=(format!("{:.1}", y + 4.0)) text-anchor="end" { (l.num(*t)) }
                    }
                    line.axis x1=(left) x2=(w) y1=(h - bottom) y2=(h - bottom) {}
                    @for (year, x, segs) in &bars {
                        g.year data-year=(year) {
                            @for (t, n, y, bh) in segs {
                                a href=(format!("/search?{}", qs(&[("from", year.to_string()), ("to", year.to_string()), ("type", t.to_string())]))) {
                                    rect class=(format!("t-{t}")) x=(format!("{:.2}", x + col * 0.1)) y=(format!("{y:.2}")) width=(format!("{:.2}", (col * 0.8).max(0.5))) height=(format!("{:.2}", bh.max(0.5))) {
                                        title { (year) " · " (type_label(l, t)) ": " (l.num(*n)) }
                                    }
                                }
                            }
                        }
                    }
                    @for i in 0..(y1 - y0 + 1) {
                        @let year = y0 + i;
                        @if year % step == 0 {
                            text.tick x=(format!("{:.1}", left + (i as f64 + 0.5) * col)) y=(h - bottom + 16.0) text-anchor="middle" { (year) }
                        }
                    }
                    rect #brush.brush x="0" y=(top) width="0" height=(h - top - bottom) {}
                }
                figcaption { (l.t("timeline.caption")) }
            }
            h2 { (l.t("timeline.events")) }
            (event_list(l, &hits.hits, &[], &[]))
            @if hits.total > hits.hits.len() as u64 {
                p.more { a href=(link("/search", &p, &[])) { (l.tf("timeline.all_in_search", &[("n", &l.num(hits.total))])) " →" } }
            }
        },
    ))
}

/// `/map`: country shapes of Natural Earth and the events' places.
pub async fn map(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["q", "type", "country", "from", "to", "sector", "status", "candidates"])?;
    let l = ctx.lang;
    let data = load_map(&st, search_query(&p, false)?, l).await?;
    let (w, h) = crate::map::size();
    let by_country: HashMap<&str, u64> = data.countries.iter().map(|f| (f.value.as_str(), f.count)).collect();
    let cmax = data.countries.iter().map(|f| f.count).max().unwrap_or(1).max(1) as f64;
    let pmax = data.places.iter().map(|f| f.count).max().unwrap_or(1).max(1) as f64;
    let level = |n: u64| if n == 0 { 0 } else { 1 + ((n as f64 / cmax).sqrt() * 4.99) as u32 };
    let (inside, outside): (Vec<&MapPlace>, Vec<&MapPlace>) =
        data.places.iter().partition(|pl| crate::map::project(pl.lat, pl.lon).is_some());
    Ok(page(
        &ctx,
        Frame {
            title: l.t("map.title").into(),
            nav: crate::pages::layout::Nav::Map,
            json: Some(link("/api/v1/analysis/map", &p, &[])),
            scripts: &["map.js"],
            lead: Some(l.t("map.lead").into()),
        },
        html! {
            (filter_form(l, "/map", &p, true, true))
            (type_chips(l, "/map", &p))
            p { (l.tf("map.showing", &[("n", &l.num(data.total)), ("places", &data.places.len())])) " " span.muted { (l.t("map.zoom_hint")) } }
            figure.chart.mapfig {
                svg #map.map viewBox=(format!("0 0 {w:.0} {h:.0}")) role="img" aria-label=(l.t("map.title")) data-width=(format!("{w:.0}")) data-height=(format!("{h:.0}")) {
                    rect.sea width=(format!("{w:.0}")) height=(format!("{h:.0}")) {}
                    @for s in crate::map::shapes() {
                        @let n = by_country.get(s.iso.as_str()).copied().unwrap_or(0);
                        a href=(link("/search", &p, &[("country", Some(s.iso.clone()))])) {
                            path d=(s.d) class=(format!("land c{}{}", level(n), if CENTRAL_ASIA.contains(&s.iso.as_str()) { " ca" } else { "" })) data-iso=(s.iso) {
                                title { (country_name(l, &s.iso)) ": " (l.tf("map.events_n", &[("n", &l.num(n))])) }
                            }
                        }
                    }
                    @for pl in &inside {
                        @let (x, y) = crate::map::project(pl.lat, pl.lon).unwrap_or_default();
                        a href=(entity_url(&pl.place.id)) {
                            circle.place cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{:.1}", 3.0 + 14.0 * (pl.count as f64 / pmax).sqrt())) data-count=(pl.count) {
                                title { (pl.place.name) ": " (l.tf("map.events_n", &[("n", &l.num(pl.count))])) }
                            }
                        }
                    }
                    @for pl in inside.iter().take(12) {
                        @let (x, y) = crate::map::project(pl.lat, pl.lon).unwrap_or_default();
                        text.label x=(format!("{:.1}", x + 6.0 + 14.0 * (pl.count as f64 / pmax).sqrt())) y=(format!("{:.1}", y + 4.0)) { (pl.place.name) }
                    }
                }
                figcaption { (l.t("map.caption")) }
            }
            div.columns {
                section {
                    h2 { (l.t("map.places")) }
                    table.plain {
                        @for pl in inside.iter().take(25) {
                            tr { td { a href=(entity_url(&pl.place.id)) { (pl.place.name) } } td.num { (l.num(pl.count)) } }
                        }
                    }
                }
                @if !outside.is_empty() {
                    section {
                        h2 { (l.t("map.elsewhere")) }
                        table.plain {
                            @for pl in outside.iter().take(25) {
                                tr { td { a href=(entity_url(&pl.place.id)) { (pl.place.name) } } td.num { (l.num(pl.count)) } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `/network`: states and organisations linked by shared events.
pub async fn network(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["from", "to", "type", "status", "kind", "limit"])?;
    let l = ctx.lang;
    let (filter, kinds, limit) = network_params(&p)?;
    let net = load_network(&st, filter, kinds.clone(), limit, l).await?;
    let max_w = net.edges.iter().map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    let max_e = net.nodes.iter().map(|n| n.events).max().unwrap_or(1).max(1) as f64;
    let pos: HashMap<&str, (f64, f64)> =
        net.nodes.iter().map(|n| (n.entity.id.as_str(), (n.x, n.y))).collect();
    let chosen_kinds = p.all("kind");
    Ok(page(
        &ctx,
        Frame {
            title: l.t("network.title").into(),
            nav: crate::pages::layout::Nav::Network,
            json: Some(link("/api/v1/analysis/network", &p, &[])),
            scripts: &["network.js"],
            lead: Some(l.t("network.lead").into()),
        },
        html! {
            (filter_form(l, "/network", &p, true, false))
            (type_chips(l, "/network", &p))
            p.typechips {
                @for k in [EntityKind::Country, EntityKind::Organization, EntityKind::Polity, EntityKind::Person] {
                    @let on = kinds.contains(&k) && (!chosen_kinds.is_empty() || crate::api::charts::DEFAULT_KINDS.contains(&k));
                    a class=(if on { "chip on" } else { "chip" }) href=(toggle("/network", &p, "kind", k.as_str())) aria-pressed=(on) { (l.t(&format!("kinds.{}", k.as_str()))) }
                }
            }
            p { (l.tf("network.showing", &[("shown", &net.nodes.len()), ("total", &net.total_nodes), ("edges", &net.edges.len()), ("c", &net.communities)])) }
            figure.chart {
                svg #network.network viewBox="0 0 1000 1000" role="img" aria-label=(l.t("network.title")) {
                    g.edges {
                        @for e in &net.edges {
                            @if let (Some(a), Some(b)) = (pos.get(e.source.as_str()), pos.get(e.target.as_str())) {
                                line x1=(a.0) y1=(a.1) x2=(b.0) y2=(b.1) stroke-width=(format!("{:.2}", 0.6 + 7.0 * (e.weight as f64 / max_w).sqrt())) data-s=(e.source) data-t=(e.target) {
                                    title { (e.source) " — " (e.target) ": " (l.tf("map.events_n", &[("n", &l.num(e.weight))])) }
                                }
                            }
                        }
                    }
                    g.nodes {
                        @for n in &net.nodes {
                            @let r = 5.0 + 22.0 * (n.events as f64 / max_e).sqrt();
                            a href=(entity_url(&n.entity.id)) data-id=(n.entity.id) {
                                circle class=(format!("node cm{} k-{}", n.community % 8, n.entity.kind)) cx=(n.x) cy=(n.y) r=(format!("{r:.1}")) {
                                    title { (n.entity.name) ": " (l.tf("map.events_n", &[("n", &l.num(n.events))])) }
                                }
                                text.nlabel x=(n.x) y=(format!("{:.1}", n.y + r + 13.0)) text-anchor="middle" { (short(&n.entity.name)) }
                            }
                        }
                    }
                }
                figcaption { (l.t("network.caption")) }
            }
            h2 { (l.t("network.table")) }
            table.data {
                thead { tr { th { (l.t("network.node")) } th.num { (l.t("network.events")) } th.num { (l.t("network.degree")) } th.num { (l.t("network.weighted")) } th.num { (l.t("network.betweenness")) } th.num { (l.t("network.community")) } } }
                tbody {
                    @for n in net.nodes.iter().take(30) {
                        tr {
                            td { a href=(entity_url(&n.entity.id)) { (n.entity.name) } }
                            td.num { (l.num(n.events)) } td.num { (n.degree) } td.num { (l.num(n.weighted_degree)) }
                            td.num { (format!("{:.3}", n.betweenness)) } td.num { (n.community + 1) }
                        }
                    }
                }
            }
        },
    ))
}

/// `/matrix`: country pairs by year as a heatmap.
pub async fn matrix(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["from", "to", "type", "status", "directed"])?;
    let l = ctx.lang;
    let directed = p.flag("directed")?;
    let m = load_matrix(&st, analysis_filter(&p)?, directed, l).await?;
    let mut totals: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut years: Vec<i32> = m.cells.iter().filter_map(|c| c.year).collect();
    years.sort_unstable();
    years.dedup();
    let (y0, y1) = (
        p.year("from")?.or(years.first().copied()).unwrap_or(2000),
        p.year("to")?.or(years.last().copied()).unwrap_or(2000),
    );
    // Many decades make cells too thin to read: show the last 40 years unless asked.
    let y0 = if p.year("from")?.is_none() && y1 - y0 > 39 { y1 - 39 } else { y0 };
    let mut cells: HashMap<(String, String, i32), u64> = HashMap::new();
    for c in &m.cells {
        *totals.entry((c.a.clone(), c.b.clone())).or_default() += c.count;
        if let Some(y) = c.year {
            cells.insert((c.a.clone(), c.b.clone(), y), c.count);
        }
    }
    let mut pairs: Vec<((String, String), u64)> = totals.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs.truncate(30);
    let max = cells.values().copied().max().unwrap_or(1).max(1) as f64;
    let q = |n: u64| if n == 0 { 0 } else { 1 + ((n as f64 / max).sqrt() * 5.99) as u32 };
    let ncols = (y1 - y0 + 1).max(1) as f64;
    let (left, top, cw, ch) = (150.0, 30.0, (850.0 / ncols).min(40.0), 18.0);
    let w = left + cw * ncols + 10.0;
    let h = top + ch * pairs.len() as f64 + 10.0;
    let step = [1, 2, 5, 10, 20, 50].into_iter().find(|s| ncols / (*s as f64) <= 20.0).unwrap_or(100);
    let name = |c: &str| {
        m.countries.iter().find(|n| n.id == c).map(|n| n.name.clone()).unwrap_or_else(|| c.to_string())
    };
    let arrow = if directed { " → " } else { " – " };
    Ok(page(
        &ctx,
        Frame {
            title: l.t("matrix.title").into(),
            nav: crate::pages::layout::Nav::Matrix,
            json: Some(link("/api/v1/analysis/matrix", &p, &[])),
            scripts: &[],
            lead: Some(l.t("matrix.lead").into()),
        },
        html! {
            (filter_form(l, "/matrix", &p, true, false))
            (type_chips(l, "/matrix", &p))
            p {
                @if directed { a href=(link("/matrix", &p, &[("directed", None)])) { (l.t("matrix.undirected")) } }
                @else { a href=(link("/matrix", &p, &[("directed", Some("true".into()))])) { (l.t("matrix.directed")) } }
                " · " span.muted { (l.t("matrix.hint")) }
            }
            @if pairs.is_empty() { p.empty { (l.t("matrix.empty")) } }
            figure.chart.scroll {
                svg #matrix.heatmap viewBox=(format!("0 0 {w:.0} {h:.0}")) width=(format!("{w:.0}")) role="img" aria-label=(l.t("matrix.title")) {
                    @for i in 0..(y1 - y0 + 1) {
                        @if (y0 + i) % step == 0 {
                            text.tick x=(format!("{:.1}", left + (i as f64 + 0.5) * cw)) y=(top - 8.0) text-anchor="middle" { (y0 + i) }
                        }
                    }
                    @for (row, ((a, b), total)) in pairs.iter().enumerate() {
                        @let y = top + row as f64 * ch;
                        text.rowlabel x=(left - 6.0) y=(format!("{:.1}", y + ch * 0.7)) text-anchor="end" { (name(a)) (arrow) (name(b)) }
                        @for i in 0..(y1 - y0 + 1) {
                            @let year = y0 + i;
                            @let n = cells.get(&(a.clone(), b.clone(), year)).copied().unwrap_or(0);
                            a href=(format!("/search?{}", qs(&[("country", a.clone()), ("country", b.clone()), ("from", year.to_string()), ("to", year.to_string())]))) {
                                rect class=(format!("q{}", q(n))) x=(format!("{:.1}", left + i as f64 * cw)) y=(format!("{y:.1}")) width=(format!("{:.1}", (cw - 1.0).max(0.5))) height=(ch - 1.0) {
                                    title { (name(a)) (arrow) (name(b)) ", " (year) ": " (l.tf("map.events_n", &[("n", &l.num(n))])) " (" (l.tf("matrix.total", &[("n", &l.num(*total))])) ")" }
                                }
                            }
                        }
                    }
                }
                figcaption { (l.t("matrix.caption")) }
            }
        },
    ))
}

/// A label short enough for the network: long names are cut at a word.
fn short(name: &str) -> String {
    if name.chars().count() <= 26 {
        return name.to_string();
    }
    let cut: String = name.chars().take(24).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a.to_string()).unwrap_or(cut);
    format!("{cut}…")
}

fn month_name(l: Lang, m: u8) -> &'static str {
    l.t(&format!("month.{m}"))
}

/// `/calendar`: planned events and jubilees by month, and the feed.
pub async fn calendar(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&["from", "to", "country", "type"])?;
    let l = ctx.lang;
    let q = calendar_query(&p)?;
    let data = calendar_data(&st, &q, l).await?;
    let feed = ics_link(&q, l);
    let cal = calendar_dto(&q, &data, l, feed.clone());
    let chosen = p.all("type");
    let jubilee_on = chosen.contains(&"jubilee");
    Ok(page(
        &ctx,
        Frame {
            title: l.t("calendar.title").into(),
            nav: crate::pages::layout::Nav::Calendar,
            json: Some(link("/api/v1/calendar", &p, &[])),
            scripts: &[],
            lead: Some(l.t("calendar.lead").into()),
        },
        html! {
            (filter_form(l, "/calendar", &p, true, true))
            p.typechips {
                a class=(if jubilee_on { "chip jubilee on" } else { "chip jubilee" }) href=(toggle("/calendar", &p, "type", "jubilee")) aria-pressed=(jubilee_on) { "★ " (l.t("calendar.jubilees")) }
                @for t in EventType::ALL {
                    @let on = chosen.contains(&t.as_str());
                    a class=(format!("chip t-{}{}", t.as_str(), if on { " on" } else { "" })) href=(toggle("/calendar", &p, "type", t.as_str())) aria-pressed=(on) { span.sw {} (type_label(l, t.as_str())) }
                }
            }
            div.subscribe {
                strong { (l.t("calendar.subscribe")) } " "
                input #ics-url type="text" readonly value=(feed) data-absolute="true" aria-label=(l.t("calendar.subscribe"));
                " " a.button href=(feed) { (l.t("calendar.download")) }
                p.small.muted { (l.t("calendar.subscribe_help")) }
            }
            p { (l.tf("calendar.showing", &[("from", &q.from), ("to", &q.to), ("events", &data.hits.len()), ("jubilees", &data.jubilees.len())])) }
            @if cal.months.is_empty() && cal.year_only_events.is_empty() && cal.year_only_jubilees.is_empty() { p.empty { (l.t("calendar.empty")) } }
            div.months {
                @for m in &cal.months {
                    section.month {
                        h2 { (month_name(l, m.month)) " " (m.year) }
                        ul.plain {
                            @for e in &m.events {
                                li.cal-event {
                                    span.day { (e.date.clone().unwrap_or_default()) } " "
                                    a href=(event_url(&e.id)) { (e.title.clone().unwrap_or_else(|| type_label(l, &e.event_type).to_string())) }
                                    " " (type_badge(l, &e.event_type))
                                }
                            }
                            @for j in &m.jubilees {
                                li.cal-jubilee.major[j.major] {
                                    span.day { (j.when) } " ★ "
                                    @if j.subject_kind == "event" { a href=(event_url(&j.subject)) { (j.title) } } @else { a href=(entity_url(&j.subject)) { (j.title) } }
                                    @if j.approximate { " " span.muted { (l.t("calendar.approximate")) } }
                                }
                            }
                        }
                    }
                }
            }
            @if !cal.year_only_events.is_empty() || !cal.year_only_jubilees.is_empty() {
                h2 { (l.t("calendar.year_only")) }
                ul.plain {
                    @for e in &cal.year_only_events {
                        li { span.day { (e.date.clone().unwrap_or_default()) } " " a href=(event_url(&e.id)) { (e.title.clone().unwrap_or_else(|| e.id.clone())) } " " (type_badge(l, &e.event_type)) }
                    }
                    @for j in &cal.year_only_jubilees {
                        li.cal-jubilee {
                            span.day { (j.when) } " ★ "
                            @if j.subject_kind == "event" { a href=(event_url(&j.subject)) { (j.title) } } @else { a href=(entity_url(&j.subject)) { (j.title) } }
                            @if j.approximate { " " span.muted { (l.t("calendar.approximate")) } }
                        }
                    }
                }
            }
        },
    ))
}
