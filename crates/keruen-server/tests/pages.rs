//! Every page renders, in English and Russian, with what it promises: highlighted
//! hits, highlighted spans linked to their facts, non-empty charts (issue 5).
mod common;
use common::*;

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[tokio::test]
async fn every_page_renders_and_links_its_json_twin() {
    let f = shared();
    let pages = [
        ("/", "/api/v1/stats"),
        ("/search?q=Almaty", "/api/v1/search?q=Almaty"),
        ("/events/demo-0001", "/api/v1/events/demo-0001"),
        ("/entities/KZ", "/api/v1/entities/KZ"),
        ("/entities?kind=place", "/api/v1/entities?kind=place"),
        ("/sources", "/api/v1/sources"),
        ("/timeline", "/api/v1/analysis/timeline"),
        ("/map", "/api/v1/analysis/map"),
        ("/network", "/api/v1/analysis/network"),
        ("/matrix", "/api/v1/analysis/matrix"),
        ("/calendar", "/api/v1/calendar"),
        ("/about", "/api/v1/stats"),
    ];
    for (page, twin) in pages {
        let r = get(&f.app, page).await;
        assert_eq!(r.status, 200, "{page}");
        assert!(r.header("content-type").starts_with("text/html"), "{page}");
        assert!(
            r.text.contains(&format!("rel=\"alternate\" type=\"application/json\" href=\"{twin}")),
            "{page} lacks its twin {twin}"
        );
        let json = get(&f.app, twin).await;
        assert_eq!(json.status, 200, "{twin}");
    }
    let r = get(&f.app, "/no-such-page").await;
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").starts_with("text/html") && r.text.contains("<h1>"));
}

#[tokio::test]
async fn search_highlights_hits_across_scripts() {
    let f = shared();
    // Алматы finds the events of Almaty and marks the Latin name in their titles.
    let r = get(&f.app, "/search?q=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B").await;
    assert!(r.text.contains("<mark>Almaty</mark>"), "{}", r.text);
    assert!(r.text.contains("href=\"/entities/place:almaty\""));
    // Facets link to narrower searches and show counts.
    assert!(r.text.contains("data-facet=\"type\""));
    assert!(r.text.contains("data-facet=\"country\" data-value=\"KZ\""));
    // A word search marks the word's inflected forms.
    let r = get(&f.app, "/search?q=festival").await;
    assert!(count(&r.text, "<mark>") > 0, "{}", r.text);
}

#[tokio::test]
async fn the_source_page_highlights_every_span_linked_to_its_fact() {
    let f = shared();
    let r = get(&f.app, &format!("/sources/{}", f.source_id)).await;
    assert_eq!(r.status, 200);
    let t = &r.text;
    assert!(t.contains("<a class=\"hl hl-entity\" href=\"/entities/place:almaty\""), "{t}");
    assert!(t.contains("<a class=\"hl hl-entity\" href=\"/entities/TM\""));
    assert!(t.contains("class=\"hl hl-timex\" title=\"Date: 2008-10-05\""));
    assert!(t.contains("class=\"hl hl-archival\" href=\"#archival\""));
    assert!(t.contains("class=\"hl hl-citation\" href=\"#ref-0\""));
    assert!(t.contains("id=\"ref-0\""));
    assert!(t.contains(&format!("class=\"ev-mark\" href=\"/events/{}\"", f.candidate_id)));
    assert!(t.contains("<span class=\"ev\">"));
    // Bibliography and archival references are listed beside the text.
    assert!(t.contains("Smith, J. 2001. Culture in Central Asia."));
    assert!(t.contains("1987") && t.contains("id=\"archival\""));
    // The event page links back to the sentence in the source.
    let e = get(&f.app, &format!("/events/{}", f.candidate_id)).await;
    assert!(e.text.contains(&format!("/sources/{}#ev-", f.source_id)), "{}", e.text);
}

#[tokio::test]
async fn charts_are_drawn_on_the_server() {
    let f = shared();
    let t = get(&f.app, "/timeline").await.text;
    assert!(count(&t, "<rect class=\"t-") > 20, "timeline bars");
    let zoomed = get(&f.app, "/timeline?from=2008&to=2012").await.text;
    assert!(zoomed.contains("data-from=\"2008\" data-to=\"2012\""));
    assert!(count(&zoomed, "<rect class=\"t-") < count(&t, "<rect class=\"t-"));
    let m = get(&f.app, "/map").await.text;
    assert!(count(&m, "<path d=\"M") >= 9, "country shapes");
    assert!(count(&m, "<circle class=\"place\"") >= 5, "places");
    assert!(m.contains("Natural Earth"));
    let n = get(&f.app, "/network").await.text;
    assert!(count(&n, "<circle class=\"node") >= 10);
    assert!(count(&n, "<line ") >= 10);
    let h = get(&f.app, "/matrix").await.text;
    assert!(count(&h, "<rect class=\"q") > 50);
    assert!(count(&h, "<rect class=\"q0\"") < count(&h, "<rect class=\"q"), "some cells are non-empty");
    let c = get(&f.app, "/calendar?from=2026&to=2030").await.text;
    assert!(c.contains("/calendar.ics?from=2026&amp;to=2030"), "the feed link keeps the filters");
    assert!(c.contains("★"), "anniversaries are listed");
}

#[tokio::test]
async fn russian_is_chosen_by_switch_cookie_or_browser_and_names_follow() {
    let f = shared();
    let r = get(&f.app, "/events/xss-event?lang=ru").await;
    assert!(r.text.contains("<html lang=\"ru\">"));
    assert!(r.text.contains("Участники") && r.text.contains("Казахстан"), "{}", r.text);
    let cookie = set_cookie(&r, "lang").expect("the choice is remembered");
    assert!(cookie.starts_with("lang=ru;") && cookie.contains("Max-Age="));
    let again = get_with(&f.app, "/search?q=Almaty", &[("cookie", "lang=ru")]).await;
    assert!(again.text.contains("Распознаны названия") && again.text.contains("Алматы"));
    let browser = get_with(&f.app, "/about", &[("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")]).await;
    assert!(browser.text.contains("Как ссылаться"));
    let en = get_with(&f.app, "/about?lang=en", &[("cookie", "lang=ru")]).await;
    assert!(en.text.contains("How to cite"));
    // The switch links keep the page and its query.
    assert!(again.text.contains("href=\"/search?q=Almaty&amp;lang=en\""), "{}", again.text);
}

#[tokio::test]
async fn assets_are_served_from_the_binary_with_long_caching() {
    let f = shared();
    let home = get(&f.app, "/").await.text;
    let i = home.find("/assets/app.css?v=").unwrap();
    let url = &home[i..i + home[i..].find('"').unwrap()];
    let css = get(&f.app, url).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("immutable"));
    for js in ["app.js", "timeline.js", "map.js", "network.js", "review.js"] {
        let r = get(&f.app, &format!("/assets/{js}")).await;
        assert_eq!(r.status, 200, "{js}");
        assert!(r.header("content-type").starts_with("text/javascript"));
    }
    assert_eq!(get(&f.app, "/assets/../Cargo.toml").await.status, 404);
}
