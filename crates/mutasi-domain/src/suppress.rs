//! Small-cell suppression for everything the report and the workbook show (UU 27/2022).
//!
//! Primary suppression hides any group of fewer than k employees (default 5). Complementary
//! suppression then stops a hidden group from being recovered by subtraction: when a table shows
//! a total beside its groups (the `semua` row, a headcount identity), hiding exactly one group is
//! not enough, because total − the shown groups gives it back; the smallest other shown group is
//! hidden too. Plain data in, flags out, so the rule is tested on its own.

/// Which groups to hide among groups that add up to a shown total: `sizes[i]` is group i's
/// number of employees. Groups of size 0 are empty, not small, and never hidden.
pub fn complementary(sizes: &[u64], k: u64) -> Vec<bool> {
    let mut hidden: Vec<bool> = sizes.iter().map(|&n| n > 0 && n < k).collect();
    let count = hidden.iter().filter(|h| **h).count();
    if count == 1 {
        // The smallest other non-empty group (ties: the first) is hidden with it.
        if let Some((j, _)) =
            sizes.iter().enumerate().filter(|(i, n)| !hidden[*i] && **n > 0).min_by_key(|(i, n)| (**n, *i))
        {
            hidden[j] = true;
        }
    }
    hidden
}

/// Which groups to hide when no total is shown: only the small ones.
pub fn primary(sizes: &[u64], k: u64) -> Vec<bool> {
    sizes.iter().map(|&n| n > 0 && n < k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_and_one_complement() {
        // One small group: it and the smallest other are hidden, so neither can be recovered.
        assert_eq!(complementary(&[40, 3, 12, 25], 5), vec![false, true, true, false]);
        // Two small groups already protect each other.
        assert_eq!(complementary(&[40, 3, 2, 25], 5), vec![false, true, true, false]);
        // Nothing small: nothing hidden.
        assert_eq!(complementary(&[40, 5, 12], 5), vec![false; 3]);
        // Empty groups are not small, and cannot serve as the complement.
        assert_eq!(complementary(&[0, 4, 9], 5), vec![false, true, true]);
        // A single small group with nothing to pair: hidden alone (the total is then small too).
        assert_eq!(complementary(&[4], 5), vec![true]);
        assert_eq!(primary(&[40, 3, 0], 5), vec![false, true, false]);
    }

    /// With complementary suppression, total − shown groups never equals a single hidden group.
    #[test]
    fn a_hidden_group_cannot_be_recovered_by_subtraction() {
        let cases: [&[u64]; 4] = [&[40, 3, 12, 25], &[7, 1, 100], &[2, 50, 60, 9], &[5, 4, 5]];
        for sizes in cases {
            let hidden = complementary(sizes, 5);
            let total: u64 = sizes.iter().sum();
            let shown: u64 = sizes.iter().zip(&hidden).filter(|(_, h)| !**h).map(|(n, _)| n).sum();
            let residual = total - shown;
            let hidden_sizes: Vec<u64> =
                sizes.iter().zip(&hidden).filter(|(_, h)| **h).map(|(n, _)| *n).collect();
            assert!(hidden_sizes.len() != 1, "{sizes:?}: a lone hidden group {residual} is recoverable");
        }
    }
}
