//! The timex grammar: regular expressions built from the word lists in `data/`, each
//! with the rule that turns its match into an EDTF value.
use super::{Candidate, TimexType, Value};
use crate::lexicon::Lexicon;
use crate::words::{WordRegex, WordSet};
use regex::{Captures, Regex};
use std::collections::HashMap;
use std::ops::Range;

/// What a rule's match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// from MONTH D to MONTH D, YEAR and its variants: groups m1 d1 y1 m2 d2 y2.
    DayRange,
    /// YEAR–YEAR, from YEAR to YEAR, с YEAR по YEAR: groups y1 y2.
    YearRange,
    /// MONTH YEAR – MONTH YEAR: groups m1 y1 m2 y2.
    MonthRange,
    /// since YEAR / с YEAR года: group inner date pieces m d y.
    Since,
    /// up to YEAR / до YEAR года.
    Until,
    /// until DAY MONTH [YEAR], until mid-MONTH / до DAY MONTH [YEAR]: d m y (or d2 m2,
    /// m3 for a month alone).
    UntilDay,
    /// A day with month and year: m d y.
    FullDate,
    /// Numeric d.m.y or y-m-d: d m y.
    NumericDate,
    /// MONTH YEAR: m y.
    MonthYear,
    /// A day and month without a year: m d.
    DayMonth,
    /// SEASON YEAR: s y.
    Season,
    /// the 1990s, 90-е годы: dec (the decade's digits: "199" or "9").
    Decade,
    /// the 1950s–1980s, 1950–1980-е годы: a b (the decades' first three digits).
    DecadeRange,
    /// the twentieth century, XX век: c (ordinal word, digits or Roman).
    Century,
    /// Two centuries: c1 c2.
    CenturyRange,
    /// A bare year: y.
    Year,
    /// NUMBER UNIT: n, u.
    Duration,
    /// The following day / в тот же день: rel.
    RelativeDay,
    /// The following year / в том же году: rel.
    RelativeYear,
    /// Two years later / через два года: n or n2.
    YearsLater,
    /// Five days later / через пять дней: n.
    DaysLater,
    /// The autumn of that year / в октябре того же года: s, m, m2, s2 or s3.
    SameYear,
    /// A day of the week: w.
    Weekday,
    /// Today, yesterday / сегодня, вчера.
    Today,
    /// This year, last year, two years ago / в этом году, в прошлом году: the dateline's
    /// year and those before it.
    DatelineYear,
    /// A month of this, last or next year / в мае текущего года: m, rel.
    DatelineYearMonth,
    /// This, last or next month / в следующем месяце: rel.
    DatelineMonth,
    /// A quarter of a year / в I квартале 2025 года: q, y.
    Quarter,
    /// This, next or last season / этой весной: s, rel.
    DatelineSeason,
    /// Last, this or next week / на прошлой неделе: rel.
    DatelineWeek,
    /// A month alone after a preposition ("in August", "в марте", "на октябрь"): m.
    BareMonth,
}

/// Compiled rules.
pub(crate) struct Grammar {
    rules: Vec<(WordRegex, Rule, u8)>,
    /// All the rules at once, to pick those worth running on a window.
    set: WordSet,
    /// Fast pre-check: a paragraph without digits, month, season, century or relative
    /// words cannot hold a timex.
    trigger: Regex,
    months: HashMap<String, u32>,
    seasons: HashMap<String, u32>,
    ordinals: HashMap<String, u32>,
    numbers: HashMap<String, u32>,
    weekdays: HashMap<String, u32>,
}

/// Alternation of words, longest first, escaped.
fn alt(words: impl IntoIterator<Item = String>) -> String {
    let mut v: Vec<String> = words.into_iter().collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v.dedup();
    v.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|")
}

/// A word with its first letter in either case, and its all-capitals form.
fn cased(w: &str) -> Vec<String> {
    let mut c = w.chars();
    let first = c.next().unwrap_or(' ');
    let rest: String = c.collect();
    let mut out = vec![
        format!("{}{}", first.to_uppercase(), rest),
        format!("{}{}", first.to_lowercase(), rest),
        w.to_uppercase(),
    ];
    out.dedup();
    out
}

