//! Checks on the shipped reference data: it parses, is large enough, and hangs
//! together.
use super::*;
use crate::fold::fold;

#[test]
fn shipped_data_meets_the_minimum_counts() {
    let g = Gazetteer::builtin();
    let count = |k| g.of_kind(k).count();
    assert_eq!(g.central_asia().len(), 5, "{:?}", g.central_asia());
    assert!(count(EntityKind::Country) >= 35, "countries: {}", count(EntityKind::Country));
    assert!(count(EntityKind::Polity) >= 14, "polities: {}", count(EntityKind::Polity));
    assert!(count(EntityKind::Place) >= 150, "places: {}", count(EntityKind::Place));
    assert!(count(EntityKind::Organization) >= 100, "organisations: {}", count(EntityKind::Organization));
    assert!(count(EntityKind::Person) >= 100, "people: {}", count(EntityKind::Person));
    assert!(count(EntityKind::Work) >= 1, "works: {}", count(EntityKind::Work));
}

#[test]
fn references_between_entries_resolve() {
    let g = Gazetteer::builtin();
    for e in g.entries() {
        if let Some(seat) = &e.seat {
            assert!(g.get(seat).is_some(), "{}: seat/capital `{seat}` is not an entry", e.entity.id);
        }
        if let Some(c) = &e.entity.country {
            assert!(
                g.get(c).map(|x| x.entity.kind) == Some(EntityKind::Country),
                "{}: country `{c}` is not a country entry",
                e.entity.id
            );
        }
        if e.entity.kind == EntityKind::Place {
            assert!(e.entity.coordinates.is_some(), "{}: a place needs coordinates", e.entity.id);
        }
    }
}

#[test]
fn every_entry_has_english_and_russian_names() {
    let g = Gazetteer::builtin();
    for e in g.entries() {
        for lang in ["en", "ru"] {
            assert!(
                e.entity.names.iter().any(|n| n.lang == lang && n.form != NameForm::Adjective),
                "{} has no {lang} name",
                e.entity.id
            );
        }
    }
}

#[test]
fn former_and_cross_script_names_find_the_same_place() {
    let g = Gazetteer::builtin();
    let cases = [
        ("Almaty", "place:almaty"),
        ("Alma-Ata", "place:almaty"),
        ("Алматы", "place:almaty"),
        ("Frunze", "place:bishkek"),
        ("Бишкек", "place:bishkek"),
        ("Ashkhabad", "place:ashgabat"),
        ("Aşgabat", "place:ashgabat"),
        ("Ашхабад", "place:ashgabat"),
        ("Stalinabad", "place:dushanbe"),
        ("Leninabad", "place:khujand"),
        ("Tselinograd", "place:astana"),
        ("Akmola", "place:astana"),
        ("Nur-Sultan", "place:astana"),
        ("Тошкент", "place:tashkent"),
        ("Toshkent", "place:tashkent"),
        ("Kirghizia", "KG"),
        ("Turkmenia", "TM"),
        ("Kazakh SSR", "KZ"),
    ];
    for (name, id) in cases {
        let found: Vec<&str> = g.find(&fold(name)).iter().map(|e| e.entity.id.as_str()).collect();
        assert!(found.contains(&id), "{name} → {found:?}, expected {id}");
    }
}

#[test]
fn a_bad_file_is_refused_with_its_name_and_entry() {
    let err = Gazetteer::from_files(&[(
        "places.toml",
        "[[place]]\nid = \"place:x\"\ncountry = \"KZ\"\ncoords = [143.0, 10.0]\nnames = [{ text = \"X\", lang = \"en\" }]\n",
    )])
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("places.toml") && msg.contains("place:x") && msg.contains("coordinates"), "{msg}");
    let err = Gazetteer::from_files(&[(
        "people.toml",
        "[[person]]\nid = \"person:x\"\nborn = \"1995-02-30\"\nnames = []\n",
    )])
    .unwrap_err();
    assert!(err.to_string().contains("born"), "{err}");
}
