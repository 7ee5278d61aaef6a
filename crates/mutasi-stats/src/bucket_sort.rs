//! Sorting long per-person series by a small dense code and then by month, in linear time.
//!
//! The HR panels and the before/after windows sort every kinerja row of a partition by (person,
//! month) or (person, indicator, month), and the cross-check by (person, period, indicator).
//! The persons and indicators are dictionary codes below a known bound, and an export lists each
//! series' months in order, so a counting sort on the code followed by a check (and rarely a
//! sort) of each series replaces a comparison sort of millions of rows.

/// `items` in a stable sort by (`bucket(item)`, `key(item)`), where every bucket is below
/// `buckets`: equal to `items.sort_by_key(|x| (bucket(x), key(x)))`.
pub fn sort_by_bucket<T: Copy, K: Ord>(
    items: Vec<T>,
    buckets: usize,
    bucket: impl Fn(&T) -> usize,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let Some(first) = items.first().copied() else { return items };
    // Already in order (an export sorted by person): nothing to move. An unsorted input stops
    // this check at its first step down, usually early.
    if items.is_sorted_by(|a, b| (bucket(a), key(a)) <= (bucket(b), key(b))) {
        return items;
    }
    let mut start = vec![0usize; buckets + 1];
    for x in &items {
        start[bucket(x) + 1] += 1;
    }
    for i in 0..buckets {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut out = vec![first; items.len()];
    for x in items {
        let b = bucket(&x);
        out[next[b]] = x;
        next[b] += 1;
    }
    for w in start.windows(2) {
        let run = &mut out[w[0]..w[1]];
        if !run.is_sorted_by_key(&key) {
            run.sort_by_key(&key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shuffled points, and points already in month order, come out as the stable sort puts them
    /// (ties keep their order); empty buckets and an empty input are fine.
    #[test]
    fn equals_the_stable_sort() {
        let mut items: Vec<(u32, i64, u32)> = Vec::new();
        let mut x: u64 = 11;
        for k in 0..4000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            items.push((((x >> 33) % 29) as u32, ((x >> 45) % 18) as i64, k));
        }
        let mut want = items.clone();
        want.sort_by_key(|p| (p.0, p.1));
        // 31 buckets: the last two are empty.
        let got = sort_by_bucket(items.clone(), 31, |p| p.0 as usize, |p| p.1);
        assert_eq!(got, want);
        // Sorted input comes back as it is.
        assert_eq!(sort_by_bucket(want.clone(), 31, |p| p.0 as usize, |p| p.1), want);
        assert!(got.windows(2).any(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)), "ties were tested");
        let mut by_month = items;
        by_month.sort_by_key(|p| p.1);
        let mut want = by_month.clone();
        want.sort_by_key(|p| (p.0, p.1));
        assert_eq!(sort_by_bucket(by_month, 29, |p| p.0 as usize, |p| p.1), want);
        assert!(sort_by_bucket(Vec::<(u32, i64, u32)>::new(), 0, |p| p.0 as usize, |p| p.1).is_empty());
    }
}
