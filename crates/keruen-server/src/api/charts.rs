//! The analysis endpoints: timeline, map, matrix, network, and the Cultural Calendar
//! with its iCalendar feed.
use super::dto::*;
use super::read::api_lang;
use crate::analysis;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::i18n::Lang;
use crate::params::{Params, search_query};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use keruen_analysis::Filter;
use keruen_analysis::jubilee::{JubileeQuery, jubilees};
use keruen_analysis::network::{NetworkOptions, network};
use keruen_model::{Edtf, EntityKind, EventStatus, EventType};
use keruen_store::SearchQuery;
use std::collections::{BTreeMap, HashMap};

/// The parameters the timeline and the map accept: a search's, without paging.
const FILTER_PARAMS: &[&str] = &["q", "type", "country", "from", "to", "sector", "status", "candidates"];

pub(crate) async fn load_timeline(st: &AppState, q: SearchQuery) -> ApiResult<Timeline> {
    let counts = st.run(move |s| Ok(s.year_type_counts(&q)?)).await?;
    let from = counts.first().map(|c| c.year);
    let to = counts.last().map(|c| c.year);
    Ok(Timeline {
        from,
        to,
        total: counts.iter().map(|c| c.count).sum(),
        counts: counts
            .into_iter()
            .map(|c| YearTypeCount { year: c.year, event_type: c.event_type.as_str().into(), count: c.count })
            .collect(),
    })
}

/// Events per year and type: the data of the timeline.
#[utoipa::path(get, path = "/api/v1/analysis/timeline", tag = "analysis", params(super::read::SearchParams),
    responses((status = 200, body = Timeline), (status = 400, body = ErrorBody)))]
pub async fn timeline(State(st): State<AppState>, p: Params) -> ApiResult<Json<Timeline>> {
    p.only(FILTER_PARAMS)?;
    Ok(Json(load_timeline(&st, search_query(&p, false)?).await?))
}

pub(crate) async fn load_map(st: &AppState, q: SearchQuery, lang: Lang) -> ApiResult<MapData> {
    let index = st.index.clone();
    let (places, results) = st
        .run(move |s| {
            let places = s.place_counts(&q)?;
            let r = index.search(&SearchQuery { facets: true, limit: Some(1), cursor: None, ..q })?;
            Ok((places, r))
        })
        .await?;
    let facets = results.facets.unwrap_or_default();
    Ok(MapData {
        places: places
            .iter()
            .map(|p| MapPlace {
                place: NamedEntity::new(&p.place, lang.code()),
                lat: p.lat,
                lon: p.lon,
                count: p.count,
            })
            .collect(),
        countries: facets.countries.into_iter().map(|f| Facet { value: f.value, count: f.count }).collect(),
        total: results.total,
    })
}

/// Places with coordinates and their events, and events per state: the data of the map.
#[utoipa::path(get, path = "/api/v1/analysis/map", tag = "analysis", params(super::read::SearchParams),
    responses((status = 200, body = MapData), (status = 400, body = ErrorBody)))]
pub async fn map(State(st): State<AppState>, p: Params) -> ApiResult<Json<MapData>> {
    p.only(FILTER_PARAMS)?;
    let lang = api_lang(&p)?;
    Ok(Json(load_map(&st, search_query(&p, false)?, lang).await?))
}

/// The filter of the matrix and the network: years, types, statuses.
pub(crate) fn analysis_filter(p: &Params) -> ApiResult<Filter> {
    let f = Filter {
        from: p.year("from")?,
        to: p.year("to")?,
        types: p.list::<EventType>("type")?,
        statuses: p.list::<EventStatus>("status")?,
    };
    f.validate()?;
    Ok(f)
}

async fn names_of(st: &AppState, keys: Vec<String>, lang: Lang) -> ApiResult<HashMap<String, NamedEntity>> {
    let names = st.run(move |s| Ok(s.names(&keys)?)).await?;
    Ok(names.iter().map(|n| (n.id.clone(), NamedEntity::new(n, lang.code()))).collect())
}

