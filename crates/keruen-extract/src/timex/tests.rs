//! The grammar's rules, each on a sentence of its own.
use crate::{Options, extract};

/// (text, value) of every timex in `text`.
fn timexes(text: &str) -> Vec<(String, Option<String>)> {
    extract(text, &Options::default()).timexes.into_iter().map(|t| (t.text, t.value)).collect()
}

fn one(text: &str, span: &str, value: &str) {
    let got = timexes(text);
    assert!(
        got.iter().any(|(t, v)| t == span && v.as_deref() == Some(value)),
        "{text:?}: wanted {span:?} = {value}, got {got:?}"
    );
}

fn none(text: &str, span: &str) {
    let got = timexes(text);
    assert!(
        !got.iter().any(|(t, v)| t.contains(span) && v.is_some()),
        "{text:?}: {span:?} is no timex, got {got:?}"
    );
}

#[test]
fn russian_year_words_and_ordinal_endings_belong_to_the_span() {
    one("Архив был передан в 1957 г. в Ташкент.", "1957 г.", "1957");
    one("Сборник вышел в ноябре 2003 г. в Бишкеке.", "ноябре 2003 г.", "2003-11");
    one("Первый съезд прошёл в 2004-м в Оше.", "2004-м", "2004");
    one("Выставка открылась 7–9 марта 2012 г. в Душанбе.", "7–9 марта 2012 г.", "2012-03-07/2012-03-09");
}

#[test]
fn ranges_of_days_without_a_year_and_numeric_ranges() {
    one("In 2016 the tour ran from 3 to 9 June in Osh.", "from 3 to 9 June", "2016-06-03/2016-06-09");
    one("In 2016 the fair was open on 21–22 June.", "21–22 June", "2016-06-21/2016-06-22");
    one("В 2014 году форум прошёл с 5 по 9 июня.", "с 5 по 9 июня", "2014-06-05/2014-06-09");
    one("С 01.02.2019 по 15.02.2019 шли гастроли.", "С 01.02.2019 по 15.02.2019", "2019-02-01/2019-02-15");
}

#[test]
fn open_intervals_years_first_and_capitalised_centuries() {
    one("Exchanges grew from 2010 onwards.", "from 2010 onwards", "2010/..");
    one("2001, March — the archive reopened.", "2001, March", "2001-03");
    one("The tenth century saw the rise of Bukhara.", "The tenth century", "09XX");
}

#[test]
fn lengths_of_time_keep_their_qualifiers() {
    one("The choir has toured for more than 20 years.", "more than 20 years", "P20Y");
    one("It took more than a year to restore.", "more than a year", "P1Y");
    one("A forty-minute film opened the week.", "forty-minute", "PT40M");
    one("Работа заняла почти три года.", "почти три года", "P3Y");
    one("За последние шесть лет обмен вырос.", "последние шесть лет", "P6Y");
    one("На протяжении девяноста лет фонд пополнялся.", "девяноста лет", "P90Y");
    one("Прошла четверть века.", "четверть века", "P25Y");
}

#[test]
fn ages_frequencies_and_anniversaries_are_not_dates() {
    none("A 12-year-old pupil read a poem.", "12-year");
    none("Форум проходит раз в два года.", "два года");
    none("Отмечалось 1000-летие города.", "1000");
}

#[test]
fn relative_expressions_take_the_year_before_them() {
    one("The ensemble toured Khiva in 1960, and three years later it returned.", "three years later", "1963");
    one(
        "Talks began in March 1960; in the spring of that year a treaty followed.",
        "the spring of that year",
        "1960-21",
    );
    one(
        "Декада прошла в 1958 году, а в ноябре того же года вышел сборник.",
        "ноябре того же года",
        "1958-11",
    );
    one("Гастроли прошли в 1956 г., а на ту же осень была назначена выставка.", "ту же осень", "1956-23");
    one(
        "On 3 June 2010 the fair opened; the same evening a concert was given.",
        "the same evening",
        "2010-06-03",
    );
}

#[test]
fn a_dateline_dates_weekdays_today_and_next_year() {
    let text = "TASHKENT, 12 March 2024 – The festival closed on Sunday. \
                The ministry announced today that it will return next year.";
    one(text, "Sunday", "2024-03-10");
    one(text, "today", "2024-03-12");
    one(text, "next year", "2025");
}

