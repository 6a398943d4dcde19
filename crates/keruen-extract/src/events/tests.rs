//! The event rules, each on sentences of its own.
use crate::{FoundEvent, Options, extract};

fn events(text: &str) -> Vec<FoundEvent> {
    extract(text, &Options::default()).events
}

/// (type, date, countries) of every event.
fn summary(text: &str) -> Vec<(String, Option<String>, Vec<String>)> {
    events(text).into_iter().map(|e| (e.event_type.to_string(), e.date, e.countries)).collect()
}

fn has(text: &str, kind: &str, date: Option<&str>, countries: &[&str]) {
    let got = summary(text);
    let want =
        (kind.to_string(), date.map(str::to_string), countries.iter().map(|c| c.to_string()).collect());
    assert!(got.contains(&want), "{text:?}: wanted {want:?}, got {got:?}");
}

fn kinds(text: &str) -> Vec<String> {
    events(text).into_iter().map(|e| e.event_type.to_string()).collect()
}

#[test]
fn each_dated_occurrence_in_a_list_is_an_event_with_the_subject_state() {
    let text =
        "Kazakhstan signed agreements on culture with Tajikistan in 1996 and with Turkmenistan in 1997.";
    has(text, "agreement", Some("1996"), &["KZ", "TJ"]);
    has(text, "agreement", Some("1997"), &["KZ", "TM"]);
    let text = "Министерство культуры Узбекистана подписало соглашения с Таджикистаном в 2001 г., с Кыргызстаном в 2003 г.";
    has(text, "agreement", Some("2001"), &["TJ", "UZ"]);
    has(text, "agreement", Some("2003"), &["KG", "UZ"]);
}

#[test]
fn negation_is_scoped_to_its_clause_and_cancels_the_plan_before_it() {
    let text = "The Uzbek troupe performed in Bishkek in 1961, but its tour of Almaty was cancelled.";
    has(text, "performance", Some("1961"), &["KG", "UZ"]);
    assert_eq!(kinds(text).len(), 1);
    assert!(kinds("A forum of rectors was planned for 2014 in Osh, but it never took place.").is_empty());
    assert!(
        kinds("Кинофестиваль планировали провести в 2015 году в Таразе, однако он так и не состоялся.")
            .is_empty()
    );
}

#[test]
fn mentions_of_a_known_event_are_not_new_events() {
    let text = "The Silk Road Festival opened in Almaty on 3 May 2019. The director of the festival thanked the guests.";
    assert_eq!(kinds(text), vec!["festival"]);
    let text = "Such festivals were held in Bukhara in 2005.";
    assert!(kinds(text).is_empty());
    let text = "Выставка ковров открылась в Бишкеке 2 июня 2018 г. В экспозиции представлено 90 ковров.";
    assert_eq!(kinds(text), vec!["exhibition"]);
}

#[test]
fn a_following_sentence_names_the_participants() {
    let text = "The Silk Road Festival opened in Almaty on 3 May 2019. Delegations from Tajikistan and Turkmenistan took part.";
    has(text, "festival", Some("2019-05-03"), &["KZ", "TJ", "TM"]);
}

#[test]
fn the_next_of_a_series_takes_the_states_of_the_series() {
    let text = "The first Consultative Meeting of the Heads of State of Central Asia took place in Astana in March 2018. \
                The next meeting was held in Tashkent in November 2019.";
    has(text, "summit", Some("2019-11"), &["KG", "KZ", "TJ", "TM", "UZ"]);
}

#[test]
fn a_dateline_state_joins_events_naming_one_state_and_first_person_ones() {
    let text = "BISHKEK, 5 June 2023 – A Tajik ensemble gave a concert on Sunday.\n\nWe received students from Mongolia in 2022.";
    has(text, "performance", Some("2023-06-04"), &["KG", "TJ"]);
    has(text, "education", Some("2022"), &["KG", "MN"]);
}

#[test]
fn a_place_recalls_the_date_of_the_event_held_there() {
    let text = "The summit of the heads of state was held in Turkestan on 5 May 2021.\n\n\
                At Turkestan, the ministers of culture signed a memorandum on museums.";
    has(text, "agreement", Some("2021-05-05"), &["KZ"]);
}

#[test]
fn terms_postponements_and_centuries_are_not_event_dates() {
    let text = "In March 2020 the ministries signed a programme of cooperation for 2020–2022.";
    has(text, "agreement", Some("2020-03"), &[]);
    let text = "The 600th anniversary of Ulugh Beg, postponed in May 1991, was marked in Samarkand in 1994.";
    has(text, "commemoration", Some("1994"), &["UZ"]);
}

#[test]
fn a_list_after_a_colon_spells_out_the_sub_events() {
    let text = "Days of Culture of Tajikistan were held in Almaty in October 2010: concerts, an exhibition of crafts, film screenings.";
    let got = kinds(text);
    assert_eq!(got.iter().filter(|k| *k == "performance").count(), 2, "{got:?}");
    has(text, "exhibition", Some("2010-10"), &["KZ", "TJ"]);
}

#[test]
fn questions_titles_and_bare_lines_state_no_events() {
    assert!(kinds("Will the festival be held in Osh in 2025?").is_empty());
    assert!(kinds("Festival of the Steppe in Almaty\n\nThe text of the article starts here.").is_empty());
}

