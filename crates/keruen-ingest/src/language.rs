//! A deliberately simple guess at the language of a document, by script.
//!
//! keruen's extractor has grammars for English and Russian only, so all it needs to
//! know is which of the two to try. Counting letters by script answers that for the
//! documents it reads. Text in Kazakh, Uzbek, Kyrgyz or Tajik Cyrillic would count
//! as Cyrillic too, so a document where the letters of those alphabets (ә ғ қ ң ө
//! ұ ү һ і ў ҷ ҳ ӣ ӯ ӊ) are frequent gets no language rather than a wrong "ru".

/// Share of Cyrillic letters, in per mille, above which the Central Asian letters
/// mark the text as not Russian. In a Kazakh text they are around 8–10 % of the
/// letters; a Russian text that quotes a few Kazakh names stays far below 2 %.
const CENTRAL_ASIAN_PER_MILLE: usize = 20;

/// `"ru"` if most letters are Cyrillic, `"en"` if most are Latin, else `None`.
pub(crate) fn guess(text: &str) -> Option<String> {
    let mut cyrillic = 0usize;
    let mut central_asian = 0usize;
    let mut latin = 0usize;
    let mut letters = 0usize;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if matches!(c, '\u{0400}'..='\u{052F}') {
            cyrillic += 1;
            if is_central_asian_letter(c) {
                central_asian += 1;
            }
        } else if is_latin(c) {
            latin += 1;
        }
    }
    if cyrillic * 2 > letters {
        if central_asian * 1000 > cyrillic * CENTRAL_ASIAN_PER_MILLE {
            return None;
        }
        return Some("ru".to_owned());
    }
    if latin * 2 > letters {
        return Some("en".to_owned());
    }
    None
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Letters of the Kazakh, Uzbek, Kyrgyz and Tajik Cyrillic alphabets that Russian
/// does not have.
fn is_central_asian_letter(c: char) -> bool {
    matches!(
        c,
        'ә' | 'ғ'
            | 'қ'
            | 'ң'
            | 'ө'
            | 'ұ'
            | 'ү'
            | 'һ'
            | 'і'
            | 'ў'
            | 'ҷ'
            | 'ҳ'
            | 'ӣ'
            | 'ӯ'
            | 'ӊ'
            | 'Ә'
            | 'Ғ'
            | 'Қ'
            | 'Ң'
            | 'Ө'
            | 'Ұ'
            | 'Ү'
            | 'Һ'
            | 'І'
            | 'Ў'
            | 'Ҷ'
            | 'Ҳ'
            | 'Ӣ'
            | 'Ӯ'
            | 'Ӊ'
    )
}

#[cfg(test)]
mod tests {
    use super::guess;

    #[test]
    fn russian_english_and_neither() {
        assert_eq!(guess("Дни культуры Узбекистана в Алматы").as_deref(), Some("ru"));
        assert_eq!(guess("Days of Uzbek culture in Almaty").as_deref(), Some("en"));
        assert_eq!(guess("1992–1995, 12 / 20"), None);
        assert_eq!(guess("Αθήνα και Ρώμη"), None);
    }

    #[test]
    fn mixed_text_follows_the_majority() {
        assert_eq!(guess("В 1997 году ЮНЕСКО (UNESCO) провело конференцию").as_deref(), Some("ru"));
        assert_eq!(guess("The treaty (Договор) was signed in Tashkent in 1994").as_deref(), Some("en"));
    }

    #[test]
    fn kazakh_cyrillic_is_not_called_russian() {
        assert_eq!(guess("Қазақстан мен Өзбекстан арасындағы мәдени ынтымақтастық"), None);
        // A Russian sentence naming one Kazakh place stays Russian.
        assert_eq!(
            guess("Фестиваль прошёл в городе Қызылорда, собрав артистов из пяти стран региона и гостей из Европы")
                .as_deref(),
            Some("ru")
        );
    }
}
