//! Exact duplicates: documents equal after normalisation.

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_128;

use super::Cluster;

/// The normalised form two documents must share to be exact duplicates:
/// Unicode NFKC, then full Unicode lowercase, then runs of Unicode `White_Space`
/// collapsed to one ASCII space, with none at either end.
pub fn normalize(text: &str) -> String {
    // Most text is already NFKC (all ASCII is): the quick check skips the copy.
    let composed = match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfkc().collect()),
    };
    let mut out = String::with_capacity(text.len());
    for word in composed.to_lowercase().split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The 128-bit XXH3 hash of [`normalize`]`(text)`: the exact-duplicate key.
pub fn exact_hash(text: &str) -> u128 {
    xxh3_128(normalize(text).as_bytes())
}

/// Groups documents (by index) whose [`exact_hash`] is equal.
///
/// Returns only groups of two or more, ordered by their first member; members
/// ascend and the representative is the first.
pub fn exact_clusters<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Cluster> {
    clusters_by_key(texts.into_iter().map(exact_hash))
}

/// The exact-duplicate clusters of documents whose [`exact_hash`]es are `hashes`.
pub fn exact_clusters_of(hashes: &[u128]) -> Vec<Cluster> {
    clusters_by_key(hashes.iter())
}

/// Groups indices whose keys are equal, as [`exact_clusters`] does.
pub(crate) fn clusters_by_key<K: std::hash::Hash + Eq>(
    keys: impl Iterator<Item = K>,
) -> Vec<Cluster> {
    let mut groups: HashMap<K, Vec<u32>> = HashMap::new();
    let mut order = Vec::new();
    for (doc, key) in keys.enumerate() {
        let members = groups.entry(key).or_default();
        if members.is_empty() {
            order.push(doc as u32);
        }
        members.push(doc as u32);
    }
    let mut by_first: HashMap<u32, Vec<u32>> = groups
        .into_values()
        .filter(|m| m.len() > 1)
        .map(|m| (m[0], m))
        .collect();
    order
        .into_iter()
        .filter_map(|first| by_first.remove(&first))
        .enumerate()
        .map(|(id, members)| Cluster::new(id as u32, members))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_table() {
        let cases = [
            ("  Hello\t\nWorld  ", "hello world"),
            ("ﬁle", "file"),       // NFKC ligature
            ("Ｆｕｌｌ", "full"),  // fullwidth
            ("ΟΔΟΣ", "οδος"),      // final sigma
            ("a\u{00A0}b", "a b"), // no-break space
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "{input:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn quick_check_changes_nothing(text in "(?s).{0,40}|[a-zA-Z ﬁＦΣσ\u{301}\u{a0}\t]{0,40}") {
            let mut reference = String::new();
            for word in text.nfkc().collect::<String>().to_lowercase().split_whitespace() {
                if !reference.is_empty() {
                    reference.push(' ');
                }
                reference.push_str(word);
            }
            proptest::prop_assert_eq!(normalize(&text), reference);
        }
    }

    #[test]
    fn clusters_group_equal_normal_forms() {
        let texts = ["A b", "x", "a  B", "x ", "y", "A B\n"];
        let clusters = exact_clusters(texts);
        let members: Vec<_> = clusters.iter().map(|c| c.members.clone()).collect();
        assert_eq!(members, vec![vec![0, 2, 5], vec![1, 3]]);
        assert_eq!(clusters[1].representative, 1);
        assert_eq!(clusters[1].id, 1);
    }
}
