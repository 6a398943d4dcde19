//! Sets of event positions: sorted lists for rare terms, bitsets for common ones, and
//! the two operations a search needs — union (an entity group, a word prefix) and a
//! walk over one set that checks membership in the others.
use super::col::Col;
use std::borrow::Cow;

/// A set of positions as one bit each: what a term found in more than one event in
/// [`DENSE`] costs less as (and tests membership in one step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bitset {
    pub(super) words: Col<u64>,
    pub(super) count: usize,
}

/// A set holding more than one position in this many is kept as a bitset.
pub(crate) const DENSE: usize = 32;

impl Bitset {
    fn empty(n: usize) -> Self {
        Bitset { words: vec![0; n.div_ceil(64)].into(), count: 0 }
    }

    fn from_sorted(list: &[u32], n: usize) -> Self {
        let mut b = Bitset::empty(n);
        b.or_list(list);
        b.count = list.len();
        b
    }

    #[inline]
    pub(crate) fn contains(&self, p: u32) -> bool {
        self.words[p as usize / 64] & (1 << (p % 64)) != 0
    }

    fn or_list(&mut self, list: &[u32]) {
        let words = self.words.vec_mut();
        for &p in list {
            words[p as usize / 64] |= 1 << (p % 64);
        }
    }

    fn or_bits(&mut self, other: &Bitset) {
        for (a, b) in self.words.vec_mut().iter_mut().zip(other.words.iter()) {
            *a |= *b;
        }
    }

    fn recount(&mut self) {
        self.count = self.words.iter().map(|w| w.count_ones() as usize).sum();
    }

    /// The positions from `from` on, in order.
    pub(crate) fn iter_from(&self, from: u32) -> impl Iterator<Item = u32> + '_ {
        let first = from as usize / 64;
        self.words.iter().enumerate().skip(first).flat_map(move |(i, &w)| {
            let w = if i == first { w & (!0u64 << (from % 64)) } else { w };
            BitsOf(w).map(move |b| (i * 64 + b) as u32)
        })
    }

    fn heap_bytes(&self) -> usize {
        self.words.heap_bytes()
    }
}

/// The set bits of one word, lowest first.
struct BitsOf(u64);

impl Iterator for BitsOf {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(b)
    }
}

/// The positions of one term (an entity, a word, a type), chosen by density.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Postings {
    /// Ascending, without repeats.
    List(Col<u32>),
    /// One bit per event.
    Bits(Bitset),
}

impl Postings {
    /// Sorts and de-duplicates `list` and keeps it in the cheaper form for `n` events.
    pub(crate) fn new(mut list: Vec<u32>, n: usize) -> Self {
        list.sort_unstable();
        list.dedup();
        if n >= 64 * DENSE && list.len() > n / DENSE {
            Postings::Bits(Bitset::from_sorted(&list, n))
        } else {
            Postings::List(list.into())
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Postings::List(l) => l.len(),
            Postings::Bits(b) => b.count,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Postings::List(l) => l.heap_bytes(),
            Postings::Bits(b) => b.heap_bytes(),
        }
    }

    pub(crate) fn as_set(&self) -> Set<'_> {
        match self {
            Postings::List(l) => Set::List(Cow::Borrowed(&l[..])),
            Postings::Bits(b) => Set::Bits(Cow::Borrowed(b)),
        }
    }
}

/// A set used by one query: borrowed from the index, or built for it.
#[derive(Debug, Clone)]
pub(crate) enum Set<'a> {
    List(Cow<'a, [u32]>),
    Bits(Cow<'a, Bitset>),
}

impl<'a> Set<'a> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Set::List(l) => l.len(),
            Set::Bits(b) => b.count,
        }
    }

    /// The union of some postings among `n` events; borrowed when there is one.
    pub(crate) fn union(parts: &[&'a Postings], n: usize) -> Set<'a> {
        match parts {
            [] => Set::List(Cow::Owned(Vec::new())),
            [one] => one.as_set(),
            _ => {
                let total: usize = parts.iter().map(|p| p.len()).sum();
                if total > n / DENSE {
                    let mut b = Bitset::empty(n);
                    for p in parts {
                        match p {
                            Postings::List(l) => b.or_list(l),
                            Postings::Bits(o) => b.or_bits(o),
                        }
                    }
                    b.recount();
                    Set::Bits(Cow::Owned(b))
                } else {
                    let mut v = Vec::with_capacity(total);
                    for p in parts {
                        match p {
                            Postings::List(l) => v.extend_from_slice(l),
                            Postings::Bits(o) => v.extend(o.iter_from(0)),
                        }
                    }
                    v.sort_unstable();
                    v.dedup();
                    Set::List(Cow::Owned(v))
                }
            }
        }
    }

    /// A membership test for positions asked in ascending order.
    pub(crate) fn probe(&self) -> Probe<'_> {
        match self {
            Set::List(l) => Probe::List { list: l, at: 0 },
            Set::Bits(b) => Probe::Bits(b),
        }
    }

    /// The positions from `from` on, in order.
    pub(crate) fn iter_from(&self, from: u32) -> Box<dyn Iterator<Item = u32> + '_> {
        match self {
            Set::List(l) => {
                let start = l.partition_point(|&p| p < from);
                Box::new(l[start..].iter().copied())
            }
            Set::Bits(b) => Box::new(b.iter_from(from)),
        }
    }
}

/// Membership in a set, for positions asked in ascending order: a bit test, or an
/// exponential search forward in a list (cheap when the walk is much sparser than
/// the list, as when a rare place drives and a state's list is checked).
pub(crate) enum Probe<'a> {
    List { list: &'a [u32], at: usize },
    Bits(&'a Bitset),
}

impl Probe<'_> {
    #[inline]
    pub(crate) fn contains(&mut self, p: u32) -> bool {
        match self {
            Probe::Bits(b) => b.contains(p),
            Probe::List { list, at } => {
                let rest = &list[*at..];
                if rest.first().is_none_or(|&x| x >= p) {
                    return rest.first() == Some(&p);
                }
                let mut step = 1;
                while step < rest.len() && rest[step] < p {
                    step *= 2;
                }
                let lo = step / 2;
                let hi = step.min(rest.len());
                let i = lo + rest[lo..hi].partition_point(|&x| x < p);
                *at += i;
                list.get(*at) == Some(&p)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_bitsets_agree() {
        let n = 10_000;
        let a: Vec<u32> = (0..n as u32).filter(|p| p % 3 == 0).collect();
        let b: Vec<u32> = (0..n as u32).filter(|p| p % 7 == 2).collect();
        let (pa, pb) = (Postings::new(a.clone(), n), Postings::new(b.clone(), n));
        assert!(matches!(pa, Postings::Bits(_)));
        let u = Set::union(&[&pa, &pb], n);
        let mut expected: Vec<u32> = a.iter().chain(&b).copied().collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(u.iter_from(0).collect::<Vec<_>>(), expected);
        assert_eq!(u.len(), expected.len());
        assert_eq!(u.iter_from(5000).next(), expected.iter().copied().find(|&p| p >= 5000));
        let small = Set::List(Cow::Owned(b.clone()));
        let mut probe = small.probe();
        for p in 0..n as u32 {
            assert_eq!(probe.contains(p), b.contains(&p), "{p}");
        }
        let mut probe = small.probe();
        for p in (0..n as u32).step_by(97) {
            assert_eq!(probe.contains(p), b.contains(&p), "{p}");
        }
    }
}
