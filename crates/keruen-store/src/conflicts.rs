//! Conflicting evidence, computed from an [`EventState`] the same way on every
//! backend: what each piece of evidence claims for the date, the states, the places
//! and the type, and which value the event holds.
use crate::curation::{ClaimSupport, ClaimedValue, ConflictField, EventConflicts, EventState, FieldConflict};
use crate::{Result, StoreError};
use keruen_model::{Claim, Event, Participant, Role};

/// The value of `field` in the notation of [`ClaimedValue::value`]; `None` when the
/// claim says nothing about it.
pub(crate) fn claimed(claim: &Claim, field: ConflictField) -> Option<String> {
    match field {
        ConflictField::Type => claim.event_type.map(|t| t.to_string()),
        ConflictField::Date => claim.date.as_ref().map(|d| d.to_string()),
        ConflictField::Countries => (!claim.countries.is_empty()).then(|| joined(&claim.countries)),
        ConflictField::Places => (!claim.places.is_empty()).then(|| joined(&claim.places)),
    }
}

/// The event's own value of `field`.
pub(crate) fn current(e: &Event, field: ConflictField) -> String {
    match field {
        ConflictField::Type => e.event_type.to_string(),
        ConflictField::Date => e.date.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        ConflictField::Countries => e.countries().join(" "),
        ConflictField::Places => joined(&e.places),
    }
}

/// Ids sorted, without repeats, separated by spaces.
fn joined(ids: &[String]) -> String {
    let mut v: Vec<&str> = ids.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v.join(" ")
}

/// The claim a piece of evidence makes: its own, or — for evidence stored without
/// one — what the event said when that evidence was attached (filled in by merge).
pub(crate) fn claim_of_event(e: &Event) -> Claim {
    Claim {
        event_type: Some(e.event_type),
        date: e.date.clone(),
        countries: e.countries().into_iter().map(str::to_string).collect(),
        places: e.places.clone(),
    }
}

/// Field by field: the distinct values claimed, each with its evidence, and the
/// event's value and who chose it.
pub fn conflicts(state: &EventState) -> EventConflicts {
    let e = &state.event;
    let mut fields = Vec::new();
    for field in ConflictField::ALL {
        let mut values: Vec<ClaimedValue> = Vec::new();
        for (i, ev) in e.evidence.iter().enumerate() {
            let Some(value) = ev.claim.as_ref().and_then(|c| claimed(c, field)) else { continue };
            let support = ClaimSupport {
                evidence: i + 1,
                source: ev.source.clone(),
                asserted_by: ev.asserted_by.clone(),
                status: ev.status,
                confidence: ev.confidence,
                quote: ev.quote.clone(),
            };
            match values.iter_mut().find(|v| v.value == value) {
                Some(v) => v.evidence.push(support),
                None => values.push(ClaimedValue { value, chosen: false, evidence: vec![support] }),
            }
        }
        if values.is_empty() {
            continue;
        }
        let chosen = current(e, field);
        for v in &mut values {
            v.chosen = v.value == chosen;
        }
        let disputed = values.len() > 1 || !values[0].chosen;
        fields.push(FieldConflict {
            field,
            chosen,
            chosen_by: state.chosen_by.get(field).map(str::to_string),
            disputed,
            values,
        });
    }
    EventConflicts { event: e.id.clone(), fields }
}

/// Sets `field` of the event to `value` (in the notation of [`ClaimedValue::value`]).
/// States keep the roles they had; new ones take part as participants.
pub(crate) fn set_field(e: &mut Event, field: ConflictField, value: &str) -> Result<()> {
    let invalid = |message: String| StoreError::Invalid { line: 0, message };
    match field {
        ConflictField::Type => e.event_type = value.parse().map_err(invalid)?,
        ConflictField::Date => {
            e.date = if value.trim().is_empty() {
                None
            } else {
                Some(value.parse().map_err(|err| invalid(format!("date `{value}`: {err}")))?)
            }
        }
        ConflictField::Countries => {
            let codes: Vec<String> = value.split_whitespace().map(str::to_string).collect();
            set_countries(e, codes.into_iter().map(|c| (c, None)).collect());
        }
        ConflictField::Places => {
            let mut places: Vec<String> = Vec::new();
            for p in value.split_whitespace() {
                if !places.iter().any(|x| x == p) {
                    places.push(p.to_string());
                }
            }
            e.places = places;
        }
    }
    Ok(())
}