impl Grammar {
    pub(crate) fn new(lex: &Lexicon) -> Grammar {
        let forms = |list: &[(&str, u32, &str)], lang: &str, any_case: bool| -> String {
            alt(list.iter().filter(|(_, _, l)| *l == lang).flat_map(|(f, _, _)| {
                if any_case { cased(f) } else { vec![f.to_string(), f.to_uppercase()] }
            }))
        };
        // English months are capitalised in prose; lower-case "may", "march" are
        // other words.
        let mon_en = format!(r"(?:{})\.?", forms(&lex.months, "en", false));
        let mon_ru = format!(r"(?:{})", forms(&lex.months, "ru", true));
        let mon = format!(r"(?:{mon_en}|{mon_ru})");
        let season_en = forms(&lex.seasons, "en", true);
        let season_ru = forms(&lex.seasons, "ru", true);
        let ord_en = forms(&lex.ordinals, "en", true);
        let num_words = alt(lex.numbers.iter().flat_map(|(f, _, _)| cased(f)));
        // English weekdays are capitalised; Russian ones written in lower case.
        let weekday = format!("{}|{}", forms(&lex.weekdays, "en", false), forms(&lex.weekdays, "ru", false));
        let y = r"(?:1[0-9]{3}|20[0-9]{2})";
        let d = r"(?:[12][0-9]|3[01]|0?[1-9])";
        let dsuf = r"(?:st|nd|rd|th)?";
        let dash = r"\s*[-–—‐‑]\s*";
        // Russian "year" words that belong to the span: 1992 г., 1992 года, 1992 году.
        // "г." ends in a full stop, after which `\b` would need a letter: it takes none.
        let g = r"(?:\s*(?:гг\.|г\.|(?:годах|годами|годов|годом|году|года|годы|год)\b))";
        let roman = r"(?:XXI|XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)";
        let century_ord = format!(r"(?:{ord_en}|[0-9]{{1,2}}(?:st|nd|rd|th)|{roman})");
        let part_en = r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|turn|close|dawn|first\s+half|second\s+half|first\s+quarter|last\s+quarter|first\s+decades?|last\s+decades?|early\s+years|late\s+years)\s+of\s+)";
        let part_ru = r"(?:(?:начале|середине|конце|первой\s+половине|второй\s+половине|первой\s+четверти|последней\s+четверти|рубеже|начала|середины|конца)\s+)";
        let qual_en = r"(?:(?:early|mid|late|the\s+early|the\s+mid|the\s+late)[-\s]+)";
        // Numeric dates d.m.yyyy, for ranges of them.
        let nd1 = r"(?P<d1>[0-3]?[0-9])\.(?P<m1>[01]?[0-9])\.(?P<y1>1[0-9]{3}|20[0-9]{2})";
        let nd2 = r"(?P<d2>[0-3]?[0-9])\.(?P<m2>[01]?[0-9])\.(?P<y2>1[0-9]{3}|20[0-9]{2})";
        // Words that qualify a length of time and belong to its span.
        let about = r"(?:(?:[Mm]ore\s+than|[Ll]ess\s+than|[Aa]lmost|[Nn]early|[Aa]bout|[Aa]round|[Aa]t\s+least|[Aa]pproximately|[Пп]очти|[Бб]олее|[Оо]коло|[Сс]выше|[Мм]енее|[Нн]е\s+менее|[Пп]оследние|[Пп]оследних)\s+)";
        let rules: Vec<(String, Rule, u8)> = vec![
            // --- intervals of days -------------------------------------------------
            (format!(r"\b[Ff]rom\s+(?P<m1>{mon_en})\s+(?P<d1>{d}){dsuf},?\s+(?:(?P<y1>{y}),?\s+)?(?:to|till|until|through|-|–)\s+(?:(?P<m2>{mon_en})\s+)?(?P<d2>{d}){dsuf}(?:,?\s+(?P<y2>{y}))?\b"), Rule::DayRange, 9),
            (format!(r"\b(?:[Ff]rom|[Bb]etween)\s+(?P<d1>{d}){dsuf}\s+(?:of\s+)?(?:(?P<m1>{mon_en})\s+)?(?:(?P<y1>{y})\s+)?(?:to|till|until|through|and)\s+(?P<d2>{d}){dsuf}\s+(?:of\s+)?(?P<m2>{mon_en})(?:,?\s+(?P<y2>{y}))?\b"), Rule::DayRange, 9),
            (format!(r"\b(?P<m1>{mon_en})\s+(?P<d1>{d}){dsuf}{dash}(?:(?P<m2>{mon_en})\s+)?(?P<d2>{d}){dsuf}(?:,?\s+(?P<y2>{y}))?\b"), Rule::DayRange, 8),
            (format!(r"\b(?P<d1>{d}){dsuf}(?:\s+(?P<m1>{mon}))?{dash}(?P<d2>{d}){dsuf}\s+(?P<m2>{mon})(?:,?\s+(?P<y2>{y}){g}?|\b)"), Rule::DayRange, 8),
            (format!(r"\b(?P<y2>{y})\s*г\.,\s+(?P<d1>{d})(?:\s+(?P<m1>{mon_ru}))?{dash}(?P<d2>{d})\s+(?P<m2>{mon_ru})"), Rule::DayRange, 9),
            (format!(r"\b(?:[Сс]о?|[Оо]т)\s+(?P<d1>{d})\s+(?:(?P<m1>{mon_ru})\s+)?(?:(?P<y1>{y}){g}?\s+)?(?:по|до)\s+(?P<d2>{d})\s+(?P<m2>{mon_ru})(?:\s+(?P<y2>{y}){g}?)?"), Rule::DayRange, 9),
            (format!(r"(?:\b(?:[Сс]|[Ff]rom)\s+)?\b{nd1}(?:\s*г\.)?(?:\s+(?:по|до|to|till|until)\s+|{dash}){nd2}(?:\s*г\.)?"), Rule::DayRange, 9),
            // --- intervals of months and years ------------------------------------
            (format!(r"\b[Ff]rom\s+(?P<m1>{mon_en})\s+(?:(?P<y1>{y})\s+)?(?:to|till|until|through)\s+(?P<m2>{mon_en}),?\s+(?P<y2>{y})\b"), Rule::MonthRange, 8),
            (format!(r"(?:\b[Ff]rom|\b[Bb]etween)\s+(?:the\s+years?\s+)?(?P<y1>{y})\s+(?:to|till|until|through|and)\s+(?P<y2>{y})\b"), Rule::YearRange, 8),
            (format!(r"(?:\b[Сс])\s+(?P<y1>{y}){g}?\s+по\s+(?P<y2>{y}){g}?"), Rule::YearRange, 8),
            (format!(r"(?:\b[Tt]he\s+)?\b(?P<y1>{y})\s*[-–—/]\s*(?P<y2>{y}|[0-9]{{2}})\s+(?:academic|school|financial|fiscal|theatre|theater|concert|season|учебн(?:ый|ом|ого)|академическ(?:ий|ом|ого)|театральн(?:ый|ом|ого))(?:\s+(?:years?|seasons?|год(?:у|а)?|сезон(?:е|а)?))?"), Rule::YearRange, 9),
            (format!(r"\b(?P<y1>{y})\s*[-–—]\s*(?P<y2>{y})(?:{g}|-?(?:е|х)\s+годы?|\b)"), Rule::YearRange, 6),
            (format!(r"\b(?P<y1>{y})/(?P<y2>{y}|[0-9]{{2}})\b"), Rule::YearRange, 5),
            // --- open intervals ----------------------------------------------------
            (format!(r"\b(?:[Ss]ince|[Ee]ver\s+since|[Ss]tarting\s+(?:from|in))\s+(?:(?:(?P<m>{mon_en})\s+(?:(?P<d>{d}){dsuf},?\s+)?)|(?:(?P<d2>{d}){dsuf}\s+(?P<m2>{mon_en})\s+))?(?P<y>{y})\b"), Rule::Since, 7),
            (format!(r"(?:\b(?:[Нн]ачиная\s+)?[Сс]о?)\s+(?:(?P<d2>{d})\s+(?P<m2>{mon_ru})\s+|(?P<m>{mon_ru})\s+)?(?P<y>{y}){g}"), Rule::Since, 7),
            (format!(r"\b[Ff]rom\s+(?P<y>{y})\s+onwards?\b"), Rule::Since, 7),
            (r"\b(?:[Ss]ince|[Ee]ver\s+since)\s+the\s+(?P<dec>1[0-9]{2}|20[0-9])0['’]?s\b".to_string(), Rule::Since, 7),
            (format!(r"\b(?:(?:[Uu]p\s+to|[Uu]ntil|[Tt]ill)(?:\s+the\s+end\s+of)?|[Bb]y\s+the\s+end\s+of)\s+(?P<y>{y})\b"), Rule::Until, 7),
            (format!(r"(?:\b[Дд]о)\s+(?:конца\s+)?(?P<y>{y}){g}"), Rule::Until, 7),
            (format!(r"\b(?:[Uu]p\s+to|[Uu]ntil|[Tt]ill)\s+(?:(?P<d>{d}){dsuf}\s+(?:of\s+)?(?P<m>{mon_en})|(?P<m2>{mon_en})\s+(?P<d2>{d}){dsuf}|(?:mid-|the\s+(?:middle|end)\s+of\s+)?(?P<m3>{mon_en}))(?:,?\s+(?P<y>{y}))?\b"), Rule::UntilDay, 7),
            (format!(r"\b[Дд]о\s+(?:(?P<d>{d})\s+(?P<m>{mon_ru})|(?:середины|конца|начала)\s+(?P<m3>{mon_ru}))(?:\s+(?P<y>{y}){g}?)?"), Rule::UntilDay, 7),
            // --- dates -------------------------------------------------------------
            (format!(r"\b(?P<m>{mon_en})\s+(?P<d>{d}){dsuf},?\s+(?P<y>{y})\b"), Rule::FullDate, 6),
            (format!(r"\b(?:the\s+)?(?P<d>{d}){dsuf}\s+(?:of\s+)?(?P<m>{mon}),?\s+(?P<y>{y})(?:{g}|\b)"), Rule::FullDate, 6),
            (format!(r"\b(?P<y>{y})\s*г\.,\s+(?P<d>{d})\s+(?P<m>{mon_ru})"), Rule::FullDate, 6),
            (r"\b(?P<d>[0-3]?[0-9])\.(?P<m>[01]?[0-9])\.(?P<y>1[0-9]{3}|20[0-9]{2})(?:\s*(?:г\.|года|году))?".to_string(), Rule::NumericDate, 6),
            (r"\b(?P<d>[0-3]?[0-9])/(?P<m>[01]?[0-9])/(?P<y>1[0-9]{3}|20[0-9]{2})\b".to_string(), Rule::NumericDate, 5),
            (r"\b(?P<y>1[0-9]{3}|20[0-9]{2})-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])\b".to_string(), Rule::NumericDate, 6),
            (format!(r"\b(?:{qual_en})?(?P<m>{mon_en}),?\s+(?:of\s+)?(?P<y>{y})\b"), Rule::MonthYear, 5),
            (format!(r"\b(?P<m>{mon_ru})\s+(?P<y>{y}){g}?"), Rule::MonthYear, 5),
            (format!(r"\b(?P<y>{y}),\s+(?P<m>{mon_en})\b"), Rule::MonthYear, 4),
            (format!(r"\b(?P<m>{mon_en})\s+(?P<d>{d}){dsuf}\b"), Rule::DayMonth, 3),
            (format!(r"\b(?:the\s+)?(?P<d>{d}){dsuf}\s+(?:of\s+)?(?P<m>{mon})(?:\b|$)"), Rule::DayMonth, 3),
            (format!(r"\b(?:(?:the\s+)?(?:early|late)\s+)?(?:the\s+)?(?P<s>{season_en})\s+(?:of\s+)?(?P<y>{y})(?:/(?:{y}|[0-9]{{2}}))?\b"), Rule::Season, 5),
            (format!(r"\b(?P<s>{season_ru})\s+(?P<y>{y})(?:/(?:{y}|[0-9]{{2}}))?{g}?"), Rule::Season, 5),
            // A range of decades: the suffix of the second ("-е годы", "s") is the first's too.
            (r"\b(?:[Ff]rom\s+)?(?:[Tt]he\s+)?(?P<a>1[0-9]{2}|20[0-9])0['’]?s\s*(?:[-–—]|to|through|until)\s*(?:the\s+)?(?P<b>1[0-9]{2}|20[0-9])0['’]?s\b".to_string(), Rule::DecadeRange, 7),
            (r"(?:\b[Сс]\s+)?\b(?P<a>1[0-9]{2}|20[0-9])0(?:-?(?:х|ых))?\s*(?:[-–—]|по|до)\s*(?P<b>1[0-9]{2}|20[0-9])0-?(?:е|х|ые|ых|ми)(?:\s+(?:гг\.|годы|годов|годах|годам|годами)\b)?".to_string(), Rule::DecadeRange, 7),
            (format!(r"\b(?:(?:[Tt]he\s+)?{part_en})?(?:[Tt]he\s+)?(?:{qual_en})?'?(?P<dec>1[0-9][0-9]|20[0-9]|[0-9])0['’]?s\b"), Rule::Decade, 5),
            (format!(r"(?:{part_ru})?(?P<dec>1[0-9][0-9]|20[0-9]|[0-9])0-?(?:е|х|ые|ых|ми)(?:\s+(?:гг\.|годы|годов|годах|годам|годами))?"), Rule::Decade, 5),
            (format!(r"\b(?:[Tt]he\s+)?(?:{part_en})?(?:the\s+)?(?:{qual_en})?(?:(?:new|last|past|current|present|previous|coming|next)\s+)?(?P<c>{century_ord})[-\s]+[Cc]entury(?:\s+(?:AD|CE))?\b"), Rule::Century, 6),
            (format!(r"\b(?:the\s+)?(?P<c1>{century_ord})\s*(?:[-–—]|and|to)\s*(?:the\s+)?(?P<c2>{century_ord})[-\s]+[Cc]enturies\b"), Rule::CenturyRange, 7),
            (format!(r"(?:{part_ru})?(?P<c>{roman}|[0-9]{{1,2}})(?:-?(?:го|м|й))?\s+(?:век(?:ом|а|е|у)?\b|в\.)"), Rule::Century, 6),
            (format!(r"(?:[Сс]\s+)?(?P<c1>{roman})\s*(?:[-–—]|по|и)\s*(?P<c2>{roman})\s+(?:век(?:ами|ах|ам|ов|а)?\b|вв\.)"), Rule::CenturyRange, 7),
            (format!(r"\b(?P<y>{y})(?:{g}|-(?:м|й|го|му)\b|\b)"), Rule::Year, 1),
            // --- durations ---------------------------------------------------------
            (format!(r"\b{about}?(?P<n>[0-9]{{1,4}}|{num_words})(?:\s*[-–]\s*[0-9]{{1,4}})?(?:\s+|-)(?P<u>years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|century|лет|года|год|месяцев|месяца|месяц|недель|недели|неделю|дней|дня|день|часов|часа|час|минуты|минут|десятилетий|десятилетия|десятилетие|веков|века)\b"), Rule::Duration, 2),
            (r"\b(?:[Mm]ore|[Ll]ess)\s+than\s+an?\s+(?P<u>year|month|week|day|decade|century)\b".to_string(), Rule::Duration, 2),
            // "a decade", "almost a century and a half": the article is the number one.
            (format!(r"\b{about}?(?:[Aa]|[Oo]ne)\s+(?P<u>decade|century)(?P<half>\s+and\s+a\s+half)?\b"), Rule::Duration, 2),
            // "около десятилетия", "более века" (but "последние десятилетия" is vague).
            (r"\b(?:[Пп]очти|[Оо]коло|[Бб]олее|[Сс]выше|[Мм]енее|[Нн]е\s+менее)\s+(?P<u>десятилетия|века|столетия)\b".to_string(), Rule::Duration, 2),
            (r"\b(?:[Пп]очти\s+|[Бб]олее\s+|[Оо]коло\s+)?(?P<half>[Пп]олтора|[Пп]олутора)\s+(?P<u>века|веков|десятилетия|десятилетий|столетия|столетий|года|лет)\b".to_string(), Rule::Duration, 2),
            (r"\b(?:[Пп]очти\s+|[Бб]олее\s+)?(?P<q>[Чч]етверть\s+век[ау]?|[Пп]олвека|[Пп]олувека|[Пп]олстолетия|[Пп]олустолетия)|\b(?:[Aa]\s+)?(?P<h>quarter\s+of\s+a\s+century|half\s+a\s+century)\b".to_string(), Rule::Duration, 2),
            // --- relative to an earlier date ---------------------------------------
            (r"\b(?:[Tt]he\s+(?:following|next|same|previous)\s+(?:day|evening|morning|night)|[Tt]he\s+day\s+(?:after|before)|[Сс]ледующий\s+день|[Тт]от\s+же\s+день|[Нн]акануне)\b".to_string(), Rule::RelativeDay, 4),
            (r"\b(?:[Tt]he\s+(?:following|next|same|previous)\s+year|[Tt]hat\s+(?:same\s+)?year|[Тт]ом\s+же\s+году|[Сс]ледующий\s+год|[Сс]ледующем\s+году|[Nn]ext\s+year)\b".to_string(), Rule::RelativeYear, 4),
            (format!(r"\b(?:(?:[Ee]arlier|[Ll]ater)\s+)?[Tt]his\s+year\b|\b[Ll]ast\s+year\b|\b(?P<n>[0-9]{{1,3}}|{num_words})\s+years?\s+ago\b|\b(?:начале\s+|конце\s+|середине\s+)?(?:[Ээ]том|[Тт]екущем|[Пп]рошлом)\s+году\b|\b(?:начале\s+|конце\s+|середине\s+)?(?:[Ээ]того|[Тт]екущего|[Пп]рошлого)\s+года\b"), Rule::DatelineYear, 4),
            (format!(r"\b(?P<m>{mon_en}),?\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b|\b(?P<m2>{mon_ru})\s+(?P<rel2>текущего|этого|прошлого|следующего)\s+года\b"), Rule::DatelineYearMonth, 5),
            (r"\b(?:[Tt]his|[Ll]ast|[Nn]ext)\s+month\b|\b(?:[Ээ]том|[Тт]екущем|[Пп]рошлом|[Сс]ледующем)\s+месяце\b".to_string(), Rule::DatelineMonth, 4),
            (format!(r"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of\s+(?P<y>{y})\b|\bQ(?P<qn>[1-4])\s+(?P<y2>{y})\b|\b(?P<qr>IV|I{{1,3}}|[1-4](?:-?(?:м|й|го))?|[Пп]ерв\w*|[Вв]тор\w*|[Тт]рет\w*|[Чч]етв[её]рт\w*)\s+квартал\w*\s+(?P<y3>{y}){g}?"), Rule::Quarter, 7),
            (format!(r"\b(?P<rel>[Tt]his|[Nn]ext|[Ll]ast)\s+(?P<s>{season_en})\b|\b(?P<rel2>[Ээ]той|[Сс]ледующей|[Пп]рошлой)\s+(?P<s2>{season_ru})"), Rule::DatelineSeason, 5),
            (r"\b(?:[Ll]ast|[Tt]his|[Nn]ext)\s+week\b|\b(?:[Пп]рошлой|[Ээ]той|[Сс]ледующей)\s+неделе\b".to_string(), Rule::DatelineWeek, 4),
            (format!(r"\b(?P<m>{mon_en}|{mon_ru})\b"), Rule::BareMonth, 2),
            (format!(r"\b(?P<w>{weekday})\b"), Rule::Weekday, 3),
            (r"\b(?:[Tt]oday|[Yy]esterday|[Сс]егодня|[Вв]чера)\b".to_string(), Rule::Today, 3),
            (format!(r"\b(?P<n>[0-9]{{1,2}}|{num_words})\s+days?\s+later\b|\b(?:[Чч]ерез|[Сс]пустя)\s+(?P<n2>[0-9]{{1,2}}|{num_words})\s+(?:дня|дней|день)\b"), Rule::DaysLater, 5),
            (format!(r"\b(?P<n>[0-9]{{1,2}}|{num_words}|[Aa]|[Oo]ne)\s+years?\s+(?P<dir>later|earlier)\b|\b(?:[Чч]ерез|[Сс]пустя)\s+(?P<n2>[0-9]{{1,2}}|{num_words})\s+(?:год|года|лет)\b"), Rule::YearsLater, 5),
            (format!(r"\b(?:(?:the\s+)?(?P<s>{season_en})|(?P<m>{mon_en}))\s+of\s+(?:that|the\s+same)\s+year\b|\b(?:(?P<m2>{mon_ru})|(?P<s2>{season_ru}))\s+того\s+же\s+года|\b(?:[Тт]у|[Тт]ой)\s+же\s+(?P<s3>{season_ru})"), Rule::SameYear, 6),
        ];
        let set = WordSet::new(rules.iter().map(|(re, _, _)| re.as_str())).expect("timex rule set");
        let rules = rules
            .into_iter()
            .map(|(re, rule, prio)| {
                (WordRegex::new(&re).unwrap_or_else(|e| panic!("timex rule {rule:?}: {e}")), rule, prio)
            })
            .collect();
        let trigger = Regex::new(&format!(
            r"[0-9]|{mon_en}|(?i:{mon_ru}|centur|век|вв\.|{season_en}|{season_ru}|following|same\s+(?:day|year|evening|morning|night)|that\s+year|next\s+year|last\s+year|than\s+an?\s|quarter\s+of|half\s+a\s+century|decade|десятилет|столет|полу?в|полтора|полутора|тот\s+же|том\s+же|того\s+же|ту\s+же|той\s+же|следующ|накануне|четверть|полвека|полстолетия|today|yesterday|сегодня|вчера|this\s+year|last\s+year|years?\s+ago|later|earlier|этом\s+году|этого\s+года|прошл|текущ|месяце|неделе|week)|{num_words}|{weekday}"
        ))
        .expect("trigger regex");
        let map = |list: &[(&str, u32, &str)]| list.iter().map(|(f, n, _)| (f.to_lowercase(), *n)).collect();
        Grammar {
            rules,
            set,
            trigger,
            months: lex.month_map(),
            seasons: map(&lex.seasons),
            ordinals: map(&lex.ordinals),
            numbers: map(&lex.numbers),
            weekdays: map(&lex.weekdays),
        }
    }

    /// Adds the candidates found in `text[range]`.
    pub(crate) fn scan(&self, text: &str, range: Range<usize>, out: &mut Vec<Candidate>) {
        let slice = &text[range.clone()];
        if !self.trigger.is_match(slice) {
            return;
        }
        // One pass of the set tells which rules can match; only those run.
        for i in self.set.matches(slice) {
            let (re, rule, priority) = &self.rules[i];
            for caps in re.captures_in(text, range.clone()) {
                let m = caps.get(0).expect("whole match");
                let mut end = m.end();
                // Trailing punctuation caught by `(?:\s|$|[.,;:)])` is not part of the span.
                while end > m.start()
                    && text[..end].ends_with(|c: char| c.is_whitespace() || ",;:)".contains(c))
                {
                    end -= text[..end].chars().next_back().map(char::len_utf8).unwrap_or(1);
                }
                // "… on 21–22 June." — the full stop of an English month at the end of a
                // sentence is the sentence's, not an abbreviation's.
                if end > m.start() && text[..end].ends_with('.') {
                    let word =
                        text[m.start()..end - 1].rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
                    let next = text[end..].trim_start().chars().next();
                    if word.len() > 3
                        && word.chars().all(|c| c.is_ascii_alphabetic())
                        && next.is_none_or(char::is_uppercase)
                    {
                        end -= 1;
                    }
                }
                if *rule == Rule::BareMonth && !month_alone_fits(text, m.start(), m.end()) {
                    continue;
                }
                if let Some((kind, value)) = self.value(*rule, &caps) {
                    out.push(Candidate { range: m.start()..end, kind, value, priority: *priority });
                }
            }
        }
    }

    fn month(&self, caps: &Captures, name: &str) -> Option<u32> {
        let m = caps.name(name)?.as_str().trim_end_matches('.').to_lowercase();
        self.months.get(&m).copied().or_else(|| m.parse().ok().filter(|n| (1..=12).contains(n)))
    }

    fn num(caps: &Captures, name: &str) -> Option<u32> {
        caps.name(name)?.as_str().parse().ok()
    }

    fn century(&self, s: &str) -> Option<u32> {
        let s = s.to_lowercase();
        if let Some(n) = self.ordinals.get(&s) {
            return Some(*n);
        }
        let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            return digits.parse().ok();
        }
        roman(&s.to_uppercase())
    }

    fn value(&self, rule: Rule, c: &Captures) -> Option<(TimexType, Value)> {
        use TimexType::*;
        let known = |kind, v: String| Some((kind, Value::Known(v)));
        match rule {
            Rule::DayRange => {
                let d1 = Self::num(c, "d1")?;
                let d2 = Self::num(c, "d2")?;
                let m2 = self.month(c, "m2").or_else(|| self.month(c, "m1"))?;
                let m1 = self.month(c, "m1").unwrap_or(m2);
                match Self::num(c, "y2") {
                    Some(y2) => {
                        let y1 = Self::num(c, "y1").unwrap_or(y2);
                        let a = ymd(y1 as i32, m1, d1)?;
                        let b = ymd(y2 as i32, m2, d2)?;
                        (a <= b).then(|| (Interval, Value::Known(format!("{a}/{b}"))))
                    }
                    None => Some((
                        Interval,
                        Value::NeedsYearInterval { from: (m1, Some(d1)), to: (m2, Some(d2)) },
                    )),
                }
            }
            Rule::MonthRange => {
                let y2 = Self::num(c, "y2")?;
                let y1 = Self::num(c, "y1").unwrap_or(y2);
                let (m1, m2) = (self.month(c, "m1")?, self.month(c, "m2")?);
                ((y1, m1) <= (y2, m2))
                    .then(|| (Interval, Value::Known(format!("{y1:04}-{m1:02}/{y2:04}-{m2:02}"))))
            }
            Rule::YearRange => {
                let y1 = Self::num(c, "y1")?;
                let raw2 = c.name("y2")?.as_str();
                let y2: u32 = if raw2.len() == 2 {
                    (y1 / 100) * 100 + raw2.parse::<u32>().ok()?
                } else {
                    raw2.parse().ok()?
                };
                (y2 > y1 && y2 - y1 <= 200).then(|| (Interval, Value::Known(format!("{y1:04}/{y2:04}"))))
            }
            Rule::Since if c.name("dec").is_some() => known(Interval, format!("{}X/..", &c["dec"])),
            Rule::Since => {
                let y = Self::num(c, "y")?;
                let m = self.month(c, "m").or_else(|| self.month(c, "m2"));
                let d = Self::num(c, "d").or_else(|| Self::num(c, "d2"));
                let start = match (m, d) {
                    (Some(m), Some(d)) => ymd(y as i32, m, d)?,
                    (Some(m), None) => format!("{y:04}-{m:02}"),
                    _ => format!("{y:04}"),
                };
                known(Interval, format!("{start}/.."))
            }
            Rule::Until => known(Interval, format!("../{:04}", Self::num(c, "y")?)),
            Rule::UntilDay => {
                let m = self.month(c, "m").or_else(|| self.month(c, "m2")).or_else(|| self.month(c, "m3"))?;
                let d = Self::num(c, "d").or_else(|| Self::num(c, "d2"));
                if let Some(d) = d {
                    ymd(2000, m, d)?; // the day exists in some year
                }
                match Self::num(c, "y") {
                    Some(y) => {
                        let end = match d {
                            Some(d) => ymd(y as i32, m, d)?,
                            None => format!("{y:04}-{m:02}"),
                        };
                        known(Interval, format!("../{end}"))
                    }
                    None => Some((Interval, Value::NeedsYearUntil { month: m, day: d })),
                }
            }
            Rule::FullDate | Rule::NumericDate => {
                let y = Self::num(c, "y")?;
                known(Date, ymd(y as i32, self.month(c, "m")?, Self::num(c, "d")?)?)
            }
            Rule::MonthYear => known(Date, format!("{:04}-{:02}", Self::num(c, "y")?, self.month(c, "m")?)),
            Rule::DayMonth => {
                let (m, d) = (self.month(c, "m")?, Self::num(c, "d")?);
                ymd(2000, m, d)?; // the day exists in some year
                Some((Date, Value::NeedsYear { month: m, day: Some(d) }))
            }
            Rule::Season => {
                let s = self.seasons.get(&c.name("s")?.as_str().to_lowercase())?;
                known(Date, format!("{:04}-{s}", Self::num(c, "y")?))
            }
            Rule::Decade => {
                let dec = c.name("dec")?.as_str();
                let full = match dec.len() {
                    3 => dec.to_string(),
                    // '90s, 90-е: the twentieth century's decades.
                    1 => format!("19{dec}"),
                    _ => return None,
                };
                known(Date, format!("{full}X"))
            }
            Rule::DecadeRange => {
                let (a, b) = (c.name("a")?.as_str(), c.name("b")?.as_str());
                (a < b).then(|| (Interval, Value::Known(format!("{a}X/{b}X"))))
            }
            Rule::Century => {
                let n = self.century(c.name("c")?.as_str())?;
                (1..=21).contains(&n).then(|| (Date, Value::Known(format!("{:02}XX", n - 1))))
            }
            Rule::CenturyRange => {
                let a = self.century(c.name("c1")?.as_str())?;
                let b = self.century(c.name("c2")?.as_str())?;
                (a < b && b <= 21 && a >= 1)
                    .then(|| (Interval, Value::Known(format!("{:02}XX/{:02}XX", a - 1, b - 1))))
            }
            Rule::Year => known(Date, format!("{:04}", Self::num(c, "y")?)),
            Rule::Duration => {
                // "четверть века", "half a century": the whole phrase is the length.
                if let Some(q) = c.name("q").or_else(|| c.name("h")) {
                    let q = q.as_str().to_lowercase();
                    let years =
                        if q.starts_with("четверть") || q.starts_with("quarter") { 25 } else { 50 };
                    return known(Duration, format!("P{years}Y"));
                }
                // "more than a year": one.
                let n = match c.name("n") {
                    Some(n) => self.number(n.as_str())?,
                    None => 1,
                };
                let unit = c.name("u")?.as_str().to_lowercase();
                // "a century and a half", "полтора года": one and a half of the unit (the
                // rules take it only with years, decades and centuries).
                let half = c.name("half").is_some();
                let years = |per: u32| if half { per * 3 / 2 } else { n * per };
                let v = match unit.as_str() {
                    u if u.starts_with("year") || u == "лет" || u.starts_with("год") => {
                        if half {
                            "P18M".to_string()
                        } else {
                            format!("P{n}Y")
                        }
                    }
                    u if u.starts_with("month") || u.starts_with("месяц") => format!("P{n}M"),
                    u if u.starts_with("week") || u.starts_with("недел") => format!("P{n}W"),
                    u if u.starts_with("day") || u == "дней" || u == "дня" || u == "день" => {
                        format!("P{n}D")
                    }
                    u if u.starts_with("decade") || u.starts_with("десятилет") => {
                        format!("P{}Y", years(10))
                    }
                    u if u.starts_with("centur") || u.starts_with("век") || u.starts_with("столет") =>
                    {
                        format!("P{}Y", years(100))
                    }
                    u if u.starts_with("hour") || u.starts_with("час") => format!("PT{n}H"),
                    u if u.starts_with("minute") || u.starts_with("минут") => format!("PT{n}M"),
                    _ => return None,
                };
                known(Duration, v)
            }
            Rule::RelativeDay => {
                let t = c.get(0)?.as_str().to_lowercase();
                let days = if t.contains("following")
                    || t.contains("next")
                    || t.contains("after")
                    || t.contains("следующий")
                {
                    1
                } else if t.contains("previous") || t.contains("before") || t.contains("накануне") {
                    -1
                } else {
                    0
                };
                Some((Date, Value::DaysAfter(days)))
            }
            Rule::RelativeYear => {
                let t = c.get(0)?.as_str().to_lowercase();
                let years = if t.contains("following") || t.contains("next") || t.contains("следующ") {
                    1
                } else if t.contains("previous") {
                    -1
                } else {
                    0
                };
                Some((Date, Value::YearsAfter(years)))
            }
            Rule::DaysLater => {
                let n = self.number(c.name("n").or_else(|| c.name("n2"))?.as_str())?;
                Some((Date, Value::DaysAfter(n as i32)))
            }
            Rule::YearsLater => {
                let n = c.name("n").or_else(|| c.name("n2"))?.as_str();
                let n = if matches!(n, "a" | "A" | "one" | "One") { 1 } else { self.number(n)? as i32 };
                let back = c.name("dir").is_some_and(|d| d.as_str() != "later");
                Some((Date, Value::YearsAfter(if back { -n } else { n })))
            }
            Rule::SameYear => {
                let part = match c.name("m").or_else(|| c.name("m2")) {
                    Some(_) => self.month(c, "m").or_else(|| self.month(c, "m2"))?,
                    None => {
                        let s = c.name("s").or_else(|| c.name("s2")).or_else(|| c.name("s3"))?;
                        *self.seasons.get(&s.as_str().to_lowercase())?
                    }
                };
                Some((Date, Value::NeedsYear { month: part, day: None }))
            }
            Rule::Weekday => {
                let w = self.weekdays.get(&c.name("w")?.as_str().to_lowercase())?;
                Some((Date, Value::Weekday(*w)))
            }
            Rule::DatelineYear => {
                let t = c.get(0)?.as_str().to_lowercase();
                let years = match c.name("n") {
                    Some(n) => -(self.number(n.as_str())? as i32),
                    None if t.contains("last") || t.contains("прошл") => -1,
                    None => 0,
                };
                Some((Date, Value::YearsFromDateline(years)))
            }
            Rule::DatelineYearMonth => {
                let month = self.month(c, "m").or_else(|| self.month(c, "m2"))?;
                let years = step(c.name("rel").or_else(|| c.name("rel2"))?.as_str());
                Some((Date, Value::MonthFromDateline { month, years }))
            }
            Rule::DatelineSeason => {
                let s = c.name("s").or_else(|| c.name("s2"))?.as_str().to_lowercase();
                let season = *self.seasons.get(&s)?;
                let years = step(c.name("rel").or_else(|| c.name("rel2"))?.as_str());
                Some((Date, Value::SeasonFromDateline { season, years }))
            }
            Rule::DatelineWeek => Some((Interval, Value::WeeksFromDateline(step(c.get(0)?.as_str())))),
            Rule::BareMonth => Some((Date, Value::NeedsYear { month: self.month(c, "m")?, day: None })),
            Rule::DatelineMonth => Some((Date, Value::MonthsFromDateline(step(c.get(0)?.as_str())))),
            Rule::Quarter => {
                let y = Self::num(c, "y").or_else(|| Self::num(c, "y2")).or_else(|| Self::num(c, "y3"))?;
                let q = quarter(c.name("q").or_else(|| c.name("qn")).or_else(|| c.name("qr"))?.as_str());
                known(Date, format!("{y:04}-{}", 32 + q))
            }
            Rule::Today => {
                let t = c.get(0)?.as_str().to_lowercase();
                let days = if t == "yesterday" || t == "вчера" { -1 } else { 0 };
                Some((Date, Value::FromDateline(days)))
            }
        }
    }

    /// A number written in digits or in words.
    fn number(&self, s: &str) -> Option<u32> {
        s.parse::<u32>().ok().or_else(|| self.numbers.get(&s.to_lowercase()).copied())
    }
}