#[test]
fn dative_months_and_accusative_seasons() {
    one("Юбилей готовили к маю 1990 года.", "маю 1990 года", "1990-05");
    one("Тур перенесли на осень 2011 года.", "осень 2011 года", "2011-23");
}

#[test]
fn a_dateline_in_title_case_on_its_own_line() {
    let text = "PRESS RELEASE\n\nSamarkand, 18 September 2025\n\nThe festival opened on Monday. \
                On Friday the orchestra will close it. Exhibitions open on 17 September.";
    one(text, "Monday", "2025-09-15");
    one(text, "Friday", "2025-09-19");
    one(text, "17 September", "2025-09-17");
    // A title that ends with a span of years is not a dateline.
    let title =
        "MANUSCRIPTS OF THE REGION, 1943–2023\n\nWork began in 1958. Two years later a commission met.";
    one(title, "Two years later", "1960");
}

#[test]
fn today_in_a_relative_clause_means_nowadays() {
    let text = "Бишкек, 20 февраля 2025 г.\n\nВ 2023 году была создана ассоциация, которая сегодня объединяет 41 вуз.";
    let got = timexes(text);
    assert!(got.iter().any(|(t, v)| t == "сегодня" && v.is_none()), "{got:?}");
    one("ASTANA, 3 May 2024 – The ministries announced today a new programme.", "today", "2024-05-03");
}

#[test]
fn ranges_of_decades_and_lengths_in_words() {
    one("В 1950–1980-е годы театры гастролировали.", "1950–1980-е годы", "195X/198X");
    one("В 1960–1970-х годах выходили переводы.", "1960–1970-х годах", "196X/197X");
    one("From the 1960s to the 1980s the journal appeared.", "From the 1960s to the 1980s", "196X/198X");
    one("The 1970s saw new tours.", "The 1970s", "197X");
    one("Readers have known him for a century and a half.", "a century and a half", "P150Y");
    one("The ties were broken for almost a decade.", "almost a decade", "P10Y");
    one("Обмен шёл на протяжении почти полувека.", "почти полувека", "P50Y");
    one("Связи прервались более чем на полтора десятилетия.", "полтора десятилетия", "P15Y");
    one("Работа заняла около десятилетия.", "около десятилетия", "P10Y");
    none("За последние десятилетия обмен вырос.", "десятилетия");
    let text =
        "On 4 May 2001 the talks began. The next day a treaty was signed; the same day the delegation left.";
    one(text, "The next day", "2001-05-05");
    one(text, "the same day", "2001-05-05");
}

#[test]
fn centuries_end_before_punctuation_and_quotes() {
    one("Это было во второй половине XX века.", "второй половине XX века", "19XX");
    one("Круглый стол «Поэзия XX века» пройдёт в Бишкеке.", "XX века", "19XX");
    none("Занятия идут в аудитории 1905 и в зале 2004.", "1905");
    none("Занятия идут в аудитории 1905 и в зале 2004.", "2004");
}

#[test]
fn each_dateline_of_a_digest_dates_its_own_item() {
    let text = "AGENCY DIGEST\n\nBISHKEK, 3 June 2024 – The festival opened on Sunday. Last year it was smaller; \
                two years ago it did not take place.\n\nDUSHANBE, 12 June 2024 – Experts met on Wednesday; \
                this year the meeting ran from June 11 to June 12, and five days later the report was sent.";
    one(text, "Sunday", "2024-06-02");
    one(text, "Last year", "2023");
    one(text, "two years ago", "2022");
    one(text, "Wednesday", "2024-06-12");
    one(text, "this year", "2024");
    one(text, "from June 11 to June 12", "2024-06-11/2024-06-12");
    let ru = "Душанбе, 12 июня 2024 г. – В среду открылся форум. В прошлом году он прошёл в Худжанде.";
    one(ru, "среду", "2024-06-12");
    one(ru, "прошлом году", "2023");
    // Without a dateline "last year" has nothing to count from.
    assert!(timexes("Last year the festival was smaller.").iter().all(|(_, v)| v.is_none()));
}

