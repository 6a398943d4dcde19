//! iCalendar (RFC 5545) of events and jubilees, for calendar programs and feeds.
//!
//! Hand-written rather than through the `icalendar` crate: the format needs a few
//! dozen lines (escaping of TEXT values, folding of lines longer than 75 octets at
//! character boundaries, CRLF line ends), the output stays byte-for-byte
//! deterministic for a given `DTSTAMP`, and no date-time library comes along.
//!
//! Every entry is an all-day `VEVENT` (`DTSTART;VALUE=DATE`, `DTEND` exclusive) that
//! covers what the date says: a day, a span of days, a month or a year. Events whose
//! start is not known are skipped (see [`EventEntry::from_event`]).
use crate::Result;
use keruen_analysis::jubilee::Jubilee;
use keruen_model::{Day, Event, EventStatus};
use std::io::Write;

/// One all-day calendar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEntry {
    /// Globally unique id (`…@keruen`).
    pub uid: String,
    /// One-line title.
    pub summary: String,
    /// Longer text.
    pub description: String,
    /// Where, in words.
    pub location: Option<String>,
    /// First day.
    pub start: Day,
    /// Last day (inclusive).
    pub last: Day,
    /// `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    pub status: Option<&'static str>,
    /// Categories (type, sectors, flags).
    pub categories: Vec<String>,
}

fn uid_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect()
}

/// Whether a day can be written as an iCalendar DATE (years 1–9999).
fn writable(d: Day) -> bool {
    (1..=9999).contains(&d.ymd().0)
}

impl EventEntry {
    /// The entry of an event, or `None` when its first day is unknown or outside the
    /// years 1–9999. `names` turns entity ids into names.
    pub fn from_event(e: &Event, names: &dyn Fn(&str) -> String) -> Option<EventEntry> {
        let date = e.date.as_ref()?;
        let start = date.earliest()?;
        let last = date.latest().unwrap_or(start);
        if !writable(start) || !writable(last) {
            return None;
        }
        let summary =
            e.title.clone().unwrap_or_else(|| format!("{} ({})", e.event_type, e.countries().join(", ")));
        let mut description = format!("Type: {}. Date (EDTF): {date}.", e.event_type);
        if date.is_approximate() || date.is_uncertain() || date.has_unspecified() {
            description.push_str(" The date is approximate or uncertain.");
        }
        if !e.participants.is_empty() {
            let parts: Vec<String> =
                e.participants.iter().map(|p| format!("{} ({})", names(&p.entity), p.role)).collect();
            description.push_str(&format!("\nParticipants: {}.", parts.join(", ")));
        }
        if let Some(d) = &e.description {
            description.push('\n');
            description.push_str(d);
        }
        description.push_str(&format!("\nkeruen event {}", e.id));
        let location =
            (!e.places.is_empty()).then(|| e.places.iter().map(|p| names(p)).collect::<Vec<_>>().join("; "));
        let mut categories = vec![e.event_type.as_str().to_string()];
        categories.extend(e.sectors.iter().map(|s| s.as_str().to_string()));
        Some(EventEntry {
            uid: format!("event-{}@keruen", uid_part(&e.id)),
            summary,
            description,
            location,
            start,
            last,
            status: Some(match e.status {
                EventStatus::Held => "CONFIRMED",
                EventStatus::Planned => "TENTATIVE",
                EventStatus::Cancelled => "CANCELLED",
            }),
            categories,
        })
    }

    /// The entry of a jubilee, titled in `lang`. A jubilee known to the day is on that
    /// day, one known to the month covers the month; one known only to the year (or
    /// a range of years) is a one-day entry on 1 January of the first of its years
    /// that lies in `period` (first and last year asked for), its description saying
    /// so.
    pub fn from_jubilee(j: &Jubilee, lang: &str, period: (i32, i32)) -> Option<EventEntry> {
        let ru = lang == "ru";
        let (start, last, note) = match (j.range, j.month, j.day) {
            (false, Some(m), Some(d)) => {
                let day = Day::from_ymd(j.year_from, m.into(), d.into())?;
                (day, day, None)
            }
            (false, Some(m), None) => {
                let first = Day::from_ymd(j.year_from, m.into(), 1)?;
                let next = if m == 12 {
                    Day::from_ymd(j.year_from + 1, 1, 1)?
                } else {
                    Day::from_ymd(j.year_from, u32::from(m) + 1, 1)?
                };
                (first, Day(next.0 - 1), None)
            }
            _ => {
                let year = j.year_from.max(period.0).min(j.year_to);
                let day = Day::from_ymd(year, 1, 1)?;
                let note = if ru {
                    format!("Дата известна только с точностью до года ({}).", j.when())
                } else {
                    format!("The date is known only to the year ({}).", j.when())
                };
                (day, day, Some(note))
            }
        };
        if !writable(start) || !writable(last) {
            return None;
        }
        let mut description = if ru {
            format!("Исходная дата (EDTF): {}.", j.origin)
        } else {
            format!("Counted from (EDTF): {}.", j.origin)
        };
        if let Some(n) = note {
            description.push(' ');
            description.push_str(&n);
        }
        if j.approximate || j.uncertain || j.unspecified {
            description.push_str(if ru {
                " Исходная дата приблизительна или не вполне достоверна."
            } else {
                " The original date is approximate or uncertain."
            });
        }
        description.push_str(&format!("\nkeruen {} {}", j.subject_kind, j.subject));
        let mut categories = vec!["jubilee".to_string(), j.occasion.as_str().to_string()];
        if j.major {
            categories.push("major".into());
        }
        if j.approximate || j.uncertain || j.unspecified || j.range {
            categories.push("approximate".into());
        }
        Some(EventEntry {
            uid: format!("jubilee-{}-{}-{}@keruen", uid_part(&j.subject), j.occasion.as_str(), j.years),
            summary: j.title(lang),
            description,
            location: None,
            start,
            last,
            status: None,
            categories,
        })
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded so that no line exceeds 75 octets (§3.1).
fn line<W: Write + ?Sized>(out: &mut W, content: &str) -> std::io::Result<()> {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.write_all(b"\r\n ")?;
            width = 1;
        }
        let mut buf = [0; 4];
        out.write_all(c.encode_utf8(&mut buf).as_bytes())?;
        width += n;
    }
    out.write_all(b"\r\n")
}

