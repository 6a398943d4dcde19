//! [`Col`]: an array of plain values that the index either built in memory or reads
//! in place from its file ([`super::file`]), mapped into memory — so that a process
//! that opens the file touches only the pages a query reads.
use bytemuck::Pod;
use memmap2::Mmap;
use std::ops::Deref;
use std::sync::Arc;

/// A read-only array; built as a `Vec`, or a run of a mapped index file.
pub(crate) enum Col<T: Pod> {
    Owned(Vec<T>),
    /// `len` values of `T` at byte `start` of `map` (aligned: checked when read).
    Mapped {
        map: Arc<Mmap>,
        start: usize,
        len: usize,
    },
}

impl<T: Pod> Col<T> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Col::Owned(Vec::with_capacity(n))
    }

    /// The values as a `Vec` to change, copied out of the file first if mapped (only
    /// a build changes columns, and it builds them in memory).
    pub(crate) fn vec_mut(&mut self) -> &mut Vec<T> {
        if let Col::Mapped { .. } = self {
            *self = Col::Owned(self.to_vec());
        }
        match self {
            Col::Owned(v) => v,
            Col::Mapped { .. } => unreachable!("made owned above"),
        }
    }

    pub(crate) fn push(&mut self, value: T) {
        self.vec_mut().push(value);
    }

    /// Values it holds room for without growing.
    pub(crate) fn capacity(&self) -> usize {
        match self {
            Col::Owned(v) => v.capacity(),
            Col::Mapped { len, .. } => *len,
        }
    }

    /// Bytes of memory it holds itself (a mapped column holds none: its pages belong to
    /// the file, shared by every process that maps it).
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Col::Owned(v) => v.capacity() * size_of::<T>(),
            Col::Mapped { .. } => 0,
        }
    }
}

impl<T: Pod> Deref for Col<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Col::Owned(v) => v,
            // Bounds and alignment were checked when the column was read; the cast
            // checks them again at the cost of a compare or two.
            Col::Mapped { map, start, len } => {
                bytemuck::cast_slice(&map[*start..*start + *len * size_of::<T>()])
            }
        }
    }
}

impl<T: Pod> Default for Col<T> {
    fn default() -> Self {
        Col::Owned(Vec::new())
    }
}

impl<T: Pod> From<Vec<T>> for Col<T> {
    fn from(v: Vec<T>) -> Self {
        Col::Owned(v)
    }
}

impl<T: Pod> Clone for Col<T> {
    fn clone(&self) -> Self {
        match self {
            Col::Owned(v) => Col::Owned(v.clone()),
            Col::Mapped { map, start, len } => Col::Mapped { map: map.clone(), start: *start, len: *len },
        }
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Col<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Pod + PartialEq> PartialEq for Col<T> {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl<T: Pod + Eq> Eq for Col<T> {}

/// Runs of values of varying length, one after another: run `i` is
/// `flat[ends[i - 1]..ends[i]]` (the words of a vocabulary, the states of each set).
#[derive(Default)]
pub(crate) struct Runs<T: Pod> {
    pub(super) flat: Col<T>,
    pub(super) ends: Col<u64>,
}

impl<T: Pod> Runs<T> {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`-th run.
    pub(crate) fn get(&self, i: usize) -> &[T] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.flat[start..self.ends[i] as usize]
    }

    /// Appends a run.
    pub(crate) fn push(&mut self, run: impl IntoIterator<Item = T>) {
        self.flat.vec_mut().extend(run);
        let end = self.flat.len() as u64;
        self.ends.push(end);
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.flat.heap_bytes() + self.ends.heap_bytes()
    }
}
