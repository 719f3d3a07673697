//! Map entries in key order, so a request's bytes do not depend on hashing (a `HashMap`
//! iterates in no fixed order).
//!
//! The writers of every wire format are instantiated once per map value type of a service;
//! the sort is the large part, so it runs here on the keys alone and is compiled once.

use std::collections::HashMap;

/// The entries of `map`, sorted by key.
pub(crate) fn sorted_entries<K: AsRef<str>, V>(map: &HashMap<K, V>) -> Vec<(&str, &V)> {
    let entries: Vec<(&str, &V)> = map.iter().map(|(k, v)| (k.as_ref(), v)).collect();
    let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
    order(&keys).into_iter().map(|i| entries[i]).collect()
}

/// The indices of `keys` in key order.
fn order(keys: &[&str]) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..keys.len()).collect();
    indices.sort_by(|&a, &b| keys[a].cmp(keys[b]));
    indices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_out_in_key_order() {
        let map: HashMap<String, u32> = [("b", 2), ("a", 1), ("c", 3), ("aa", 4)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(
            sorted_entries(&map),
            vec![("a", &1), ("aa", &4), ("b", &2), ("c", &3)]
        );
    }
}
