//! Parquet written by mutasi (through Polars) is read back by an independent implementation,
//! the Apache `parquet` and `arrow` crates, with the same types and values.

use std::fs::File;

use arrow::array::{Array, Date32Array, Float64Array, Int64Array, StringArray, StringViewArray};
use arrow::datatypes::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::util::*;

fn batches(path: &std::path::Path) -> Vec<arrow::record_batch::RecordBatch> {
    let file = File::open(path).expect("open");
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(file).expect("parquet metadata").build().expect("reader");
    reader.map(|b| b.expect("batch")).collect()
}

fn string_at(col: &dyn Array, i: usize) -> Option<String> {
    if col.is_null(i) {
        return None;
    }
    if let Some(a) = col.as_any().downcast_ref::<StringViewArray>() {
        return Some(a.value(i).to_string());
    }
    col.as_any().downcast_ref::<StringArray>().map(|a| a.value(i).to_string())
}

#[test]
fn apache_parquet_reads_the_canonical_tables() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &format!("nip;periode;indikator;nilai\n{NIP_A};2024-01;capaian_iki;88,25\n{NIP_B};TW I 2024;capaian_iki;91\n"));
    s.write("in/mutasi.csv", &format!("nip,tmt,unit_tujuan_id\n{NIP_A},17 Agustus 2023,PKM17\n"));
    assert_eq!(s.validate(&[]).code, 0);

    let k = batches(&s.out().join("kinerja.parquet"));
    let total: usize = k.iter().map(|b| b.num_rows()).sum();
    assert_eq!(total, 2);
    let b = &k[0];
    let schema = b.schema();
    assert_eq!(schema.field_with_name("nilai").expect("nilai").data_type(), &DataType::Float64);
    assert_eq!(
        schema.field_with_name("periode_mulai").expect("periode_mulai").data_type(),
        &DataType::Date32
    );
    let nilai =
        b.column_by_name("nilai").expect("col").as_any().downcast_ref::<Float64Array>().expect("f64").clone();
    assert_eq!((nilai.value(0), nilai.value(1)), (88.25, 91.0));
    let periode = b.column_by_name("periode").expect("col");
    assert_eq!(string_at(periode.as_ref(), 1).as_deref(), Some("2024-TW1"));
    let start = b
        .column_by_name("periode_mulai")
        .expect("col")
        .as_any()
        .downcast_ref::<Date32Array>()
        .expect("date")
        .clone();
    // 2024-01-01 is day 19723 since 1970-01-01.
    assert_eq!(start.value(0), 19723);

    let m = batches(&s.out().join("mutasi.parquet"));
    let tmt = m[0]
        .column_by_name("tmt")
        .expect("col")
        .as_any()
        .downcast_ref::<Date32Array>()
        .expect("date")
        .clone();
    assert_eq!(tmt.value(0), 19586, "2023-08-17");

    let r = batches(&s.out().join("reconciliation.parquet"));
    let read = r[0]
        .column_by_name("baris_dibaca")
        .expect("col")
        .as_any()
        .downcast_ref::<Int64Array>()
        .expect("i64")
        .clone();
    assert_eq!(read.iter().flatten().sum::<i64>(), 3 + 4 + 2 + 1);
}

/// Every Parquet summary `mutasi run` publishes is read by the Apache implementation with the
/// same columns and row count as Polars reads.
#[test]
fn apache_parquet_reads_every_run_summary() {
    let s = Scratch::new();
    let p = |x: &str| s.path(x).display().to_string();
    let sample = [
        "sample",
        "--employees",
        "400",
        "--months",
        "24",
        "--start",
        "2023-01",
        "--no-bad-rows",
        "--out",
        &p("in"),
    ];
    assert_eq!(run(&sample.map(String::from)).code, 0);
    let r = run(&[
        "run",
        "--input",
        &p("in"),
        "--config",
        &p("in/mutasi.toml"),
        "--out",
        &p("out"),
        "--period",
        "2024-12",
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for f in RUN_FILES {
        let path = s.path("out/2024-12").join(format!("{f}.parquet"));
        let ours = mutasi_io::data::table::read_table(&path).expect("polars");
        let theirs = batches(&path);
        let rows: usize = theirs.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, ours.height(), "{f}: row count");
        // Two years of data leave nobody 2 years in post, and the sample has no transfer requests
        // yet: those tables may be empty (with their columns), the rest may not.
        assert!(
            rows > 0
                || matches!(
                    f,
                    "mobility"
                        | "permohonan_funnel"
                        | "permohonan_fairness"
                        | "permohonan_rules"
                        | "subgroup_differences"
                ),
            "{f}: empty"
        );
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(File::open(&path).expect("open")).expect("metadata");
        let names: Vec<String> = builder.schema().fields().iter().map(|x| x.name().clone()).collect();
        assert_eq!(names, ours.names(), "{f}: columns");
        assert!(!names.is_empty(), "{f}: no columns");
    }
}