#[test]
fn seasons_across_two_years_decades_since_and_centuries_in_the_plural() {
    one("The archive closed in the winter of 2019/2020.", "the winter of 2019/2020", "2019-24");
    one("Архив закрывали зимой 2019/2020 года.", "зимой 2019/2020 года", "2019-24");
    one("Since the 1990s the holiday has been official.", "Since the 1990s", "199X/..");
    one("В XV–XVIII веках эпос передавался устно.", "XV–XVIII веках", "14XX/17XX");
    one("The treaty was signed in 1992. A year earlier the talks had begun.", "A year earlier", "1991");
}

#[test]
fn until_a_day_or_a_month_is_an_interval_open_at_its_start() {
    let text =
        "ASTANA, 3 June 2024 – Applications are open until mid-August. Until 1 October 2024 the show runs.";
    one(text, "until mid-August", "../2024-08");
    one(text, "Until 1 October 2024", "../2024-10-01");
    let ru =
        "Астана, 14 марта 2019 г. – Аккредитация проводится до 10 апреля. Выставка открыта от 5 до 10 мая.";
    one(ru, "до 10 апреля", "../2019-04-10");
    one(ru, "от 5 до 10 мая", "2019-05-05/2019-05-10");
}

#[test]
fn quarters_ends_of_years_and_ranges_opened_by_between_or_so() {
    one("Форум пройдёт в I квартале 2026 года в Худжанде.", "I квартале 2026 года", "2026-33");
    one("Отчёт будет готов в третьем квартале 2025 г.", "третьем квартале 2025 г.", "2025-35");
    one("The survey closes in the second quarter of 2027.", "the second quarter of 2027", "2027-34");
    one("Sales rose in Q4 2023 in Osh.", "Q4 2023", "2023-36");
    one("Сборник издадут до конца 2026 года.", "до конца 2026 года", "../2026");
    one("The catalogue will appear by the end of 2026.", "by the end of 2026", "../2026");
    one("В 2019 году олимпиада прошла со 2 по 5 мая.", "со 2 по 5 мая", "2019-05-02/2019-05-05");
    one("In 2018 the school ran between 4 and 9 August.", "between 4 and 9 August", "2018-08-04/2018-08-09");
}

#[test]
fn a_date_alone_on_its_line_dates_the_news_item_under_it() {
    let text = "Headline of the item\n14.03.2022\nIn 2009 the two universities signed an agreement. \
                Applications are accepted until 30 April. Next month a delegation will visit Osh. \
                In May of last year the first students arrived.";
    one(text, "until 30 April", "../2022-04-30");
    one(text, "Next month", "2022-04");
    one(text, "May of last year", "2021-05");
    let ru = "Новости\n3 октября 2024 г.\nСоглашение было подписано в 2017 году. \
              Приём заявок продлится до 15 ноября. В следующем месяце пройдёт форум, \
              а в мае текущего года прошли Дни культуры.";
    one(ru, "до 15 ноября", "../2024-11-15");
    one(ru, "следующем месяце", "2024-11");
    one(ru, "мае текущего года", "2024-05");
}

#[test]
fn a_month_alone_after_a_preposition_and_chronology_entries() {
    one("In 2024 the jury met in August in Astana.", "August", "2024-08");
    one("В 2023 году выставку перенесли на октябрь.", "октябрь", "2023-10");
    one("2021\nApril — a festival in Osh.\nMay — a forum in Khujand.", "April", "2021-04");
    one("2021\nApril — a festival in Osh.\nMay — a forum in Khujand.", "May", "2021-05");
    none("In 2024 we wrote. May the festival last.", "May");
    one("1993 г., 12–15 мая — Дни культуры в Бишкеке.", "1993 г., 12–15 мая", "1993-05-12/1993-05-15");
    one("2022 г., 7 октября — открыт центр.", "2022 г., 7 октября", "2022-10-07");
}

#[test]
fn seasons_weeks_and_centuries_ago_from_the_dateline() {
    let text = "DUSHANBE, 14 October 2024 — The festival held last week honoured a director born \
                110 years ago. Next spring the students arrive; this winter the scripts are written.";
    one(text, "last week", "2024-10-07/2024-10-13");
    one(text, "110 years ago", "1914");
    one(text, "Next spring", "2025-21");
    one(text, "this winter", "2024-24");
}
