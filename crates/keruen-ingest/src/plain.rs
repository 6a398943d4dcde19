//! Plain text and Markdown.
//!
//! Markdown is returned exactly as written, syntax and all: it is already readable
//! text, and stripping `**` or `[…](…)` would shift every offset away from the file
//! a curator opens to check a quote. Only its first heading is read, as the title.

use crate::charset::{self, Undecodable};
use crate::{Extracted, Format, ReadError};

/// Reads a `.txt` or `.md` file.
pub(crate) fn read(name: &str, bytes: &[u8], format: Format) -> Result<Extracted, ReadError> {
    let decoded = charset::decode_text(bytes).map_err(|why| match why {
        Undecodable::Binary => ReadError::Binary { name: name.to_owned() },
        Undecodable::Unknown => ReadError::UnknownEncoding { name: name.to_owned() },
        Undecodable::BrokenUtf8 { line, byte } => ReadError::BrokenUtf8 { name: name.to_owned(), line, byte },
    })?;
    let text = charset::normalize_newlines(decoded.text);
    let title = match format {
        Format::Markdown => markdown_title(&text),
        _ => None,
    };
    Ok(Extracted { text, title, encoding: decoded.encoding.name().to_owned() })
}

/// The first level-one heading: an ATX `# Title` line (closing `#`s dropped), or a
/// Setext title underlined with `===`. Lines inside fenced code blocks are skipped,
/// since `# comment` is common in shell snippets.
pub(crate) fn markdown_title(text: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            previous = None;
            continue;
        }
        if indent < 4 {
            if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
                fence = Some(marker);
                previous = None;
                continue;
            }
            if let Some(heading) = atx_heading(trimmed) {
                return Some(heading);
            }
            let underline = trimmed.trim_end();
            if !underline.is_empty()
                && underline.chars().all(|c| c == '=')
                && let Some(title) = previous.map(str::trim).filter(|t| !t.is_empty())
            {
                return Some(plain_inline(title));
            }
        }
        previous = Some(line);
    }
    None
}

/// `# Title ##` → `Title`; `None` for other lines, including `#hashtag` and `## Sub`.
fn atx_heading(line: &str) -> Option<String> {
    let rest = line.strip_prefix('#')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim_end();
    let title = plain_inline(title);
    (!title.is_empty()).then_some(title)
}

/// A heading without its inline markup: `*`, `_` and `` ` `` emphasis markers
/// dropped, `[text](url)` reduced to `text`. The title is metadata, so unlike the
/// text it need not match the file.
fn plain_inline(heading: &str) -> String {
    let mut out = String::with_capacity(heading.len());
    let mut rest = heading;
    while let Some(c) = rest.chars().next() {
        if c == ']'
            && let Some(after) = rest[1..].strip_prefix('(')
            && let Some(close) = after.find(')')
        {
            rest = &after[close + 1..];
            continue;
        }
        // Underscores inside a word (snake_case) are text, not emphasis.
        let inside_word = c == '_'
            && out.chars().last().is_some_and(char::is_alphanumeric)
            && rest[1..].chars().next().is_some_and(char::is_alphanumeric);
        if !matches!(c, '*' | '`' | '[' | ']') && (c != '_' || inside_word) {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::markdown_title;

    #[test]
    fn atx_title() {
        assert_eq!(markdown_title("intro\n# Дни культуры #\n\ntext").as_deref(), Some("Дни культуры"));
    }

    #[test]
    fn subheadings_hashtags_and_code_are_not_titles() {
        let text = "## Sub\n#hashtag\n```sh\n# not a title\n```\n    # indented code\n# Real\n";
        assert_eq!(markdown_title(text).as_deref(), Some("Real"));
        assert_eq!(markdown_title("no heading here\n"), None);
    }

    #[test]
    fn inline_markup_leaves_the_title() {
        assert_eq!(
            markdown_title("# Festival of *Navruz* in [Khiva](https://example.org) `1996` __now__ fond_12")
                .as_deref(),
            Some("Festival of Navruz in Khiva 1996 now fond_12")
        );
    }

    #[test]
    fn setext_title() {
        assert_eq!(
            markdown_title("Silk Road Days\n==============\n\nBody").as_deref(),
            Some("Silk Road Days")
        );
    }
}
