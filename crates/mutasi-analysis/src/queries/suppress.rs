//! Small-cell suppression of the SQL summary tables (UU 27/2022): no query output that leaves the
//! pipeline shows a group of fewer than k employees.
//!
//! A query names its count columns with a comment line `-- hitungan: n_mutasi` (else every
//! integer column called `n`, `n_*`, `jumlah*` or `pegawai_*` counts). A row with a count from 1
//! to k − 1 has all its numbers withheld (null). When the query also names the columns that
//! partition its rows into groups adding up to a known total, `-- kelompok: tahun`, complementary
//! suppression hides the next smallest row of a partition in which only one row would be hidden,
//! so the hidden one cannot be recovered by subtraction. Later queries read the unsuppressed
//! result (their sums stay right); only what is written out is suppressed.

use mutasi_domain::suppress::{complementary, primary};
use mutasi_io::data::table::{ColumnData, TableData};

/// A query's suppression directives, from its comment lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directives {
    pub counts: Vec<String>,
    pub groups: Option<Vec<String>>,
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect()
}

/// Reads `-- hitungan: a, b` and `-- kelompok: c` lines.
pub fn directives(sql: &str) -> Directives {
    let mut d = Directives::default();
    for line in sql.lines() {
        let Some(rest) = line.trim().strip_prefix("--") else { continue };
        let rest = rest.trim();
        if let Some(v) = rest.strip_prefix("hitungan:") {
            d.counts.extend(list(v));
        } else if let Some(v) = rest.strip_prefix("kelompok:") {
            d.groups.get_or_insert_with(Vec::new).extend(list(v));
        }
    }
    d
}

/// The count columns of `t`: the declared ones, else integer columns named by the convention.
pub fn count_columns(t: &TableData, declared: &[String]) -> Vec<String> {
    if !declared.is_empty() {
        return declared.iter().filter(|c| t.get(c).is_some()).cloned().collect();
    }
    t.columns
        .iter()
        .filter(|(n, c)| {
            matches!(c, ColumnData::I64(_))
                && (n == "n" || n.starts_with("n_") || n.starts_with("jumlah") || n.starts_with("pegawai_"))
        })
        .map(|(n, _)| n.clone())
        .collect()
}

