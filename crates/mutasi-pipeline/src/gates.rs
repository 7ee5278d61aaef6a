//! The gates a month must pass to be published: reject rate, freshness, volume and data checks.
//!
//! Each gate is a pure function of numbers the run already has, returning a [`Gate`] that says
//! whether it passed and why, in both languages. A failed gate stops publication (exit 1,
//! `<period>.failed.json`) unless `--force`, in which case the month is published with the
//! failures as visible warnings in `manifest.json` and the report.

use std::collections::BTreeMap;

use serde::Serialize;

use mutasi_analysis::queries::QueryResult;

/// One gate's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// `rasio_tolak`, `kesegaran`, `volume` or `cek`.
    pub nama: String,
    pub lulus: bool,
    pub keterangan: String,
}

/// Reject rate: rejected / read rows at most `max`.
pub fn reject_rate(read: u64, rejected: u64, max: f64) -> Gate {
    let rate = if read == 0 { 0.0 } else { rejected as f64 / read as f64 };
    Gate {
        nama: "rasio_tolak".into(),
        lulus: rate <= max,
        keterangan: format!(
            "{rejected} dari {read} baris ditolak ({:.3}%), batas {:.3}% / {rejected} of {read} rows rejected, maximum {:.3}% (validate.max_reject_rate); lihat / see validated/rejects.csv",
            100.0 * rate,
            100.0 * max,
            100.0 * max
        ),
    }
}

/// Freshness: the latest kinerja month (a month key, year × 12 + month − 1) must reach the
/// period's month key minus `lag` months.
pub fn freshness(latest: Option<i64>, period: i64, lag: i64) -> Gate {
    let label = |k: i64| format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1);
    let needed = period - lag;
    match latest {
        Some(l) if l >= needed => Gate {
            nama: "kesegaran".into(),
            lulus: true,
            keterangan: format!("kinerja terakhir / latest kinerja {} ≥ {}", label(l), label(needed)),
        },
        Some(l) => Gate {
            nama: "kesegaran".into(),
            lulus: false,
            keterangan: format!(
                "data kinerja terakhir {} lebih lama dari {} (periode {} − {lag} bulan) / latest kinerja {} is older than {} (period − gates.freshness_lag_months); hint: ekspor ulang e-Kinerja / re-export e-Kinerja",
                label(l),
                label(needed),
                label(period),
                label(l),
                label(needed)
            ),
        },
        None => Gate {
            nama: "kesegaran".into(),
            lulus: false,
            keterangan: "tidak ada data kinerja sampai periode ini / no kinerja data up to the period".into(),
        },
    }
}

/// Volume: each table's accepted rows within ±`band` of the previous published period's.
/// Without a previous period the gate passes (the first run has nothing to compare with).
pub fn volume(
    current: &BTreeMap<String, u64>,
    previous: Option<(&str, &BTreeMap<String, u64>)>,
    band: f64,
) -> Gate {
    let Some((label, prev)) = previous else {
        return Gate {
            nama: "volume".into(),
            lulus: true,
            keterangan: "belum ada periode terbit sebelumnya / no previous published period".into(),
        };
    };
    let mut off = Vec::new();
    for (table, &before) in prev {
        let now = current.get(table).copied().unwrap_or(0);
        let (lo, hi) = ((before as f64) * (1.0 - band), (before as f64) * (1.0 + band));
        if before > 0 && ((now as f64) < lo || (now as f64) > hi) {
            off.push(format!("{table}: {now} vs {before}"));
        }
    }
    Gate {
        nama: "volume".into(),
        lulus: off.is_empty(),
        keterangan: if off.is_empty() {
            format!(
                "jumlah baris dalam ±{:.0}% dari periode {label} / row counts within ±{:.0}% of period {label}",
                100.0 * band,
                100.0 * band
            )
        } else {
            format!(
                "jumlah baris di luar ±{:.0}% dari periode {label} / row counts outside ±{:.0}% of period {label} (gates.volume_band): {}; hint: periksa ekspor yang terpotong atau ganda / check for truncated or duplicated exports",
                100.0 * band,
                100.0 * band,
                off.join(", ")
            )
        },
    }
}

/// Checks: every `queries/checks` file returned no rows.
pub fn checks(results: &[QueryResult]) -> Gate {
    let failed: Vec<String> = results
        .iter()
        .filter(|q| !q.lulus)
        .map(|q| format!("{} ({} baris / rows)", q.berkas, q.baris))
        .collect();
    Gate {
        nama: "cek".into(),
        lulus: failed.is_empty(),
        keterangan: if failed.is_empty() {
            "semua cek data lulus / every data check passed".into()
        } else {
            format!("cek data gagal / data checks failed: {}", failed.join(", "))
        },
    }
}

impl Gate {
    /// The warning a failed gate leaves when `--force` publishes the month anyway.
    pub fn forced(&self) -> String {
        format!(
            "gerbang / gate {} gagal / failed, diterbitkan dengan --force / published with --force: {}",
            self.nama, self.keterangan
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_rate_and_checks() {
        assert!(reject_rate(1000, 5, 0.005).lulus);
        assert!(!reject_rate(1000, 6, 0.005).lulus);
        assert!(reject_rate(0, 0, 0.0).lulus);
        assert!(checks(&[]).lulus);
        let q = |lulus, baris| QueryResult {
            nama: "x".into(),
            berkas: "queries/checks/x.sql".into(),
            baris,
            cek: true,
            lulus,
            ditekan: 0,
        };
        assert!(checks(&[q(true, 0)]).lulus);
        let c = checks(&[q(true, 0), q(false, 3)]);
        assert!(!c.lulus && c.keterangan.contains("x.sql (3 baris / rows)"), "{}", c.keterangan);
        assert!(c.forced().contains("--force") && c.forced().contains("cek"));
    }

    #[test]
    fn freshness_allows_the_lag() {
        let oct_2026 = 2026 * 12 + 9;
        assert!(freshness(Some(oct_2026 - 2), oct_2026, 2).lulus);
        let stale = freshness(Some(oct_2026 - 3), oct_2026, 2);
        assert!(!stale.lulus);
        assert!(
            stale.keterangan.contains("2026-07") && stale.keterangan.contains("2026-08"),
            "{}",
            stale.keterangan
        );
        assert!(!freshness(None, oct_2026, 2).lulus);
    }

    #[test]
    fn volume_band_around_the_previous_period() {
        let prev: BTreeMap<String, u64> =
            [("kinerja".to_string(), 1000), ("pegawai".to_string(), 100)].into();
        let ok: BTreeMap<String, u64> = [("kinerja".to_string(), 1400), ("pegawai".to_string(), 60)].into();
        assert!(volume(&ok, Some(("2026-09", &prev)), 0.5).lulus);
        let truncated: BTreeMap<String, u64> =
            [("kinerja".to_string(), 400), ("pegawai".to_string(), 100)].into();
        let g = volume(&truncated, Some(("2026-09", &prev)), 0.5);
        assert!(!g.lulus && g.keterangan.contains("kinerja: 400 vs 1000"), "{}", g.keterangan);
        assert!(volume(&truncated, None, 0.5).lulus, "first run");
    }
}
