//! Matching a file's headers to canonical columns through the alias table.

use std::path::Path;

use super::file_error::{FileError, FileErrorKind};
use mutasi_domain::config::TableConfig;
use mutasi_domain::schema::{
    ColumnSpec, KINERJA_WIDE, PERIODE_MONTH, PERIODE_YEAR, Table, WideEncoding, WideIndicator, header_key,
};

/// Where each canonical column sits in a file's rows.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// Canonical column name and position. Looked up several times per row, by names that are
    /// the same string constants as the schema's (one code generation unit merges them), so the
    /// address usually finds the entry before any text is compared.
    idx: Vec<(&'static str, usize)>,
    /// Wide kinerja indicator columns, in file order.
    pub wide: Vec<(usize, &'static WideIndicator)>,
    /// `tahun` and `bulan` columns standing in for `periode`.
    pub year_month: Option<(usize, usize)>,
    /// A `tahun` column alone standing in for `periode`: a yearly period.
    pub year_only: Option<usize>,
    /// Headers no canonical column used.
    pub unused: Vec<String>,
}

impl ColumnMap {
    pub fn get(&self, column: &str) -> Option<usize> {
        let same = |name: &&str| std::ptr::eq(name.as_ptr(), column.as_ptr()) && name.len() == column.len();
        match self.idx.iter().find(|(name, _)| same(name)) {
            Some((_, i)) => Some(*i),
            None => self.idx.iter().find(|(name, _)| *name == column).map(|(_, i)| *i),
        }
    }

    /// Every mapped canonical column and its position.
    pub fn columns(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.idx.iter().copied()
    }

    pub fn has(&self, column: &str) -> bool {
        self.get(column).is_some()
    }

    /// Exchanges the positions of two mapped columns (`u8` and `u9` of a survey whose columns
    /// follow the questionnaire's order).
    pub fn swap(&mut self, a: &str, b: &str) {
        let (ia, ib) = (self.get(a), self.get(b));
        for (name, i) in &mut self.idx {
            if *name == a {
                if let Some(j) = ib {
                    *i = j;
                }
            } else if *name == b
                && let Some(j) = ia
            {
                *i = j;
            }
        }
    }

    /// True when the kinerja file is in the wide layout (one column per indicator).
    pub fn is_wide(&self) -> bool {
        !self.wide.is_empty() && (!self.has("indikator") || !self.has("nilai"))
    }
}

/// Unused headers that look like a canonical column the file lacks ("GOLONGAN RUANG AKHIR" looks
/// like `golongan`): the header, the column, and the alias line to paste into `mutasi.toml`.
pub fn suggestions(table: Table, map: &ColumnMap) -> Vec<(String, &'static str, String)> {
    let mut out = Vec::new();
    for header in &map.unused {
        let key = header_key(header);
        if key.len() < 3 {
            continue;
        }
        // The header holds a whole alias of some length ("golonganruangakhir" holds
        // "golonganruang"): short aliases (`nama`, `jenis`) are in too many headers to say much.
        let similar = |alias: &str| alias.len() >= 6 && key.contains(alias);
        let candidates: Vec<&'static str> = table
            .columns()
            .iter()
            .filter(|c| !map.has(c.name) && c.aliases.iter().any(|a| similar(a)))
            .map(|c| c.name)
            .collect();
        // One clear candidate only: two would be a guess.
        if let [column] = candidates.as_slice() {
            let line = format!(
                "[tables.{}.aliases] {} = [\"{}\"]",
                table.name(),
                column,
                header.replace('"', "\\\"")
            );
            out.push((header.clone(), *column, line));
        }
    }
    out
}

/// True when `header` is a known header of `table` (used to find the header row in xlsx).
pub fn is_known_header(table: Table, cfg: &TableConfig, header: &str) -> bool {
    let key = header_key(header);
    table.columns().iter().any(|c| c.aliases.contains(&key.as_str()))
        || cfg.aliases.values().flatten().any(|a| header_key(a) == key)
        || (table == Table::Kinerja
            && (KINERJA_WIDE.iter().any(|w| w.aliases.contains(&key.as_str()))
                || PERIODE_YEAR.contains(&key.as_str())
                || PERIODE_MONTH.contains(&key.as_str())))
        || (table == Table::Skm && mutasi_domain::schema::skm_unsur_of_question(&key).is_some())
}

/// Maps headers to canonical columns; fails when a required column is missing or a header repeats.
pub fn map_columns(
    path: &Path,
    table: Table,
    cfg: &TableConfig,
    headers: &[String],
) -> Result<ColumnMap, FileError> {
    let keys: Vec<Vec<String>> = headers.iter().map(|h| vec![header_key(h)]).collect();
    map_columns_keyed(path, table, cfg, headers, &keys, &[])
}

/// [`map_columns`] where each column may match several folded names (`keys`, in priority
/// order): a two-row header `PANGKAT` / `GOL/RUANG` matches `pangkatgolruang`, `golruangpangkat`
/// and `golruang`. Required columns in `provided` may be absent: their values come from
/// elsewhere (a survey sheet's unit and period from its title, name or the config).
pub fn map_columns_keyed(
    path: &Path,
    table: Table,
    cfg: &TableConfig,
    headers: &[String],
    keys: &[Vec<String>],
    provided: &[&str],
) -> Result<ColumnMap, FileError> {
    let mut used = vec![false; keys.len()];
    let mut map = ColumnMap::default();
    let find = |aliases: &[String], used: &[bool]| -> Result<Option<usize>, FileError> {
        for a in aliases {
            let hits: Vec<usize> =
                keys.iter().enumerate().filter(|(i, k)| k.contains(a) && !used[*i]).map(|(i, _)| i).collect();
            match hits.as_slice() {
                [] => continue,
                [one] => return Ok(Some(*one)),
                [first, second, ..] => {
                    return Err(FileError::new(
                        path,
                        FileErrorKind::DuplicateHeader(headers[*first].clone()),
                        format!(
                            "header `{}` muncul dua kali (kolom {} dan {}) / header appears twice",
                            headers[*first],
                            first + 1,
                            second + 1
                        ),
                        "ganti nama atau hapus salah satu kolom / rename or delete one of the columns",
                    ));
                }
            }
        }
        Ok(None)
    };
    for spec in table.columns() {
        let mut aliases: Vec<String> =
            cfg.aliases.get(spec.name).into_iter().flatten().map(|a| header_key(a)).collect();
        aliases.extend(spec.aliases.iter().map(|a| a.to_string()));
        if let Some(i) = find(&aliases, &used)? {
            used[i] = true;
            map.idx.push((spec.name, i));
        }
    }
    if table == Table::Skm {
        // A Google Forms export: one column per full question, recognised by its wording.
        let open: Vec<&ColumnSpec> =
            table.columns().iter().filter(|c| c.name.starts_with('u') && !map.has(c.name)).collect();
        for spec in open {
            let Some(u) = spec.name[1..].parse::<usize>().ok().filter(|u| *u <= 9) else { continue };
            let hits: Vec<usize> = (0..keys.len())
                .filter(|i| {
                    !used[*i]
                        && keys[*i].iter().any(|k| mutasi_domain::schema::skm_unsur_of_question(k) == Some(u))
                })
                .collect();
            if let [one] = hits.as_slice() {
                used[*one] = true;
                map.idx.push((spec.name, *one));
            }
        }
    }
    if table == Table::Kinerja {
        for w in KINERJA_WIDE {
            let mut aliases: Vec<String> = Vec::new();
            // SIASN-coded columns keep their SIASN names; user aliases apply to the plain ones.
            if !matches!(w.encoding, WideEncoding::RatingSiasnCode | WideEncoding::PredikatSiasnCode) {
                aliases.extend(cfg.aliases.get(w.indikator).into_iter().flatten().map(|a| header_key(a)));
            }
            aliases.extend(w.aliases.iter().map(|a| a.to_string()));
            if let Some(i) = find(&aliases, &used)?
                && !map.wide.iter().any(|(_, other)| other.indikator == w.indikator)
            {
                used[i] = true;
                map.wide.push((i, w));
            }
        }
        map.wide.sort_by_key(|(i, _)| *i);
        if !map.has("periode") {
            let y = find(&PERIODE_YEAR.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &used)?;
            let m = find(&PERIODE_MONTH.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &used)?;
            match (y, m) {
                (Some(y), Some(m)) => {
                    used[y] = true;
                    used[m] = true;
                    map.year_month = Some((y, m));
                }
                // An annual SKP (SIASN `rw-skp22`) has its year only.
                (Some(y), None) => {
                    used[y] = true;
                    map.year_only = Some(y);
                }
                _ => {}
            }
        }
    }
    map.unused = headers
        .iter()
        .zip(&used)
        .filter(|(h, u)| !**u && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    let mut missing: Vec<String> = Vec::new();
    for spec in table.columns().iter().filter(|c| c.required) {
        let satisfied = map.has(spec.name)
            || provided.contains(&spec.name)
            || (table == Table::Kinerja
                && spec.name == "periode"
                && (map.year_month.is_some() || map.year_only.is_some()))
            || (table == Table::Pegawai && spec.name == "nip" && map.has("nama_nip"))
            // A SIASN response naming the person by their SIASN id (rw-skp22 `pnsDinilaiId`).
            || (table != Table::Pegawai && spec.name == "nip" && map.has("pns_id"))
            || (table == Table::Kinerja
                && matches!(spec.name, "indikator" | "nilai")
                && !map.wide.is_empty());
        if !satisfied {
            missing.push(spec.name.to_string());
        }
    }
    if table == Table::RiwayatJabatan && !map.has("unit_id") && !map.has("nama_unit") {
        missing.push("unit_id".to_string());
    }
    if !missing.is_empty() {
        let wanted: Vec<String> = missing
            .iter()
            .map(|m| {
                let spec = table.columns().iter().find(|c| c.name == m);
                let examples = spec
                    .map(|s| s.aliases.iter().take(3).copied().collect::<Vec<_>>().join(", "))
                    .unwrap_or_default();
                format!("`{m}` (mis. / e.g. {examples})")
            })
            .collect();
        return Err(FileError::new(
            path,
            FileErrorKind::MissingColumns(missing),
            format!(
                "kolom wajib tidak ditemukan / required column missing: {}; header yang ada / headers found: {}",
                wanted.join("; "),
                headers.join(", ")
            ),
            format!(
                "tambahkan kolomnya, atau petakan header Anda di mutasi.toml: [tables.{}.aliases] / add the column or map your header in the config",
                table.name()
            ),
        ));
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name finds its column whether it is the schema's own string constant or a copy of the
    /// text elsewhere in memory; a name the file does not have finds nothing.
    #[test]
    fn a_column_is_found_by_its_name_wherever_the_text_lives() {
        let headers: Vec<String> =
            ["jabatanNama", "nama", "nipBaru", "unorId"].iter().map(|h| h.to_string()).collect();
        let map = map_columns(Path::new("pegawai.csv"), Table::Pegawai, &TableConfig::default(), &headers)
            .expect("columns");
        assert_eq!(map.get("nip"), Some(2));
        assert_eq!(map.get("unit_id"), Some(3));
        let copy = String::from("nip");
        assert_eq!(map.get(&copy), Some(2), "a copy of the name at another address");
        let tail = String::from("xunit_id");
        assert_eq!(map.get(&tail[1..]), Some(3));
        assert_eq!(map.get("tgl_lahir"), None);
        assert!(!map.has(&String::from("tgl_lahir")));
        assert!(map.has(&copy));
        // The same address with another length is another name.
        assert_eq!(map.get(&"nip"[..2]), None);
    }
}
