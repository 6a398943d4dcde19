//! How alike two events are: the score behind duplicate proposals, the same on every
//! backend. A backend finds the pairs worth scoring (same type, dates at most
//! [`MAX_GAP_DAYS`] apart, a participant or place in common), ranks them with the
//! parts of the score ([`date_score`], [`participant_score`], [`place_score`],
//! [`combine`]) on whatever compact form it holds, and explains the best with
//! [`score`], which gives the same number from whole events.
use keruen_model::Event;

/// Dates further apart than this are never proposed as one event.
pub const MAX_GAP_DAYS: i32 = 31;

/// Proposals below this score are not shown unless asked for.
pub const DEFAULT_MIN_SCORE: f32 = 0.6;

/// Weight of the dates in the score; participants weigh [`W_PARTICIPANTS`], places
/// the rest. Dates and participants decide; a place only tips the balance (sources
/// often name the city in one report and only the country in another).
const W_DATE: f32 = 0.45;
const W_PARTICIPANTS: f32 = 0.4;
const W_PLACES: f32 = 0.15;

/// How alike two date ranges (days, inclusive) are, 0…1, or `None` when they lie
/// more than [`MAX_GAP_DAYS`] apart. `same` says the two dates are written alike.
pub fn date_score(a: (i32, i32), b: (i32, i32), same: bool) -> Option<f32> {
    let gap = (b.0 - a.1).max(a.0 - b.1);
    if same {
        Some(1.0)
    } else if gap <= 0 {
        Some(0.9)
    } else if gap <= 7 {
        Some(0.75)
    } else if gap <= MAX_GAP_DAYS {
        Some(0.5)
    } else {
        None
    }
}

/// The share of participants in common (Jaccard), from the sizes of the two sets and
/// of their intersection; 0.5 when neither names any.
pub fn participant_score(a: usize, b: usize, shared: usize) -> f32 {
    let union = a + b - shared;
    if union == 0 { 0.5 } else { shared as f32 / union as f32 }
}

/// 1 when the two share a place, 0 when both name places but none in common, 0.5
/// when one of them names none.
pub fn place_score(a: usize, b: usize, shared: usize) -> f32 {
    if a == 0 || b == 0 {
        0.5
    } else if shared == 0 {
        0.0
    } else {
        1.0
    }
}

/// The score from its three parts, rounded to hundredths.
pub fn combine(date: f32, participants: f32, places: f32) -> f32 {
    let total = W_DATE * date + W_PARTICIPANTS * participants + W_PLACES * places;
    (total * 100.0).round() / 100.0
}

/// The number of values two sorted, deduplicated slices have in common.
pub fn shared_count<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The score of two events (0…1) and the reasons, or `None` when they cannot be the
/// same event (different types, undated, dates too far apart).
pub fn score(a: &Event, b: &Event) -> Option<(f32, Vec<String>)> {
    if a.event_type != b.event_type {
        return None;
    }
    let mut reasons = vec![format!("same type {}", a.event_type)];
    let (da, db) = (a.date.as_ref()?, b.date.as_ref()?);
    let ((Some(alo), Some(ahi)), (Some(blo), Some(bhi))) = (da.bounds(), db.bounds()) else {
        return None;
    };
    let date = date_score((alo.0, ahi.0), (blo.0, bhi.0), da == db)?;
    let gap = (blo.0 - ahi.0).max(alo.0 - bhi.0);
    reasons.push(if da == db {
        format!("same date {da}")
    } else if gap <= 0 {
        format!("dates overlap: {da} and {db}")
    } else {
        format!("dates {gap} day{} apart: {da} and {db}", if gap == 1 { "" } else { "s" })
    });

    let (pa, pb) = (participant_set(a), participant_set(b));
    let shared: Vec<&str> = pa.iter().filter(|x| pb.contains(x)).copied().collect();
    let participants = participant_score(pa.len(), pb.len(), shared.len());
    if !pa.is_empty() && pa == pb {
        reasons.push(format!("same participants {}", pa.join(" ")));
    } else if !shared.is_empty() {
        reasons.push(format!(
            "participants in common {} (of {} / {})",
            shared.join(" "),
            pa.join(" "),
            pb.join(" ")
        ));
    } else if !pa.is_empty() || !pb.is_empty() {
        reasons.push(format!("no participant in common ({} / {})", pa.join(" "), pb.join(" ")));
    }

    let (la, lb) = (sorted(&a.places), sorted(&b.places));
    let shared_places: Vec<&str> = la.iter().filter(|p| lb.contains(p)).copied().collect();
    let places = place_score(la.len(), lb.len(), shared_places.len());
    if !la.is_empty() && !lb.is_empty() {
        if shared_places.is_empty() {
            reasons.push(format!("different places ({} / {})", la.join(" "), lb.join(" ")));
        } else {
            reasons.push(format!("same place {}", shared_places.join(" ")));
        }
    }

    let sources = |e: &Event| e.evidence.iter().map(|v| v.source.clone()).collect::<Vec<_>>();
    let (sa, sb) = (sources(a), sources(b));
    if !sa.is_empty() && sa.iter().all(|s| sb.contains(s)) && sb.iter().all(|s| sa.contains(s)) {
        reasons.push(format!("both from {}", sa.join(", ")));
    } else if !sa.is_empty() && !sb.is_empty() {
        reasons.push(format!("attested by {} and {}", sa.join(", "), sb.join(", ")));
    }
    Some((combine(date, participants, places), reasons))
}