/// Withholds the numbers of small rows (and their complements); returns how many rows.
pub fn suppress(t: &mut TableData, counts: &[String], groups: Option<&[String]>, k: u64) -> usize {
    let h = t.height();
    if counts.is_empty() || h == 0 {
        return 0;
    }
    // A row's size: its smallest count (nulls and zeros are not small).
    let sizes: Vec<u64> = (0..h)
        .map(|i| {
            counts
                .iter()
                .filter_map(|c| match t.get(c) {
                    Some(ColumnData::I64(v)) => v[i].filter(|x| *x > 0).map(|x| x as u64),
                    Some(ColumnData::F64(v)) => v[i].filter(|x| *x > 0.0).map(|x| x as u64),
                    _ => None,
                })
                .min()
                .unwrap_or(0)
        })
        .collect();
    let mut hidden = vec![false; h];
    match groups {
        Some(cols) => {
            let key = |i: usize| {
                cols.iter().map(|c| t.get(c).map(|d| d.text(i)).unwrap_or_default()).collect::<Vec<_>>()
            };
            let mut parts: std::collections::BTreeMap<Vec<String>, Vec<usize>> =
                std::collections::BTreeMap::new();
            for i in 0..h {
                parts.entry(key(i)).or_default().push(i);
            }
            for rows in parts.values() {
                let flags = complementary(&rows.iter().map(|&i| sizes[i]).collect::<Vec<_>>(), k);
                for (&i, f) in rows.iter().zip(flags) {
                    hidden[i] = f;
                }
            }
        }
        None => hidden = primary(&sizes, k),
    }
    let keep: Vec<String> = groups.map(<[String]>::to_vec).unwrap_or_default();
    for (name, col) in t.columns.iter_mut() {
        if keep.contains(name) {
            continue;
        }
        match col {
            ColumnData::I64(v) => v.iter_mut().zip(&hidden).filter(|(_, h)| **h).for_each(|(x, _)| *x = None),
            ColumnData::F64(v) => v.iter_mut().zip(&hidden).filter(|(_, h)| **h).for_each(|(x, _)| *x = None),
            ColumnData::Bool(v) => {
                v.iter_mut().zip(&hidden).filter(|(_, h)| **h).for_each(|(x, _)| *x = None)
            }
            _ => {}
        }
    }
    hidden.iter().filter(|h| **h).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> TableData {
        let mut t = TableData::default();
        t.push(
            "opd",
            ColumnData::Str(["A", "B", "C", "A", "B"].iter().map(|s| Some(s.to_string())).collect()),
        );
        t.push("tahun", ColumnData::I64(vec![Some(2024), Some(2024), Some(2024), Some(2025), Some(2025)]));
        t.push("n_pindah", ColumnData::I64(vec![Some(40), Some(3), Some(12), Some(2), Some(1)]));
        t.push("laju", ColumnData::F64(vec![Some(0.4), Some(0.03), Some(0.12), Some(0.02), Some(0.01)]));
        t
    }

    #[test]
    fn directives_and_conventions() {
        let d = directives("-- Mobilitas.\n-- hitungan: n_pindah\n-- kelompok: tahun\nSELECT 1");
        assert_eq!(d.counts, ["n_pindah"]);
        assert_eq!(d.groups.as_deref(), Some(&["tahun".to_string()][..]));
        assert_eq!(directives("SELECT 1"), Directives::default());
        assert_eq!(count_columns(&table(), &[]), ["n_pindah"]);
    }

    /// Without partitions only small rows go; with them, the complement too.
    #[test]
    fn primary_and_complementary() {
        let mut t = table();
        assert_eq!(suppress(&mut t, &["n_pindah".into()], None, 5), 3);
        assert_eq!(t.get("laju"), Some(&ColumnData::F64(vec![Some(0.4), None, Some(0.12), None, None])));
        assert_eq!(
            t.get("tahun"),
            Some(&ColumnData::I64(vec![Some(2024), None, Some(2024), None, None])),
            "numbers withheld"
        );
        let mut t = table();
        let groups = ["tahun".to_string()];
        assert_eq!(suppress(&mut t, &["n_pindah".into()], Some(&groups), 5), 4);
        // 2024: B (3) is small; C (12), the smallest other, is hidden with it.
        assert_eq!(t.get("n_pindah"), Some(&ColumnData::I64(vec![Some(40), None, None, None, None])));
        assert_eq!(
            t.get("tahun"),
            Some(&ColumnData::I64(vec![Some(2024), Some(2024), Some(2024), Some(2025), Some(2025)])),
            "group keys stay"
        );
    }

    /// Knowing each year's total, subtracting the shown rows leaves the sum of at least two
    /// hidden rows, never one.
    #[test]
    fn a_hidden_cell_cannot_be_recovered() {
        let original = table();
        let mut t = table();
        let groups = ["tahun".to_string()];
        suppress(&mut t, &["n_pindah".into()], Some(&groups), 5);
        let (Some(ColumnData::I64(before)), Some(ColumnData::I64(after)), Some(ColumnData::I64(year))) =
            (original.get("n_pindah"), t.get("n_pindah"), t.get("tahun"))
        else {
            panic!("columns")
        };
        for y in [2024, 2025] {
            let rows: Vec<usize> = (0..year.len()).filter(|&i| year[i] == Some(y)).collect();
            let total: i64 = rows.iter().filter_map(|&i| before[i]).sum();
            let shown: i64 = rows.iter().filter_map(|&i| after[i]).sum();
            let hidden: Vec<i64> =
                rows.iter().filter(|&&i| after[i].is_none()).filter_map(|&i| before[i]).collect();
            if !hidden.is_empty() {
                assert!(hidden.len() >= 2, "{y}: the residual {} is a single cell", total - shown);
            }
        }
    }
}