#[test]
fn a_founding_needs_an_organisation_not_an_event_noun() {
    assert!(!kinds("A theatre festival opened in Almaty in 2012.").contains(&"founding".to_string()));
    has("A branch of the university was opened in Astana in 2012.", "founding", Some("2012"), &["KZ"]);
    has(
        "The German-Kazakh University was founded in Almaty in 1999.",
        "founding",
        Some("1999"),
        &["DE", "KZ"],
    );
}

#[test]
fn apposed_nouns_name_one_event() {
    let text = "В 2016 году в Худжанде прошёл похожий форум – Международный фестиваль музыки.";
    assert_eq!(kinds(text), vec!["festival"]);
}

#[test]
fn inflected_compound_names_are_found() {
    let x = extract("Форум прошёл в Чолпон-Ате, а затем в Алма-Ате.", &Options::default());
    let names: Vec<&str> = x.entities.iter().map(|e| e.name.as_str()).collect();
    assert!(names.contains(&"Cholpon-Ata") && names.contains(&"Almaty"), "{names:?}");
}

#[test]
fn direct_speech_reports_no_event() {
    let text = "ASTANA, 3 June 2024 – The Days of Culture of Kyrgyzstan opened in Astana on Monday. \
                \"This year we received more films for the festival than ever,\" the director told reporters.";
    let got = extract(text, &Options::default()).events;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(super::direct_speech("«Фестиваль прошёл прекрасно», – сказал директор."));
    assert!(!super::direct_speech("«Шёлковый экран» прошёл в Душанбе в 2024 году."));
}

#[test]
fn items_of_a_list_after_a_colon_take_its_verb_and_the_visit_it_names() {
    let text = "Президент Кыргызстана 14–15 мая 2023 года находился в Таджикистане с государственным визитом.\n\n\
                В ходе визита подписаны:\n\
                – Соглашение о сотрудничестве между Министерством культуры Кыргызстана и Министерством культуры Таджикистана;\n\
                – Меморандум о взаимопонимании между Министерством образования Кыргызстана и Министерством образования Таджикистана.";
    let agreements: Vec<_> = summary(text).into_iter().filter(|(k, _, _)| k == "agreement").collect();
    assert_eq!(agreements.len(), 2, "{:?}", summary(text));
    assert!(
        agreements
            .iter()
            .all(|(_, d, c)| d.as_deref() == Some("2023-05-14/2023-05-15") && c == &["KG", "TJ"])
    );
}

#[test]
fn a_news_headline_is_no_event_and_the_item_is_dated_by_its_line() {
    let text = "В университете прошла выставка\n\
                21.11.2022\n\
                В главном корпусе университета прошла выставка книг узбекских и кыргызских писателей.";
    let got = summary(text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1.as_deref(), Some("2022-11-21"), "{got:?}");
}

#[test]
fn an_agreement_named_with_its_signing_date_is_an_event_and_schools_are_education() {
    has(
        "Обмен идёт в рамках Соглашения о сотрудничестве между Кыргызстаном и Узбекистаном, подписанного в 2006 году.",
        "agreement",
        Some("2006"),
        &["KG", "UZ"],
    );
    has(
        "In July 2019 a summer school for students from Kazakhstan and Tajikistan was held in Khujand.",
        "education",
        Some("2019-07"),
        &["KZ", "TJ"],
    );
    assert!(
        kinds(
            "Предложение провести в 2027 году совместный фестиваль Казахстана и Узбекистана пока обсуждается."
        )
        .is_empty()
    );
}

#[test]
fn a_known_event_dated_in_brackets_and_a_founding_with_its_place_first() {
    has(
        "The programme of the Days of Culture of Tajikistan in Kazakhstan (Astana, 9–12 June 2008) included a round table.",
        "culture_days",
        Some("2008-06-09/2008-06-12"),
        &["KZ", "TJ"],
    );
    has(
        "In May 2021 the academies of Kyrgyzstan and Uzbekistan founded in Osh a joint centre of oriental studies.",
        "founding",
        Some("2021-05"),
        &["KG", "UZ"],
    );
    // A title in capitals is a heading, whatever its length in bytes.
    assert!(kinds("КУЛЬТУРНЫЕ СВЯЗИ КАЗАХСТАНА И УЗБЕКИСТАНА В 1958–2022 ГГ.: ОТ ДЕКАД ИСКУССТВА К ДНЯМ КУЛЬТУРЫ\n\nВ 1958 году Декада узбекской литературы прошла в Алма-Ате.").len() == 1);
}

#[test]
fn items_of_a_list_that_a_proposal_opens_are_no_events() {
    let proposed = "Стороны предложили:\n– провести в 2026 году фестиваль кыргызского и таджикского кино;\n\
                    – организовать в 2027 году выставку в Бишкеке.";
    assert!(kinds(proposed).is_empty(), "{:?}", summary(proposed));
    let agreed = "Стороны договорились:\n– провести в 2026 году фестиваль кыргызского и таджикского кино;\n\
                  – организовать в 2027 году выставку в Бишкеке.";
    assert_eq!(kinds(agreed), ["festival", "exhibition"], "{:?}", summary(agreed));
}

#[test]
fn a_birth_year_is_no_event_date_and_a_quote_that_ends_here_is_speech() {
    let text = "A film week of the Kazakh director Shaken Aimanov, born in 1914, was held in Dushanbe in October 2024.";
    has(text, "performance", Some("2024-10"), &["KZ", "TJ"]);
    let quote = "\"We received films from every country of the region. We held a festival in Osh in 2019 \
                 and in Khujand in 2022,\" said the director.";
    assert!(kinds(quote).is_empty(), "{:?}", summary(quote));
}
