//! SIASN API responses saved as JSON, seen as a header plus numbered records.
//!
//! A response is taken as it is saved: `{"code": 1, "data": [ … ]}`, `{"data": { … }}` (one
//! record, as `data-utama` answers), a bare array of records, or a bare record. Nested objects are
//! flattened the way `pandas.json_normalize` does (`path.872.dok_uri`), so the same field names
//! match whether the records come as JSON or as a CSV flattened from it. A record's row number
//! is its position in the file's list of records, from 1.

use std::path::Path;

use serde_json::{Map, Value};

use super::cell::Cell;
use super::file_error::{FileError, FileErrorKind};
use super::source::RowEvent;

/// One flattened value.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

pub struct JsonSource {
    pub headers: Vec<String>,
    records: Vec<Vec<Option<Scalar>>>,
}

/// The records of a response: the array or object under `data` (at any depth), a bare array, or
/// a bare object.
fn records(v: Value) -> Vec<Map<String, Value>> {
    match v {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| match i {
                Value::Object(o) => Some(o),
                _ => None,
            })
            .collect(),
        Value::Object(mut o) => match o.remove("data") {
            Some(inner @ (Value::Array(_) | Value::Object(_))) => records(inner),
            Some(other) => {
                o.insert("data".into(), other);
                vec![o]
            }
            None => vec![o],
        },
        _ => Vec::new(),
    }
}

/// `{"a": {"b": 1}}` → `a.b = 1`; arrays of scalars are joined with `; `, other arrays kept as
/// JSON text.
fn flatten(prefix: &str, v: Value, out: &mut Vec<(String, Option<Scalar>)>) {
    let key = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                match v {
                    Value::Object(_) => flatten(&key(&k), v, out),
                    other => out.push((key(&k), scalar(other))),
                }
            }
        }
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn scalar(v: Value) -> Option<Scalar> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(Scalar::Bool(b)),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => Scalar::Int(i),
            None => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Some(Scalar::Text(s)),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => Some(Scalar::Text(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        )),
        other => Some(Scalar::Text(other.to_string())),
    }
}

impl JsonSource {
    pub fn open(path: &Path, text: &str) -> Result<JsonSource, FileError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            FileError::new(
                path,
                FileErrorKind::NotASpreadsheet,
                format!("JSON tidak sah (baris {}, kolom {}) / invalid JSON: {e}", e.line(), e.column()),
                "simpan ulang respons API apa adanya / save the API response again as it is",
            )
        })?;
        let recs = records(value);
        if recs.is_empty() {
            return Err(FileError::new(
                path,
                FileErrorKind::Empty,
                "JSON tanpa rekaman (tidak ada objek di `data` atau di larik) / JSON without records",
                "simpan respons API yang berisi `data` / save a response that holds `data`",
            ));
        }
        let mut headers: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut rows: Vec<Vec<(usize, Option<Scalar>)>> = Vec::with_capacity(recs.len());
        for r in recs {
            let mut flat = Vec::new();
            flatten("", Value::Object(r), &mut flat);
            let row = flat
                .into_iter()
                .map(|(k, v)| {
                    let i = *index.entry(k.clone()).or_insert_with(|| {
                        headers.push(k);
                        headers.len() - 1
                    });
                    (i, v)
                })
                .collect();
            rows.push(row);
        }
        let width = headers.len();
        let records = rows
            .into_iter()
            .map(|row| {
                let mut out = vec![None; width];
                for (i, v) in row {
                    out[i] = v;
                }
                out
            })
            .collect();
        Ok(JsonSource { headers, records })
    }

    pub fn for_each(&self, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(self.headers.len());
        for (i, rec) in self.records.iter().enumerate() {
            cells.clear();
            cells.extend(rec.iter().map(|v| match v {
                None => Cell::Empty,
                Some(Scalar::Text(s)) => Cell::text(s),
                Some(Scalar::Int(v)) => Cell::Int(*v),
                Some(Scalar::Float(v)) => Cell::Float(*v),
                Some(Scalar::Bool(b)) => Cell::Bool(*b),
            }));
            if !f(RowEvent::Row { number: i as u64 + 1, cells: &cells }) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record as (header, raw value) pairs sorted by header, empty values left out.
    fn rows(src: &JsonSource) -> Vec<Vec<(String, String)>> {
        let mut out = Vec::new();
        src.for_each(&mut |ev| {
            if let RowEvent::Row { cells, .. } = ev {
                let mut row: Vec<(String, String)> = src
                    .headers
                    .iter()
                    .zip(cells.iter())
                    .filter(|(_, c)| !c.is_blank())
                    .map(|(h, c)| (h.clone(), c.raw()))
                    .collect();
                row.sort();
                out.push(row);
            }
            true
        })
        .expect("rows");
        out
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn responses_in_every_shape() {
        let p = Path::new("rw-jabatan.json");
        let wrapped = r#"{"code":1,"data":[{"nipBaru":"198609262015051001","tmtJabatan":"29-01-2024","path":{"872":{"dok_uri":"a.pdf"}}},{"nipBaru":"198609262015051001","tmtJabatan":"01-01-0001","eselonId":null,"jumlah":2}]}"#;
        let s = JsonSource::open(p, wrapped).expect("json");
        let mut headers = s.headers.clone();
        headers.sort();
        assert_eq!(headers, ["eselonId", "jumlah", "nipBaru", "path.872.dok_uri", "tmtJabatan"]);
        assert_eq!(
            rows(&s),
            vec![
                pairs(&[
                    ("nipBaru", "198609262015051001"),
                    ("path.872.dok_uri", "a.pdf"),
                    ("tmtJabatan", "29-01-2024")
                ]),
                // SIASN's no-date placeholder reads as empty.
                pairs(&[("jumlah", "2"), ("nipBaru", "198609262015051001")]),
            ]
        );
        let single = r#"{"code":1,"data":{"nipBaru":"198609262015051001","nama":"X"}}"#;
        assert_eq!(rows(&JsonSource::open(p, single).expect("json")).len(), 1);
        let bare = r#"[{"Id":"A","NamaUnor":"Dinas"},{"Id":"B","NamaUnor":"Puskesmas","DiatasanId":"A"}]"#;
        assert_eq!(
            rows(&JsonSource::open(p, bare).expect("json"))[1],
            pairs(&[("DiatasanId", "A"), ("Id", "B"), ("NamaUnor", "Puskesmas")])
        );
        assert!(JsonSource::open(p, r#"{"code":0,"data":[]}"#).is_err());
        assert!(JsonSource::open(p, "{not json").is_err());
    }
}
