//! The words of a text collection (events' folded type, title and description;
//! sources' folded title, authors and text): each distinct word with the items it
//! occurs in, the words sorted so that a prefix names a contiguous run of them —
//! what FTS5's `"word"*` finds.
use super::col::Runs;
use super::sets::{Postings, Set};
use std::collections::HashMap;

/// Words in byte order, each with its postings.
#[derive(Default)]
pub(crate) struct Words {
    /// The words' bytes.
    pub(super) terms: Runs<u8>,
    pub(super) postings: Vec<Postings>,
}

impl Words {
    /// The first word at or after `from` for which `after` is false (`after` must be
    /// true for a run of words and then false, as for `partition_point`).
    fn first_not(&self, from: usize, after: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (from, self.terms.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if after(self.terms.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The items containing a word that starts with `prefix`, among `n` items.
    pub(crate) fn prefixed(&self, prefix: &str, n: usize) -> Set<'_> {
        let prefix = prefix.as_bytes();
        // Byte order is the order of the words as `str`.
        let start = self.first_not(0, |t| t < prefix);
        let end = self.first_not(start, |t| t.starts_with(prefix));
        let parts: Vec<&Postings> = self.postings[start..end].iter().collect();
        Set::union(&parts, n)
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.terms.heap_bytes()
            + self.postings.iter().map(|p| p.heap_bytes() + std::mem::size_of::<Postings>()).sum::<usize>()
    }
}

/// Collects the words of items given one at a time, in item order.
#[derive(Default)]
pub(crate) struct WordsBuilder {
    ids: HashMap<Box<str>, u32>,
    items: Vec<Vec<u32>>,
}

impl WordsBuilder {
    /// Adds an item with its folded text (words separated by single spaces, as
    /// folding leaves them); items come in ascending order.
    pub(crate) fn add(&mut self, item: u32, folded: &str) {
        for w in folded.split(' ').filter(|w| !w.is_empty()) {
            let id = match self.ids.get(w) {
                Some(id) => *id,
                None => {
                    let id = self.items.len() as u32;
                    self.ids.insert(w.into(), id);
                    self.items.push(Vec::new());
                    id
                }
            };
            let list = &mut self.items[id as usize];
            if list.last() != Some(&item) {
                list.push(item);
            }
        }
    }

    /// The words, with each item renumbered by `position` among `n`.
    pub(crate) fn finish(self, position: impl Fn(u32) -> u32, n: usize) -> Words {
        let mut terms: Vec<(Box<str>, u32)> = self.ids.into_iter().collect();
        terms.sort_unstable();
        let mut items = self.items;
        let mut runs = Runs::default();
        let mut postings = Vec::with_capacity(terms.len());
        for (term, id) in terms {
            let mut list = std::mem::take(&mut items[id as usize]);
            for p in list.iter_mut() {
                *p = position(*p);
            }
            runs.push(term.bytes());
            postings.push(Postings::new(list, n));
        }
        Words { terms: runs, postings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_finds_every_word_it_begins() {
        let mut b = WordsBuilder::default();
        b.add(0, "culture days in almaty");
        b.add(1, "cultural forum");
        b.add(2, "cult cult");
        b.add(3, "days");
        let w = b.finish(|i| i, 4);
        let found = |p: &str| w.prefixed(p, 4).iter_from(0).collect::<Vec<_>>();
        assert_eq!(found("cult"), vec![0, 1, 2]);
        assert_eq!(found("culture"), vec![0]);
        assert_eq!(found("day"), vec![0, 3]);
        assert_eq!(found("zzz"), Vec::<u32>::new());
        assert_eq!(found("almatyx"), Vec::<u32>::new());
    }
}