pub(crate) async fn load_matrix(
    st: &AppState,
    filter: Filter,
    directed: bool,
    lang: Lang,
) -> ApiResult<MatrixDto> {
    let facts = analysis::facts(st).await?;
    let m = keruen_analysis::matrix::matrix(&facts, &filter, directed);
    let names = names_of(st, m.countries.clone(), lang).await?;
    Ok(MatrixDto {
        directed: m.directed,
        countries: m
            .countries
            .iter()
            .map(|c| names.get(c).cloned().unwrap_or_else(|| NamedEntity::unknown(c)))
            .collect(),
        cells: m
            .cells
            .into_iter()
            .map(|c| MatrixCell {
                a: c.a,
                b: c.b,
                year: c.year,
                count: c.count,
                by_type: c.by_type.into_iter().map(|(k, v)| (k.as_str().to_string(), v)).collect(),
                by_sector: c.by_sector.into_iter().map(|(k, v)| (k.as_str().to_string(), v)).collect(),
            })
            .collect(),
    })
}

/// The country-pair-by-year matrix: events two states took part in together.
#[utoipa::path(get, path = "/api/v1/analysis/matrix", tag = "analysis",
    params(("from" = Option<i32>, Query, description = "First year"), ("to" = Option<i32>, Query, description = "Last year"),
        ("type" = Option<Vec<String>>, Query, description = "Event types"),
        ("status" = Option<Vec<String>>, Query, description = "Statuses (held and planned by default)"),
        ("directed" = Option<bool>, Query, description = "Host → guest pairs"),
        ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, body = MatrixDto), (status = 400, body = ErrorBody)))]
pub async fn matrix(State(st): State<AppState>, p: Params) -> ApiResult<Json<MatrixDto>> {
    p.only(&["from", "to", "type", "status", "directed"])?;
    let lang = api_lang(&p)?;
    Ok(Json(load_matrix(&st, analysis_filter(&p)?, p.flag("directed")?, lang).await?))
}

/// Kinds of node the network shows by default: states and organisations.
pub(crate) const DEFAULT_KINDS: [EntityKind; 3] =
    [EntityKind::Country, EntityKind::Organization, EntityKind::Polity];

pub(crate) async fn load_network(
    st: &AppState,
    filter: Filter,
    kinds: Vec<EntityKind>,
    limit: usize,
    lang: Lang,
) -> ApiResult<NetworkDto> {
    let facts = analysis::facts(st).await?;
    let options = NetworkOptions { filter, kinds, min_weight: 1 };
    let net =
        tokio::task::spawn_blocking(move || network(&facts, &options)).await.map_err(ApiError::internal)?;
    // The heaviest nodes, grouped by community for the layout's starting circle.
    let mut order: Vec<usize> = (0..net.nodes.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&net.nodes[a], &net.nodes[b]);
        y.weighted_degree.cmp(&x.weighted_degree).then_with(|| x.id.cmp(&y.id))
    });
    order.truncate(limit);
    order.sort_by(|&a, &b| {
        let (x, y) = (&net.nodes[a], &net.nodes[b]);
        x.community
            .cmp(&y.community)
            .then(y.weighted_degree.cmp(&x.weighted_degree))
            .then_with(|| x.id.cmp(&y.id))
    });
    let index: HashMap<&str, usize> =
        order.iter().enumerate().map(|(i, &n)| (net.nodes[n].id.as_str(), i)).collect();
    let edges: Vec<&keruen_analysis::network::Edge> = net
        .edges
        .iter()
        .filter(|e| index.contains_key(e.source.as_str()) && index.contains_key(e.target.as_str()))
        .collect();
    let weighted: Vec<(usize, usize, f64)> =
        edges.iter().map(|e| (index[e.source.as_str()], index[e.target.as_str()], e.weight as f64)).collect();
    let n = order.len();
    let pos = tokio::task::spawn_blocking(move || crate::layout::layout(n, &weighted, 300))
        .await
        .map_err(ApiError::internal)?;
    let keys: Vec<String> = order.iter().map(|&i| net.nodes[i].id.clone()).collect();
    let names = names_of(st, keys, lang).await?;
    Ok(NetworkDto {
        nodes: order
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                let node = &net.nodes[k];
                NodeDto {
                    entity: names.get(&node.id).cloned().unwrap_or_else(|| NamedEntity::unknown(&node.id)),
                    events: node.events,
                    degree: node.degree,
                    weighted_degree: node.weighted_degree,
                    betweenness: node.betweenness,
                    community: node.community,
                    x: (pos[i].0 * 10.0).round() / 10.0,
                    y: (pos[i].1 * 10.0).round() / 10.0,
                }
            })
            .collect(),
        edges: edges
            .iter()
            .map(|e| EdgeDto { source: e.source.clone(), target: e.target.clone(), weight: e.weight })
            .collect(),
        total_nodes: net.nodes.len(),
        communities: net.communities,
        modularity: net.modularity,
    })
}