/// `YYYY-MM-DD` if the day exists.
pub(crate) fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    keruen_model::Day::from_ymd(y, m, d).map(|_| format!("{y:04}-{m:02}-{d:02}"))
}

/// The step from the dateline that a phrase opens with: "last …", "прошлой …" -1,
/// "next …", "следующем …" 1, "this …", "текущего …" 0.
fn step(phrase: &str) -> i32 {
    let p = phrase.to_lowercase();
    if p.starts_with("last") || p.starts_with("прошл") {
        -1
    } else if p.starts_with("next") || p.starts_with("следующ") {
        1
    } else {
        0
    }
}

/// Whether a month alone at `text[at..end]` is a date: after a word that puts it in
/// time ("in August", "until March", "в марте", "на октябрь"), or opening a line of a
/// chronology ("April — the Days of …"). A month name elsewhere may be a name or a
/// verb ("May", "Март" as a title).
fn month_alone_fits(text: &str, at: usize, end: usize) -> bool {
    let line_start = text[..at].trim_end_matches([' ', '\t']).is_empty()
        || text[..at].trim_end_matches([' ', '\t']).ends_with('\n');
    if line_start && text[end..].trim_start_matches([' ', '\t']).starts_with(['—', '–', '-', ':']) {
        return true;
    }
    let before = text[..at].trim_end();
    if before.len() == text[..at].len() {
        return false;
    }
    let word = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase();
    matches!(
        word.as_str(),
        "in" | "since"
            | "until"
            | "till"
            | "by"
            | "during"
            | "from"
            | "early"
            | "late"
            | "mid"
            | "в"
            | "во"
            | "на"
            | "с"
            | "со"
            | "до"
            | "к"
            | "по"
            | "начале"
            | "середине"
            | "конце"
    )
}

/// The number of a quarter written as a digit, a Roman numeral or an ordinal word
/// ("1", "IV", "first", "третьем"); the rule admits nothing else.
fn quarter(s: &str) -> u32 {
    let s = s.to_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| s.starts_with(p));
    if let Some(n) = roman(&s.to_uppercase()).filter(|n| (1..=4).contains(n)) {
        n
    } else if starts(&["1", "fi", "перв"]) {
        1
    } else if starts(&["2", "se", "втор"]) {
        2
    } else if starts(&["3", "th", "трет"]) {
        3
    } else {
        4
    }
}

/// A Roman numeral up to XXI.
fn roman(s: &str) -> Option<u32> {
    let val = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let digits: Vec<u32> = s.chars().map(val).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|n| n > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    (total > 0).then_some(total as u32)
}

#[cfg(test)]
mod tests {
    use super::roman;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman("XX"), Some(20));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("XXI"), Some(21));
        assert_eq!(roman("IX"), Some(9));
        assert_eq!(roman("ABC"), None);
    }
}