fn sorted(ids: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = ids.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Participant ids, sorted, without repeats.
fn participant_set(e: &Event) -> Vec<&str> {
    let mut v: Vec<&str> = e.participants.iter().map(|p| p.entity.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{EventType, Evidence, Participant, Role};

    fn ev(t: EventType, date: &str, countries: &[&str], place: &str, source: &str) -> Event {
        let mut e = Event::new(format!("{source}-{date}"), t, Some(date.parse().unwrap()));
        e.participants = countries.iter().map(|c| Participant::new(*c, Role::Participant)).collect();
        if !place.is_empty() {
            e.places = vec![place.into()];
        }
        e.evidence = vec![Evidence::new(source, "x@1")];
        e
    }

    #[test]
    fn the_same_event_three_days_apart_is_proposed() {
        let a = ev(EventType::CultureDays, "2007-10-12", &["KZ", "UZ"], "place:almaty", "src-a");
        let b = ev(EventType::CultureDays, "2007-10-15", &["UZ", "KZ"], "place:almaty", "src-b");
        let (s, reasons) = score(&a, &b).unwrap();
        assert!(s >= DEFAULT_MIN_SCORE, "{s}");
        assert!(reasons.iter().any(|r| r == "dates 3 days apart: 2007-10-12 and 2007-10-15"), "{reasons:?}");
        assert!(reasons.iter().any(|r| r == "same participants KZ UZ"), "{reasons:?}");
        assert!(reasons.iter().any(|r| r == "attested by src-a and src-b"), "{reasons:?}");
        // Symmetric.
        assert_eq!(score(&b, &a).unwrap().0, s);
    }

    #[test]
    fn an_identical_report_scores_highest() {
        let a = ev(EventType::Festival, "2009-08", &["KG", "KZ", "UZ"], "place:samarkand", "src-a");
        let b = ev(EventType::Festival, "2009-08", &["KG", "KZ", "UZ"], "place:samarkand", "src-b");
        assert_eq!(score(&a, &b).unwrap().0, 1.0);
        // A month inside the year overlaps it.
        let c = ev(EventType::Festival, "2009", &["KG", "KZ", "UZ"], "place:samarkand", "src-c");
        let (s, reasons) = score(&a, &c).unwrap();
        assert!(s > 0.9 && s < 1.0, "{s}");
        assert!(reasons[1].starts_with("dates overlap"), "{reasons:?}");
    }

    #[test]
    fn different_types_far_dates_or_no_date_are_never_proposed() {
        let a = ev(EventType::CultureDays, "2007-10-12", &["KZ", "UZ"], "", "src-a");
        assert!(score(&a, &ev(EventType::Festival, "2007-10-12", &["KZ", "UZ"], "", "src-b")).is_none());
        assert!(score(&a, &ev(EventType::CultureDays, "2007-12-12", &["KZ", "UZ"], "", "src-b")).is_none());
        let mut undated = a.clone();
        undated.date = None;
        assert!(score(&a, &undated).is_none());
    }

    #[test]
    fn shared_counts_walk_sorted_lists() {
        assert_eq!(shared_count(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(shared_count::<i64>(&[], &[1]), 0);
        assert_eq!(combine(1.0, 1.0, 1.0), 1.0);
        assert_eq!(date_score((0, 0), (40, 40), false), None);
        assert_eq!(date_score((0, 30), (40, 40), false), Some(0.5));
    }

    #[test]
    fn other_participants_and_places_lower_the_score() {
        let a = ev(EventType::CultureDays, "2007-10-12", &["KZ", "UZ"], "place:almaty", "src-a");
        let b = ev(EventType::CultureDays, "2007-10-12", &["TJ", "TM"], "place:dushanbe", "src-b");
        let (s, reasons) = score(&a, &b).unwrap();
        assert!(s < DEFAULT_MIN_SCORE, "{s}");
        assert!(reasons.iter().any(|r| r.starts_with("no participant in common")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.starts_with("different places")), "{reasons:?}");
    }
}