/// The parameters of the network, read.
pub(crate) fn network_params(p: &Params) -> ApiResult<(Filter, Vec<EntityKind>, usize)> {
    let kinds = p.list::<EntityKind>("kind")?;
    let kinds = if kinds.is_empty() { DEFAULT_KINDS.to_vec() } else { kinds };
    Ok((analysis_filter(p)?, kinds, p.limit(40, 300)?))
}

/// The cooperation network: states and organisations linked by shared events.
#[utoipa::path(get, path = "/api/v1/analysis/network", tag = "analysis",
    params(("from" = Option<i32>, Query, description = "First year"), ("to" = Option<i32>, Query, description = "Last year"),
        ("type" = Option<Vec<String>>, Query, description = "Event types"),
        ("status" = Option<Vec<String>>, Query, description = "Statuses"),
        ("kind" = Option<Vec<String>>, Query, description = "Kinds of node (default country, organization, polity)"),
        ("limit" = Option<usize>, Query, description = "Nodes shown, the heaviest first, 1–300 (default 40)"),
        ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, body = NetworkDto), (status = 400, body = ErrorBody)))]
pub async fn network_api(State(st): State<AppState>, p: Params) -> ApiResult<Json<NetworkDto>> {
    p.only(&["from", "to", "type", "status", "kind", "limit"])?;
    let lang = api_lang(&p)?;
    let (filter, kinds, limit) = network_params(&p)?;
    Ok(Json(load_network(&st, filter, kinds, limit, lang).await?))
}

/// What the calendar shows.
#[derive(Debug, Clone)]
pub(crate) struct CalendarQuery {
    pub from: i32,
    pub to: i32,
    pub country: Option<String>,
    /// Event types; empty is all.
    pub types: Vec<EventType>,
    /// Show jubilees (true unless types were given without `jubilee`).
    pub jubilees: bool,
    /// Show planned events (false when only `jubilee` was asked for).
    pub events: bool,
}

pub(crate) fn this_year() -> i32 {
    jiff::Timestamp::now().strftime("%Y").to_string().parse().unwrap_or(2026)
}

pub(crate) fn calendar_query(p: &Params) -> ApiResult<CalendarQuery> {
    let now = this_year();
    let from = p.year("from")?.unwrap_or(now);
    let to = p.year("to")?.unwrap_or(from.max(now) + 1);
    if to < from {
        return Err(ApiError::invalid("to", "`to` is before `from`: give `from` first"));
    }
    if to - from > 20 {
        return Err(ApiError::invalid("to", "the calendar covers at most 20 years at a time"));
    }
    let mut types = Vec::new();
    let mut jubilee = false;
    for t in p.all("type") {
        if t == "jubilee" {
            jubilee = true;
        } else {
            types.push(
                t.parse::<EventType>()
                    .map_err(|e| ApiError::invalid("type", format!("`type`: {e}; or jubilee")))?,
            );
        }
    }
    let any = !types.is_empty() || jubilee;
    let country = p.countries("country")?;
    if country.len() > 1 {
        return Err(ApiError::invalid("country", "the calendar takes one country at a time"));
    }
    Ok(CalendarQuery {
        from,
        to,
        country: country.into_iter().next(),
        jubilees: !any || jubilee,
        events: !any || !types.is_empty(),
        types,
    })
}

