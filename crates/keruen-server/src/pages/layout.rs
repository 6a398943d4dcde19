//! The frame of every page: header with navigation, language switch and sign-in,
//! the footer with the link to the page's JSON twin; and small shared pieces.
use crate::assets;
use crate::auth::{Ctx, Role};
use crate::i18n::Lang;
use maud::{DOCTYPE, Markup, html};

/// A path segment with everything but unreserved characters (and `:`) escaped.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string from pairs.
pub fn qs(pairs: &[(&str, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The link of an event, entity or source page.
pub fn event_url(id: &str) -> String {
    format!("/events/{}", enc(id))
}
/// The link of an entity page.
pub fn entity_url(id: &str) -> String {
    format!("/entities/{}", enc(id))
}
/// The link of a source page.
pub fn source_url(id: &str) -> String {
    format!("/sources/{}", enc(id))
}

/// Which section of the navigation a page belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Home,
    Search,
    Timeline,
    Map,
    Network,
    Matrix,
    Calendar,
    Review,
    About,
    None,
}

/// What a page is, besides its body.
pub struct Frame<'a> {
    /// The `<title>` and `<h1>`.
    pub title: String,
    /// The navigation entry to mark.
    pub nav: Nav,
    /// The JSON twin of the page.
    pub json: Option<String>,
    /// Scripts of the page (asset names).
    pub scripts: &'a [&'a str],
    /// A line under the title explaining what the page shows.
    pub lead: Option<String>,
}

fn switch_url(ctx: &Ctx, lang: Lang) -> String {
    let sep = if ctx.here.contains('?') { '&' } else { '?' };
    format!("{}{sep}lang={}", ctx.here, lang.code())
}

/// A whole page.
pub fn page(ctx: &Ctx, frame: Frame<'_>, body: Markup) -> Markup {
    let l = ctx.lang;
    let items: [(Nav, &str, &str); 8] = [
        (Nav::Search, "/search", "nav.search"),
        (Nav::Timeline, "/timeline", "nav.timeline"),
        (Nav::Map, "/map", "nav.map"),
        (Nav::Network, "/network", "nav.network"),
        (Nav::Matrix, "/matrix", "nav.matrix"),
        (Nav::Calendar, "/calendar", "nav.calendar"),
        (Nav::Review, "/review", "nav.review"),
        (Nav::About, "/about", "nav.about"),
    ];
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (frame.title) " — keruen" }
                link rel="stylesheet" href=(assets::url("app.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                @if let Some(j) = &frame.json {
                    link rel="alternate" type="application/json" href=(j);
                }
                script src=(assets::url("app.js")) defer {}
                @for s in frame.scripts {
                    script src=(assets::url(s)) defer {}
                }
            }
            body {
                a.skip href="#main" { (l.t("nav.skip")) }
                header.top {
                    a.brand href="/" title=(l.t("brand.title")) {
                        span.logo aria-hidden="true" { "◈" }
                        span { "keruen" }
                    }
                    nav.main aria-label=(l.t("nav.label")) {
                        @for (nav, href, key) in items {
                            @if nav != Nav::Review || ctx.role() >= Role::Editor {
                                a href=(href) aria-current=[(nav == frame.nav).then_some("page")] { (l.t(key)) }
                            }
                        }
                    }
                    div.tools {
                        form.quick action="/search" method="get" role="search" {
                            input type="search" name="q" placeholder=(l.t("search.placeholder_short")) aria-label=(l.t("search.label"));
                        }
                        span.langs {
                            @for other in Lang::ALL {
                                @if other == l {
                                    strong lang=(other.code()) { (other.code().to_uppercase()) }
                                } @else {
                                    a href=(switch_url(ctx, other)) lang=(other.code()) hreflang=(other.code()) title=(other.native_name()) data-lang=(other.code()) { (other.code().to_uppercase()) }
                                }
                            }
                        }
                        @match &ctx.user {
                            Some(u) => {
                                form.logout action="/logout" method="post" {
                                    input type="hidden" name="csrf" value=[ctx.csrf.as_deref()];
                                    span.user title=(l.t(&format!("role.{}", u.role.as_str()))) { (u.name) }
                                    " "
                                    button.link type="submit" { (l.t("auth.sign_out")) }
                                }
                            }
                            None => a.signin href="/login" { (l.t("auth.sign_in")) },
                        }
                    }
                }
                main #main {
                    h1 { (frame.title) }
                    @if let Some(lead) = &frame.lead { p.lead { (lead) } }
                    (body)
                }
                footer {
                    p {
                        (l.t("footer.about")) " "
                        a href="/about" { (l.t("nav.about")) } " · "
                        @if let Some(j) = &frame.json {
                            a href=(j) { (l.t("footer.json")) } " · "
                        }
                        a href="/api/openapi.json" { (l.t("footer.api")) }
                    }
                }
            }
        }
    }
}

/// The label of an event type.
pub fn type_label(l: Lang, t: &str) -> &'static str {
    l.t(&format!("type.{t}"))
}

/// A coloured badge of an event type.
pub fn type_badge(l: Lang, t: &str) -> Markup {
    html! { span class=(format!("badge t-{t}")) { (type_label(l, t)) } }
}

/// A badge of a review status other than accepted.
pub fn review_badge(l: Lang, review: &str) -> Markup {
    html! {
        @if review != "accepted" {
            span class=(format!("badge r-{review}")) title=(l.t(&format!("review.{review}_help"))) { (l.t(&format!("review.{review}"))) }
        }
    }
}

/// A date for reading: the EDTF value with a word for its qualifiers.
pub fn date_label(l: Lang, edtf: Option<&str>) -> Markup {
    html! {
        @match edtf {
            Some(d) => time title=(l.tf("date.edtf", &[("value", &d)])) { (d) },
            None => span.muted { (l.t("date.undated")) },
        }
    }
}

/// A list of events (search results, entity and source pages).
pub fn event_list(
    l: Lang,
    hits: &[crate::api::dto::EventHit],
    words: &[String],
    phrases: &[String],
) -> Markup {
    html! {
        ol.events {
            @for h in hits {
                li {
                    div.when { (date_label(l, h.date.as_deref())) }
                    div.what {
                        a.title href=(event_url(&h.id)) {
                            @match &h.title {
                                Some(t) => (crate::highlight::marked(t, words, phrases)),
                                None => (type_label(l, &h.event_type)),
                            }
                        }
                        div.meta {
                            (type_badge(l, &h.event_type))
                            @for c in &h.countries {
                                " " a.cc href=(entity_url(c)) title=(country_name(l, c)) { (c) }
                            }
                            @if h.status != "held" {
                                " " span class=(format!("badge s-{}", h.status)) { (l.t(&format!("status.{}", h.status))) }
                            }
                            " " (review_badge(l, &h.review))
                        }
                    }
                }
            }
        }
    }
}

/// A short help box.
pub fn help(l: Lang, key: &str) -> Markup {
    html! { details.help { summary { (l.t("help.title")) } p { (l.t(key)) } } }
}

/// The name of a state (from the gazetteer), or its code.
pub fn country_name(l: Lang, code: &str) -> String {
    keruen_gazetteer::Gazetteer::builtin()
        .get(code)
        .map(|e| e.entity.display_name(l.code()).to_string())
        .or_else(|| crate::map::shapes().iter().find(|s| s.iso == code).map(|s| s.name.clone()))
        .unwrap_or_else(|| code.to_string())
}
