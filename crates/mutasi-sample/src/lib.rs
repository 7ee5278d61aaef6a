//! `mutasi sample`: synthetic Kota Ambon exports with planted, documented effects.
//!
//! The same seed gives the same files at any size. The generator writes what offices send (see
//! [`write`]), the true effects ([`effects`]) and the planted bad rows ([`bad`]) to `truth.json`,
//! so every later analysis can be checked against known answers. People, transfers and unit
//! events are held in memory (about 200 bytes a person); kinerja rows are streamed to disk.

pub mod bad;
pub mod effects;
pub mod error;
pub mod names;
pub mod people;
pub mod requests;
pub mod rng;
pub mod units;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

pub use error::SampleError;
use mutasi_domain::model::JenisMutasi;
use people::Person;

/// Smallest dataset that still holds every planted bad row and every transfer type.
pub const MIN_EMPLOYEES: usize = 50;
pub const MIN_MONTHS: u32 = 12;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleSpec {
    pub employees: usize,
    pub months: u32,
    pub start: (i32, u32),
    pub seed: u64,
    pub bad_rows: bool,
    /// Oracle data: capaian_iki without random terms (see [`Truth::tanpa_galat`]).
    pub noise_free: bool,
    /// Kinerja as Parquet (one file per year, typed columns) instead of CSV; no bad rows are
    /// planted in it.
    pub parquet: bool,
}

#[derive(Debug, Serialize)]
pub struct AttPoint {
    /// Months since the first transfer.
    pub e: i64,
    pub att: f64,
    pub n: usize,
}

#[derive(Debug, Serialize)]
pub struct Truth {
    pub seed: u64,
    pub pegawai: usize,
    pub bulan: u32,
    pub mulai: String,
    pub unit: usize,
    pub mutasi: BTreeMap<String, usize>,
    /// Oracle data (`mutasi sample --noise-free`): capaian_iki is the base plus the planted effects
    /// only, with the same people, transfers and months as the same seed without the flag. An
    /// estimator run on it gives the exact estimand of the noisy run's analysis sample.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tanpa_galat: bool,
    pub model_kinerja: String,
    pub efek_dasar_per_jenis: BTreeMap<String, f64>,
    pub pengali_kohort: String,
    pub bulan_ramp: f64,
    /// Realised mean planted effect on `capaian_iki` by months since each person's first transfer
    /// (rotasi, promosi or demosi), among people observed then. Includes later transfers' effects.
    pub att_capaian_iki_transfer_pertama: Vec<AttPoint>,
    pub efek_layanan: BTreeMap<String, f64>,
    pub kedatangan_dokter_puskesmas: usize,
    pub kepala_baru: usize,
    /// Realised mean planted effect on a Puskesmas' `waktu_tunggu_menit` by months since its first
    /// dokter arrival (−6 minutes per dokter, ramped over 6 months; later arrivals add), among
    /// Puskesmas with one: the estimand of the unit analysis `kedatangan_dokter`.
    pub att_unit_kedatangan_dokter_waktu_tunggu: Vec<AttPoint>,
    /// The same for the first new kepala Puskesmas (−3 minutes per new head).
    pub att_unit_kepala_baru_waktu_tunggu: Vec<AttPoint>,
    /// Transfer requests written to `permohonan.csv`.
    pub permohonan: usize,
    /// Planted probability that a request is approved, by gender (L, P).
    pub persetujuan_direncanakan: BTreeMap<String, f64>,
    /// Planted capaian_iki effect of a mentoring started within 3 months after a transfer.
    pub efek_pelatihan: f64,
    /// Realised difference of the mean planted capaian_iki effect over months 0–12 after the first
    /// transfer between employees with and without such a mentoring (`pelatihan=ya` − `tidak`).
    pub selisih_pelatihan_capaian_iki: f64,
    pub baris_buruk: BTreeMap<String, usize>,
    pub peringatan_ditanam: BTreeMap<String, usize>,
    pub rincian_baris_buruk: Vec<bad::Planted>,
    pub berkas: Vec<String>,
}