/// The calendar's raw material: planned events (whole, for the feed) and jubilees.
pub(crate) struct CalendarData {
    pub events: Vec<keruen_model::Event>,
    pub hits: Vec<keruen_store::EventHit>,
    pub jubilees: Vec<keruen_analysis::jubilee::Jubilee>,
}

pub(crate) async fn calendar_data(st: &AppState, q: &CalendarQuery, lang: Lang) -> ApiResult<CalendarData> {
    let mut hits = Vec::new();
    let mut events = Vec::new();
    if q.events {
        let sq = SearchQuery {
            types: q.types.clone(),
            countries: q.country.iter().cloned().collect(),
            from: Some(Edtf::year_only(q.from)),
            to: Some(Edtf::year_only(q.to)),
            statuses: vec![EventStatus::Planned],
            limit: Some(500),
            ..SearchQuery::default()
        };
        let index = st.index.clone();
        let (h, e) = st
            .run(move |s| {
                let r = index.search(&sq)?;
                let mut full = Vec::new();
                for h in &r.hits {
                    full.extend(s.event(&h.id)?);
                }
                Ok((r.hits, full))
            })
            .await?;
        hits = h;
        events = e;
    }
    let mut js = Vec::new();
    if q.jubilees {
        let inputs = analysis::calendar_inputs(st).await?;
        let jq =
            JubileeQuery { from: q.from, to: q.to, country: q.country.clone(), lang: lang.code().into() };
        js = jubilees(inputs.entities.iter(), inputs.events.iter(), &jq)?;
    }
    Ok(CalendarData { events, hits, jubilees: js })
}

fn jubilee_dto(j: &keruen_analysis::jubilee::Jubilee, lang: Lang) -> JubileeDto {
    JubileeDto {
        subject: j.subject.clone(),
        subject_kind: j.subject_kind.into(),
        title: j.title(lang.code()),
        occasion: j.occasion.as_str().into(),
        years: j.years,
        when: j.when(),
        month: j.month,
        major: j.major,
        approximate: j.approximate || j.uncertain || j.unspecified || j.range,
        countries: j.countries.clone(),
    }
}

/// The month an EDTF date falls in, when it is known to the month.
fn month_of(date: Option<&str>) -> Option<(i32, u8)> {
    let d: Edtf = date?.parse().ok()?;
    let (lo, hi) = (d.earliest()?, d.latest()?);
    let (y, m, _) = lo.ymd();
    let (y2, m2, _) = hi.ymd();
    // Known to the month: the date's first and last day lie within two months.
    let span = (y2 - y) * 12 + (m2 as i32 - m as i32);
    (span <= 1).then_some((y, m as u8))
}

pub(crate) fn calendar_dto(q: &CalendarQuery, data: &CalendarData, lang: Lang, ics: String) -> CalendarDto {
    let mut months: BTreeMap<(i32, u8), CalendarMonth> = BTreeMap::new();
    let mut year_only_events = Vec::new();
    for h in &data.hits {
        match month_of(h.date.as_deref()) {
            Some((y, m)) => months
                .entry((y, m))
                .or_insert_with(|| CalendarMonth { year: y, month: m, events: vec![], jubilees: vec![] })
                .events
                .push(h.clone().into()),
            None => year_only_events.push(h.clone().into()),
        }
    }
    let mut year_only_jubilees = Vec::new();
    for j in &data.jubilees {
        match (j.range, j.month) {
            (false, Some(m)) => months
                .entry((j.year_from, m))
                .or_insert_with(|| CalendarMonth {
                    year: j.year_from,
                    month: m,
                    events: vec![],
                    jubilees: vec![],
                })
                .jubilees
                .push(jubilee_dto(j, lang)),
            _ => year_only_jubilees.push(jubilee_dto(j, lang)),
        }
    }
    CalendarDto {
        from: q.from,
        to: q.to,
        months: months.into_values().collect(),
        year_only_events,
        year_only_jubilees,
        ics,
    }
}