/// Replaces the state participants by `codes`, keeping the other participants and the
/// roles of states already there; a state without a role given or known takes part
/// as a participant.
pub(crate) fn set_countries(e: &mut Event, codes: Vec<(String, Option<Role>)>) {
    let old = std::mem::take(&mut e.participants);
    let mut out: Vec<Participant> = Vec::new();
    for (code, role) in codes {
        let role = role.or_else(|| old.iter().find(|p| p.entity == code).map(|p| p.role));
        if !out.iter().any(|p| p.entity == code) {
            out.push(Participant::new(code, role.unwrap_or(Role::Participant)));
        }
    }
    out.extend(old.into_iter().filter(|p| !p.is_country()));
    e.participants = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curation::ChosenBy;
    use keruen_model::{EventType, Evidence};

    fn evidence(source: &str, date: &str, countries: &[&str]) -> Evidence {
        let mut ev = Evidence::new(source, "keruen-extract@test");
        ev.claim = Some(Claim {
            event_type: Some(EventType::CultureDays),
            date: Some(date.parse().unwrap()),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            places: vec!["place:almaty".into()],
        });
        ev
    }

    fn state() -> EventState {
        let mut e = Event::new("ev-1", EventType::CultureDays, Some("2007-10-12".parse().unwrap()));
        e.participants = vec![Participant::new("KZ", Role::Host), Participant::new("UZ", Role::Guest)];
        e.places = vec!["place:almaty".into()];
        e.evidence = vec![
            evidence("src-a", "2007-10-12", &["UZ", "KZ"]),
            evidence("src-b", "2007-10-15", &["KZ", "UZ"]),
        ];
        EventState { event: e, merged_into: None, chosen_by: ChosenBy::default() }
    }

    #[test]
    fn two_dates_are_a_dispute_and_both_are_kept() {
        let c = conflicts(&state());
        assert!(c.disputed());
        let date = c.fields.iter().find(|f| f.field == ConflictField::Date).unwrap();
        assert!(date.disputed);
        assert_eq!(date.chosen, "2007-10-12");
        assert_eq!(date.chosen_by, None);
        let values: Vec<(&str, bool, &str)> =
            date.values.iter().map(|v| (v.value.as_str(), v.chosen, v.evidence[0].source.as_str())).collect();
        assert_eq!(values, vec![("2007-10-12", true, "src-a"), ("2007-10-15", false, "src-b")]);
        // Same states in another order are one value.
        let countries = c.fields.iter().find(|f| f.field == ConflictField::Countries).unwrap();
        assert!(!countries.disputed);
        assert_eq!(countries.values.len(), 1);
        assert_eq!(countries.values[0].evidence.len(), 2);
    }

    #[test]
    fn a_value_no_source_claims_is_disputed() {
        let mut s = state();
        s.event.evidence.truncate(1);
        assert!(!conflicts(&s).disputed());
        set_field(&mut s.event, ConflictField::Date, "2007").unwrap();
        let c = conflicts(&s);
        let date = c.fields.iter().find(|f| f.field == ConflictField::Date).unwrap();
        assert!(date.disputed && !date.values[0].chosen);
    }

    #[test]
    fn setting_countries_keeps_roles_and_other_participants() {
        let mut e = state().event;
        e.participants.push(Participant::new("org:turksoy", Role::Organiser));
        set_field(&mut e, ConflictField::Countries, "UZ TJ").unwrap();
        let got: Vec<(&str, Role)> = e.participants.iter().map(|p| (p.entity.as_str(), p.role)).collect();
        assert_eq!(
            got,
            vec![("UZ", Role::Guest), ("TJ", Role::Participant), ("org:turksoy", Role::Organiser)]
        );
        assert!(set_field(&mut e, ConflictField::Date, "2007-13").is_err());
    }
}
