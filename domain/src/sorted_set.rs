//! A set kept as a sorted slice, for the sets the learning record's events carry (a meeting's
//! attendees, the themes a case is tagged with). A `BTreeSet` allocates a node with room for
//! eleven values even for a set of one, and a partnership's learning record keeps thousands of
//! these sets, as it stands and in its history: 11 MiB of the 27 MiB its records take at a
//! million seeded events were the themes tagged (BENCHMARKS.md, goal 3). Serialized as a
//! `BTreeSet` is, a sequence in order, so the log's events read and write the same.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;

/// A set of values in order, each once, held at its length.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortedSet<T>(Box<[T]>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        Self(Box::default())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for SortedSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.iter()).finish()
    }
}

impl<T: Ord> SortedSet<T> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `value` is in the set.
    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.binary_search_by(|v| v.borrow().cmp(value)).is_ok()
    }
}

impl<T> SortedSet<T> {
    /// How many values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut values: Vec<T> = iter.into_iter().collect();
        values.sort_unstable();
        values.dedup();
        Self(values.into_boxed_slice())
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for SortedSet<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_vec().into_iter()
    }
}

impl<T: Serialize> Serialize for SortedSet<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

/// In any order, with repeats, as a `BTreeSet` reads it.
impl<'de, T: Ord + Deserialize<'de>> Deserialize<'de> for SortedSet<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(|values| values.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn behaves_and_serializes_as_a_b_tree_set() {
        let values = [5, 1, 9, 1, 3, 7, 5, 2];
        let sorted: SortedSet<i32> = values.into_iter().collect();
        let tree: BTreeSet<i32> = values.into_iter().collect();
        assert!(sorted.iter().eq(tree.iter()));
        assert_eq!(sorted.len(), tree.len());
        assert!(!sorted.is_empty());
        assert!(SortedSet::<i32>::new().is_empty());
        for value in 0..11 {
            assert_eq!(sorted.contains(&value), tree.contains(&value), "{value}");
        }
        assert_eq!(
            serde_json::to_string(&sorted).unwrap(),
            serde_json::to_string(&tree).unwrap()
        );
        let read: SortedSet<i32> = serde_json::from_str("[9, 1, 9, 3]").unwrap();
        assert_eq!(read, SortedSet::from([1, 3, 9]));
        assert_eq!(read.into_iter().collect::<Vec<_>>(), vec![1, 3, 9]);
        assert!((&sorted).into_iter().eq(tree.iter()));
        assert_eq!(format!("{:?}", SortedSet::from([2, 1])), "{1, 2}");
        // Ordered as B-tree sets are: by their values in order.
        let (a, b) = (SortedSet::from([1, 5]), SortedSet::from([2]));
        assert_eq!(a.cmp(&b), BTreeSet::from([1, 5]).cmp(&BTreeSet::from([2])));
    }
}