fn att_by_event_time(people: &[Person], spec: &SampleSpec) -> Vec<AttPoint> {
    let mut acc: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for p in people {
        let Some(first) = p.events.first() else { continue };
        if !matches!(first.kind, JenisMutasi::Rotasi | JenisMutasi::Promosi | JenisMutasi::Demosi) {
            continue;
        }
        for t in 0..spec.months {
            if !p.observed(t) {
                continue;
            }
            let e = i64::from(t) - i64::from(first.month);
            let slot = acc.entry(e).or_default();
            slot.0 += write::planted_effect(p, spec.start, t);
            slot.1 += 1;
        }
    }
    acc.into_iter().map(|(e, (s, n))| AttPoint { e, att: s / n as f64, n }).collect()
}

/// Mean planted effect `per_event` × Σ ramp(t − event) on Puskesmas by months since their first
/// event of one kind, over the Puskesmas with such an event.
fn unit_att(
    units: &[units::Unit],
    events: &[write::UnitEvents],
    months: u32,
    of: fn(&write::UnitEvents) -> &Vec<u32>,
    per_event: f64,
) -> Vec<AttPoint> {
    let mut acc: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for (u, ev) in units.iter().zip(events) {
        let list = of(ev);
        let Some(first) = list.first() else { continue };
        if u.kind != units::UnitKind::Puskesmas {
            continue;
        }
        for t in 0..months {
            let effect: f64 =
                list.iter().map(|m| effects::ramp(i64::from(t) - i64::from(*m))).sum::<f64>() * per_event;
            let slot = acc.entry(i64::from(t) - i64::from(*first)).or_default();
            slot.0 += effect;
            slot.1 += 1;
        }
    }
    acc.into_iter().map(|(e, (s, n))| AttPoint { e, att: s / n as f64, n }).collect()
}