fn ymd(d: Day) -> String {
    let (y, m, day) = d.ymd();
    format!("{y:04}{m:02}{day:02}")
}

/// Writes a calendar named `name`; `stamp` is the `DTSTAMP` (UTC, `YYYYMMDDTHHMMSSZ`).
pub fn write<W: Write + ?Sized>(
    out: &mut W,
    name: &str,
    stamp: &str,
    entries: impl IntoIterator<Item = EventEntry>,
) -> Result<()> {
    line(out, "BEGIN:VCALENDAR")?;
    line(out, "VERSION:2.0")?;
    line(out, "PRODID:-//keruen//keruen 0.1//EN")?;
    line(out, "CALSCALE:GREGORIAN")?;
    line(out, "METHOD:PUBLISH")?;
    line(out, &format!("X-WR-CALNAME:{}", escape_text(name)))?;
    for e in entries {
        line(out, "BEGIN:VEVENT")?;
        line(out, &format!("UID:{}", e.uid))?;
        line(out, &format!("DTSTAMP:{stamp}"))?;
        line(out, &format!("DTSTART;VALUE=DATE:{}", ymd(e.start)))?;
        line(out, &format!("DTEND;VALUE=DATE:{}", ymd(Day(e.last.0 + 1))))?;
        line(out, &format!("SUMMARY:{}", escape_text(&e.summary)))?;
        line(out, &format!("DESCRIPTION:{}", escape_text(&e.description)))?;
        if let Some(l) = &e.location {
            line(out, &format!("LOCATION:{}", escape_text(l)))?;
        }
        if let Some(s) = e.status {
            line(out, &format!("STATUS:{s}"))?;
        }
        if !e.categories.is_empty() {
            let cats: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
            line(out, &format!("CATEGORIES:{}", cats.join(",")))?;
        }
        line(out, "TRANSP:TRANSPARENT")?;
        line(out, "END:VEVENT")?;
    }
    line(out, "END:VCALENDAR")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{EventType, Participant, Role};

    #[test]
    fn lines_fold_at_75_octets_and_text_is_escaped() {
        let mut e = Event::new("ev,1", EventType::Festival, Some("2008-04-25/2008-05-02".parse().unwrap()));
        e.title = Some(format!("Фестиваль; {}", "очень длинное название, ".repeat(6)));
        e.participants = vec![Participant::new("KZ", Role::Host)];
        let entry = EventEntry::from_event(&e, &|id| format!("name of {id}")).unwrap();
        let mut out = Vec::new();
        write(&mut out, "Test", "20260101T000000Z", [entry]).unwrap();
        let text = String::from_utf8(out).unwrap();
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(!text.replace("\r\n", "").contains('\n'));
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:Фестиваль\\; очень длинное название\\, "), "{unfolded}");
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20080425\r\n"));
        assert!(unfolded.contains("DTEND;VALUE=DATE:20080503\r\n"));
        assert!(unfolded.contains("UID:event-ev-1@keruen"));
        assert!(unfolded.contains("Participants: name of KZ (host)."));
    }

    #[test]
    fn undated_and_open_start_events_are_skipped() {
        let e = Event::new("e", EventType::Festival, None);
        assert!(EventEntry::from_event(&e, &|s| s.into()).is_none());
        let e = Event::new("e", EventType::Festival, Some("../2001".parse().unwrap()));
        assert!(EventEntry::from_event(&e, &|s| s.into()).is_none());
        let e = Event::new("e", EventType::Festival, Some("1995-11".parse().unwrap()));
        let x = EventEntry::from_event(&e, &|s| s.into()).unwrap();
        assert_eq!((x.start.to_string(), x.last.to_string()), ("1995-11-01".into(), "1995-11-30".into()));
    }
}
