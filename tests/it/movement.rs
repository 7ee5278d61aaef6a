//! Movement accounting through `mutasi run`: headcount waterfalls close on generated data and show
//! a discrepancy on an inconsistent fixture; early moves and moves in the Pilkada window are
//! flagged.

use super::util::*;
use mutasi_io::data::table::{ColumnData, TableData, read_table};

fn ints(t: &TableData, col: &str) -> Vec<i64> {
    match t.get(col) {
        Some(ColumnData::I64(v)) => v.iter().map(|x| x.expect("value")).collect(),
        other => panic!("{col}: {other:?}"),
    }
}

fn run_month(s: &Scratch, period: &str, extra: &[&str]) -> Run {
    let (input, out) = (s.path("in").display().to_string(), s.path("out").display().to_string());
    let mut args = vec!["run", "--input", &input, "--out", &out, "--period", period];
    args.extend(extra);
    run(&args.iter().map(|x| x.to_string()).collect::<Vec<_>>())
}

#[test]
fn waterfalls_close_on_generated_data() {
    let s = Scratch::new();
    let input = s.path("in").display().to_string();
    let r = run(&[
        "sample",
        "--employees",
        "600",
        "--months",
        "36",
        "--start",
        "2023-01",
        "--seed",
        "4",
        "--out",
        &input,
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cfg = s.path("in/mutasi.toml").display().to_string();
    let r = run_month(&s, "2025-12", &["--config", &cfg, "--outcomes", "capaian_iki", "--subgroups", ""]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for file in ["movement_units", "movement_opd"] {
        let t = read_table(&s.path("out/2025-12").join(format!("{file}.parquet"))).expect(file);
        assert!(t.height() > 100, "{file}: {} rows", t.height());
        let (a, m, k, l, e, d) = (
            ints(&t, "awal"),
            ints(&t, "masuk"),
            ints(&t, "keluar"),
            ints(&t, "lainnya"),
            ints(&t, "akhir"),
            ints(&t, "selisih"),
        );
        for i in 0..t.height() {
            assert_eq!(a[i] + m[i] - k[i] + l[i] + d[i], e[i], "{file} row {i}");
            assert_eq!(d[i], 0, "{file} row {i}: the waterfall does not close");
        }
        assert!(m.iter().sum::<i64>() > 0 && k.iter().sum::<i64>() > 0);
    }
    let flows = read_table(&s.path("out/2025-12/flows_opd.parquet")).expect("flows");
    assert_eq!(flows.names(), ["periode", "opd_asal", "opd_tujuan", "n_mutasi"]);
    let mobility = read_table(&s.path("out/2025-12/mobility.parquet")).expect("mobility");
    assert!(mobility.height() > 0);
}

#[test]
fn an_inconsistent_record_shows_a_discrepancy_and_rules_are_flagged() {
    let s = Scratch::with_base();
    // Presence: A in PKM01, B in PKM17, C in DINKES, January to March 2024.
    let mut kinerja = String::from("nip,periode,indikator,nilai,unit_id\n");
    for (nip, unit) in [(NIP_A, "PKM01"), (NIP_B, "PKM17"), (NIP_C, "DINKES")] {
        for m in 1..=3 {
            kinerja.push_str(&format!("{nip},2024-0{m},capaian_iki,90,{unit}\n"));
        }
    }
    s.write("in/kinerja.csv", &kinerja);
    // A is recorded moving to PKM17 in February but is still seen in PKM01; B arrived in PKM17 in
    // June 2023 and moves again in March 2024 (under 2 years); C moves in May 2024 (Pilkada).
    s.write(
        "in/mutasi.csv",
        &format!(
            "nip,tmt,unit_asal_id,unit_tujuan_id,jenis_mutasi\n{NIP_A},2024-02-01,PKM01,PKM17,rotasi\n{NIP_B},2023-06-01,DINKES,PKM17,rotasi\n{NIP_B},2024-03-01,PKM17,PKM01,rotasi\n{NIP_C},2024-05-01,DINKES,PKM01,rotasi\n"
        ),
    );
    // The fixture's kinerja ends before the freshness window: published with --force.
    let r = run_month(&s, "2024-06", &["--force"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let t = read_table(&s.path("out/2024-06/movement_units.parquet")).expect("units");
    let (units, periods, d) = (
        (0..t.height()).map(|i| t.str_at("unit_id", i).unwrap_or_default().to_string()).collect::<Vec<_>>(),
        (0..t.height()).map(|i| t.str_at("periode", i).unwrap_or_default().to_string()).collect::<Vec<_>>(),
        ints(&t, "selisih"),
    );
    let at = |u: &str, p: &str| (0..t.height()).find(|i| units[*i] == u && periods[*i] == p).map(|i| d[i]);
    assert_eq!(at("PKM01", "2024-02"), Some(1), "A recorded leaving PKM01 but still there");
    assert_eq!(at("PKM17", "2024-02"), Some(-1), "A recorded arriving in PKM17 but not there");
    let tr = read_table(&s.path("out/2024-06/transfer_compliance.parquet")).expect("transfers");
    let flag = |col: &str| match tr.get(col) {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{col}: {other:?}"),
    };
    let (early, dates) = (
        flag("kurang_2_tahun"),
        (0..tr.height()).map(|i| tr.get("tmt").map(|c| c.text(i)).unwrap_or_default()).collect::<Vec<_>>(),
    );
    let k = dates.iter().position(|x| x == "2024-03-01").expect("B's second move");
    assert_eq!(early[k], Some(true), "9 months in post");
    let blackout =
        (0..tr.height()).map(|i| tr.str_at("masa_larangan", i).map(String::from)).collect::<Vec<_>>();
    let may = dates.iter().position(|x| x == "2024-05-01").expect("C's move");
    assert!(blackout[may].as_deref().is_some_and(|b| b.contains("Pilkada 2024")), "{blackout:?}");
    assert!(blackout.iter().enumerate().all(|(i, b)| i == may || b.is_none()));
}