/// The query string of the calendar's feed.
pub(crate) fn ics_link(q: &CalendarQuery, lang: Lang) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("from", q.from.to_string()), ("to", q.to.to_string())];
    if let Some(c) = &q.country {
        pairs.push(("country", c.clone()));
    }
    for t in &q.types {
        pairs.push(("type", t.as_str().into()));
    }
    if q.jubilees && !q.types.is_empty() {
        pairs.push(("type", "jubilee".into()));
    }
    pairs.push(("lang", lang.code().into()));
    format!("/calendar.ics?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

const CALENDAR_PARAMS: &[&str] = &["from", "to", "country", "type"];

/// The Cultural Calendar: planned events and round anniversaries by month.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar",
    params(("from" = Option<i32>, Query, description = "First year (default this year)"),
        ("to" = Option<i32>, Query, description = "Last year (default next year; at most 20 years)"),
        ("country" = Option<String>, Query, description = "One state (ISO code)"),
        ("type" = Option<Vec<String>>, Query, description = "Event types, and `jubilee` for anniversaries"),
        ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, body = CalendarDto), (status = 400, body = ErrorBody)))]
pub async fn calendar(State(st): State<AppState>, p: Params) -> ApiResult<Json<CalendarDto>> {
    p.only(CALENDAR_PARAMS)?;
    let lang = api_lang(&p)?;
    let q = calendar_query(&p)?;
    let data = calendar_data(&st, &q, lang).await?;
    Ok(Json(calendar_dto(&q, &data, lang, ics_link(&q, lang))))
}

/// The iCalendar (RFC 5545) feed of the calendar, for calendar programs.
#[utoipa::path(get, path = "/calendar.ics", tag = "calendar",
    params(("from" = Option<i32>, Query, description = "First year"), ("to" = Option<i32>, Query, description = "Last year"),
        ("country" = Option<String>, Query, description = "One state (ISO code)"),
        ("type" = Option<Vec<String>>, Query, description = "Event types, and `jubilee`"),
        ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 400, body = ErrorBody)))]
pub async fn calendar_ics(State(st): State<AppState>, p: Params) -> ApiResult<Response> {
    p.only(CALENDAR_PARAMS)?;
    let lang = api_lang(&p)?;
    let q = calendar_query(&p)?;
    let data = calendar_data(&st, &q, lang).await?;
    let mut keys: Vec<String> = data
        .events
        .iter()
        .flat_map(|e| e.participants.iter().map(|p| p.entity.clone()).chain(e.places.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    let names = names_of(&st, keys, lang).await?;
    let name = |id: &str| names.get(id).map(|n| n.name.clone()).unwrap_or_else(|| id.to_string());
    let mut entries: Vec<keruen_export::ical::EventEntry> =
        data.events.iter().filter_map(|e| keruen_export::ical::EventEntry::from_event(e, &name)).collect();
    entries.extend(
        data.jubilees
            .iter()
            .filter_map(|j| keruen_export::ical::EventEntry::from_jubilee(j, lang.code(), (q.from, q.to))),
    );
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let title = match &q.country {
        Some(c) => format!("{} — {c}", lang.t("calendar.feed_name")),
        None => lang.t("calendar.feed_name").to_string(),
    };
    let mut out = Vec::new();
    keruen_export::ical::write(&mut out, &title, &stamp, entries).map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"keruen.ics\""),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        out,
    )
        .into_response())
}
