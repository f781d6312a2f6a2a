//! Named index spaces. A model has several lists indexed by plain numbers — parameters,
//! the sampler's dimensions (the uncertain parameters), targets, the accumulator's slots
//! (the modeled targets), series — and a number from one list means nothing in another.
//! Each space gets its own index type (as ndarray names its `Axis`), and [`IxVec`] is a
//! list that only its own index type indexes, so mixing them up does not compile.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// An index type: a position in one kind of list.
pub trait Idx: Copy + Eq + Ord + fmt::Debug + 'static {
    /// The index of position `i`.
    fn new(i: usize) -> Self;
    /// The position.
    fn index(self) -> usize;
}

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);

        impl Idx for $name {
            #[inline]
            fn new(i: usize) -> Self {
                $name(i)
            }
            #[inline]
            fn index(self) -> usize {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

index_type!(
    /// A parameter of the model (fixed or uncertain): `Model::params`.
    ParamIx
);
index_type!(
    /// A sampler dimension: the k-th uncertain parameter, `Model::uncertain`. A draw's
    /// uniforms and sensitivity bins are indexed by it.
    DimIx
);
index_type!(
    /// A dimension of the copula: the c-th correlated parameter.
    CopulaIx
);
index_type!(
    /// A target of the plan, modeled or not: `Model::targets`.
    TargetIx
);
index_type!(
    /// An accumulator slot: the j-th modeled target (`Layout::slots`).
    SlotIx
);
index_type!(
    /// A series a target, a fan or a history point reads: `Model::series`.
    SeriesIx
);

/// A list indexed by one index type only.
#[derive(Clone, PartialEq)]
pub struct IxVec<I, T> {
    raw: Vec<T>,
    ix: PhantomData<fn(&I)>,
}

impl<I: Idx, T> IxVec<I, T> {
    /// An empty list.
    pub fn new() -> Self {
        Self::from_raw(Vec::new())
    }

    /// The list `raw`, position i holding index i.
    pub fn from_raw(raw: Vec<T>) -> Self {
        IxVec {
            raw,
            ix: PhantomData,
        }
    }

    /// `n` copies of `value`.
    pub fn filled(value: T, n: usize) -> Self
    where
        T: Clone,
    {
        Self::from_raw(vec![value; n])
    }

    /// Adds `value` at the end and returns its index.
    pub fn push(&mut self, value: T) -> I {
        self.raw.push(value);
        I::new(self.raw.len() - 1)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The entry at `i`, if there is one.
    pub fn get(&self, i: I) -> Option<&T> {
        self.raw.get(i.index())
    }

    /// The entries in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.raw.iter()
    }

    /// The entries in order, mutably.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.raw.iter_mut()
    }

    /// The entries with their indices.
    pub fn iter_enumerated(&self) -> impl Iterator<Item = (I, &T)> + '_ {
        self.raw.iter().enumerate().map(|(i, t)| (I::new(i), t))
    }

    /// Every index, in order.
    pub fn indices(&self) -> impl Iterator<Item = I> + 'static {
        (0..self.raw.len()).map(I::new)
    }

    /// The first index whose entry satisfies `f`.
    pub fn position(&self, f: impl FnMut(&T) -> bool) -> Option<I> {
        self.raw.iter().position(f).map(I::new)
    }

    /// The entries as a plain slice (for code that works on positions, e.g. copying).
    pub fn as_raw(&self) -> &[T] {
        &self.raw
    }

    /// The entries as a plain mutable slice.
    pub fn as_raw_mut(&mut self) -> &mut [T] {
        &mut self.raw
    }
}

impl<I: Idx, T> Default for IxVec<I, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<I: Idx, T: fmt::Debug> fmt::Debug for IxVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.raw.fmt(f)
    }
}

impl<I: Idx, T> Index<I> for IxVec<I, T> {
    type Output = T;
    #[inline]
    fn index(&self, i: I) -> &T {
        &self.raw[i.index()]
    }
}

impl<I: Idx, T> IndexMut<I> for IxVec<I, T> {
    #[inline]
    fn index_mut(&mut self, i: I) -> &mut T {
        &mut self.raw[i.index()]
    }
}

impl<I: Idx, T> FromIterator<T> for IxVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        Self::from_raw(iter.into_iter().collect())
    }
}

impl<'a, I: Idx, T> IntoIterator for &'a IxVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.iter()
    }
}

impl<I: Idx, T> IntoIterator for IxVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.into_iter()
    }
}

/// Serialized as the plain list it is.
impl<I: Idx, T: Serialize> Serialize for IxVec<I, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl<'de, I: Idx, T: Deserialize<'de>> Deserialize<'de> for IxVec<I, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::deserialize(d).map(Self::from_raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_indexed_by_its_own_index_type() {
        let mut v: IxVec<TargetIx, &str> = IxVec::new();
        let a = v.push("a");
        let b = v.push("b");
        assert_eq!((a, b), (TargetIx(0), TargetIx(1)));
        assert_eq!(v[b], "b");
        assert_eq!(v.position(|x| *x == "b"), Some(b));
        assert_eq!(
            v.iter_enumerated().collect::<Vec<_>>(),
            [(TargetIx(0), &"a"), (TargetIx(1), &"b")]
        );
        assert_eq!(v.get(TargetIx(2)), None);
    }
}