/// Mean over event times 0–12 of the mean planted effect of people whose first transfer (rotasi,
/// promosi, demosi) was followed within 3 months by a mentoring, minus that of the others.
fn training_gap(people: &[Person], spec: &SampleSpec) -> f64 {
    let mut acc: BTreeMap<(bool, i64), (f64, usize)> = BTreeMap::new();
    for p in people {
        let Some(first) = p.events.first() else { continue };
        if !matches!(first.kind, JenisMutasi::Rotasi | JenisMutasi::Promosi | JenisMutasi::Demosi) {
            continue;
        }
        let trained = p.trainings.iter().any(|m| (first.month..first.month + 3).contains(m));
        for e in 0..=12u32 {
            let t = first.month + e;
            if t < spec.months && p.observed(t) {
                let slot = acc.entry((trained, i64::from(e))).or_default();
                slot.0 += write::planted_effect(p, spec.start, t);
                slot.1 += 1;
            }
        }
    }
    let mean = |trained: bool| {
        let v: Vec<f64> =
            (0..=12).filter_map(|e| acc.get(&(trained, e)).map(|(s, n)| s / *n as f64)).collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    mean(true) - mean(false)
}

/// The folder name of partition `k` (0-based) of a partitioned sample: a synthetic instansi code.
pub fn instansi_code(k: usize) -> String {
    format!("I{:04}", k + 1)
}

/// Generates `partitions` independent instansi into `out/instansi=<code>/`, each with its share
/// of the employees and its own seed, on all cores (the files do not depend on the order). A top
/// level `mutasi.toml` serves every partition. Returns each partition's truth, in order.
pub fn generate_partitioned(
    spec: &SampleSpec,
    partitions: usize,
    out: &Path,
) -> Result<Vec<Truth>, SampleError> {
    let per = spec.employees / partitions.max(1);
    if partitions == 0 || per < MIN_EMPLOYEES {
        return Err(SampleError::TooFewPerInstansi);
    }
    std::fs::create_dir_all(out).map_err(SampleError::io(out))?;
    let one = |k: usize| {
        let extra = usize::from(k < spec.employees % partitions);
        let part = SampleSpec {
            employees: per + extra,
            seed: spec.seed.wrapping_add(7919 * k as u64),
            ..spec.clone()
        };
        generate(&part, &out.join(format!("instansi={}", instansi_code(k))))
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let truths = mutasi_io::workers::in_order(partitions, cores, one);
    let truths: Vec<Truth> = truths.into_iter().collect::<Result<_, _>>()?;
    let first = out.join(format!("instansi={}", instansi_code(0))).join("mutasi.toml");
    let config = std::fs::read_to_string(&first).map_err(SampleError::io(&first))?;
    let top = out.join("mutasi.toml");
    std::fs::write(&top, config).map_err(SampleError::io(&top))?;
    Ok(truths)
}

/// Generates a dataset into `out`; returns its truth.
pub fn generate(spec: &SampleSpec, out: &Path) -> Result<Truth, SampleError> {
    if spec.employees < MIN_EMPLOYEES || spec.months < MIN_MONTHS {
        return Err(SampleError::TooSmall);
    }
    std::fs::create_dir_all(out).map_err(SampleError::io(out))?;
    let units = units::build_units(spec.employees);
    let mut people = people::build_people(&units, spec.employees, spec.months, spec.start, spec.seed);
    requests::plant_trainings(&mut people, spec.months, spec.seed);
    let mut bad = bad::BadRows::new(spec.bad_rows);
    write::unit_kerja(&out.join("unit_kerja.xlsx"), &units, &mut bad)?;
    write::pegawai(&out.join("pegawai.csv"), &people, &units, spec.months, &mut bad)?;
    // One transfer is exported with the person's old 9-digit NIP, mapped by the crosswalk.
    let cross_who = people.iter().position(|p| !p.events.is_empty() && !p.pppk);
    let old_nip = "510012345";
    write::mutasi(
        &out.join("mutasi.csv"),
        &people,
        &units,
        spec.start,
        spec.seed,
        cross_who.map(|w| (w, old_nip)),
        &mut bad,
    )?;
    if let Some(w) = cross_who {
        let path = out.join("nip_crosswalk.csv");
        std::fs::write(&path, format!("nip_lama,nip_baru\n{old_nip},{}\n", people[w].nip))
            .map_err(SampleError::io(&path))?;
    }
    let mut files = vec!["unit_kerja.xlsx".to_string(), "pegawai.csv".into(), "mutasi.csv".into()];
    files.extend(write::kinerja(out, &people, &units, spec, &mut bad)?);
    let events = write::unit_events(&people, &units);
    write::layanan(&out.join("layanan.csv"), &units, &events, spec.months, spec.start, spec.seed, &mut bad)?;
    write::skm(&out.join("skm.csv"), &units, &events, spec.months, spec.start, spec.seed, &mut bad)?;
    files.extend(["layanan.csv".to_string(), "skm.csv".into()]);
    let unit_ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let n_requests = requests::write_permohonan(
        &out.join("permohonan.csv"),
        &people,
        &unit_ids,
        spec.months,
        spec.start,
        spec.seed,
    )?;
    requests::write_pelatihan(&out.join("pelatihan.csv"), &people, spec.start, spec.seed)?;
    files.extend(["permohonan.csv".to_string(), "pelatihan.csv".into()]);
    if cross_who.is_some() {
        files.push("nip_crosswalk.csv".into());
    }
    let config = format!(
        "# Konfigurasi contoh / sample config for `mutasi validate --config`.\n\
         # Data contoh sengaja berisi {} baris buruk (lihat truth.json) / the sample holds planted bad rows.\n\
         nip_crosswalk = \"nip_crosswalk.csv\"\n\n[validate]\nmax_reject_rate = 0.005\nsk_tolerance_days = 30\n",
        bad.rejects.values().sum::<usize>()
    );
    let toml = out.join("mutasi.toml");
    std::fs::write(&toml, config).map_err(SampleError::io(&toml))?;

    let mut mutasi: BTreeMap<String, usize> = BTreeMap::new();
    for p in &people {
        for e in &p.events {
            *mutasi.entry(e.kind.as_str().to_string()).or_default() += 1;
        }
    }
    let truth = Truth {
        seed: spec.seed,
        pegawai: people.len(),
        bulan: spec.months,
        mulai: format!("{:04}-{:02}", spec.start.0, spec.start.1),
        unit: units.len(),
        mutasi,
        tanpa_galat: spec.noise_free,
        model_kinerja: if spec.noise_free {
            format!(
                "capaian_iki = {} + sum_k efek_k (tanpa galat / noise-free); nilai_skp (sebelum 2022) = 0.8 x capaian_iki + 10",
                effects::KINERJA_BASE
            )
        } else {
            format!(
                "capaian_iki = {} + alpha_i (N(0,5^2)) + {} x bulan_ke + {} x [Desember] + N(0,{}^2) + sum_k efek_k; nilai_skp (sebelum 2022) = 0.8 x capaian_iki + 10",
                effects::KINERJA_BASE,
                effects::KINERJA_DRIFT_PER_MONTH,
                effects::KINERJA_DECEMBER,
                effects::KINERJA_NOISE_SD
            )
        },
        efek_dasar_per_jenis: JenisMutasi::ALL
            .iter()
            .map(|j| (j.as_str().to_string(), effects::base_effect(*j)))
            .collect(),
        pengali_kohort: "0.6 + 0.2 x (tahun TMT - tahun mulai)".into(),
        bulan_ramp: effects::RAMP_MONTHS,
        att_capaian_iki_transfer_pertama: att_by_event_time(&people, spec),
        efek_layanan: BTreeMap::from([
            ("dokter_waktu_tunggu_menit".to_string(), effects::DOKTER_WAIT_MINUTES),
            ("dokter_kunjungan_relatif".to_string(), effects::DOKTER_VISITS_RELATIVE),
            ("dokter_skm_laten".to_string(), effects::DOKTER_SKM_LATENT),
            ("kepala_waktu_tunggu_menit".to_string(), effects::KEPALA_WAIT_MINUTES),
            ("kepala_sekolah_literasi".to_string(), effects::KEPALA_SEKOLAH_LITERASI),
        ]),
        kedatangan_dokter_puskesmas: events.iter().map(|e| e.dokter.len()).sum(),
        kepala_baru: events.iter().map(|e| e.kepala.len()).sum(),
        att_unit_kedatangan_dokter_waktu_tunggu: unit_att(
            &units,
            &events,
            spec.months,
            |e| &e.dokter,
            effects::DOKTER_WAIT_MINUTES,
        ),
        permohonan: n_requests,
        persetujuan_direncanakan: BTreeMap::from([
            ("L".to_string(), requests::APPROVE_MALE),
            ("P".to_string(), requests::APPROVE_FEMALE),
        ]),
        efek_pelatihan: requests::TRAINING_EFFECT,
        selisih_pelatihan_capaian_iki: training_gap(&people, spec),
        att_unit_kepala_baru_waktu_tunggu: unit_att(
            &units,
            &events,
            spec.months,
            |e| &e.kepala,
            effects::KEPALA_WAIT_MINUTES,
        ),
        baris_buruk: bad.rejects.clone(),
        peringatan_ditanam: bad.warnings.clone(),
        rincian_baris_buruk: bad.planted.clone(),
        berkas: files,
    };
    let json = serde_json::to_string_pretty(&truth)?;
    let path = out.join("truth.json");
    std::fs::write(&path, json + "\n").map_err(SampleError::io(&path))?;
    Ok(truth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfers_follow_the_rules() {
        let spec = SampleSpec {
            employees: 600,
            months: 60,
            start: (2021, 1),
            seed: 11,
            bad_rows: false,
            noise_free: false,
            parquet: false,
        };
        let units = units::build_units(spec.employees);
        let people = people::build_people(&units, spec.employees, spec.months, spec.start, spec.seed);
        assert!(people::heads_unique(&people, spec.months));
        let mut kinds = std::collections::HashSet::new();
        for p in &people {
            if p.pppk {
                assert!(p.events.iter().all(|e| e.kind == JenisMutasi::MutasiMasuk), "PPPK do not transfer");
            }
            for e in &p.events {
                kinds.insert(e.kind);
                let d = people::month_date(spec.start, e.month);
                let paused = d >= chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or_default()
                    && d <= chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap_or_default();
                assert!(!paused, "transfer during the Pilkada pause: {d}");
            }
            for w in p.events.windows(2) {
                assert!(w[0].month < w[1].month, "one transfer per month per person");
            }
        }
        for k in JenisMutasi::ALL {
            assert!(kinds.contains(&k), "no {k:?} generated");
        }
        let n = people.len() as f64;
        let movers = people.iter().filter(|p| !p.events.is_empty()).count() as f64;
        assert!(movers / n > 0.4 && movers / n < 0.95, "share of movers {}", movers / n);
    }
}
