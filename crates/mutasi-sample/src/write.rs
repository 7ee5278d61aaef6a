//! Writing the synthetic exports in the mixed formats offices really send.
//!
//! `unit_kerja.xlsx` (a title block above the header), `pegawai.csv` and `mutasi.csv` with SIASN
//! field names and `dd-mm-yyyy` dates, kinerja per year (before 2022 a `;`-separated file with
//! decimal commas and Indonesian month names; from 2022 the SIASN wide layout with rating codes),
//! `layanan.csv` with `;` and decimal commas, and `skm.csv` with `dd/mm/yyyy` dates. Large files
//! are streamed, so a million employees need little memory.

use crate::SampleError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

use super::bad::BadRows;
use super::effects::*;
use super::people::{Person, Profession, month_date, year_of};
use super::rng::{Rand, Stream};
use super::units::{Unit, UnitKind};
use mutasi_domain::model::JenisMutasi;
use mutasi_domain::normalize::month::month_name_id;
use mutasi_domain::normalize::rating::predikat_from_ratings;

pub type Res = Result<(), SampleError>;

fn err(path: &Path) -> impl Fn(std::io::Error) -> SampleError + Copy + '_ {
    SampleError::io(path)
}

fn csv_writer(path: &Path, delim: u8) -> Result<csv::Writer<BufWriter<File>>, SampleError> {
    let f = File::create(path).map_err(err(path))?;
    Ok(csv::WriterBuilder::new().delimiter(delim).from_writer(BufWriter::with_capacity(1 << 20, f)))
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// Decimal comma with 2 decimals ("76,48").
fn koma(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}").replace('.', ",")
}

/// Integer with dot thousands ("2.345").
fn ribuan(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

pub fn unit_kerja(path: &Path, units: &[Unit], bad: &mut BadRows) -> Res {
    let x = |source: rust_xlsxwriter::XlsxError| SampleError::Xlsx { path: path.to_path_buf(), source };
    let mut wb = rust_xlsxwriter::Workbook::new();
    // A fixed creation date keeps the file byte-identical for a seed.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1).map_err(x)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("Unit Kerja").map_err(x)?;
    ws.write_string(0, 0, "DAFTAR UNIT KERJA PEMERINTAH KOTA AMBON").map_err(x)?;
    ws.write_string(1, 0, "Sumber: SIMPEG BKPSDM (data sintetis)").map_err(x)?;
    let headers = ["Kode Unit", "Nama Unit", "OPD", "Jenis Unit", "Kecamatan", "Induk Unit"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(3, c as u16, *h).map_err(x)?;
    }
    let mut row = 4u32;
    let write = |ws: &mut rust_xlsxwriter::Worksheet, u: &Unit, row: u32| -> Res {
        let vals = [
            u.id.as_str(),
            u.name.as_str(),
            u.opd.as_str(),
            u.jenis_unit(),
            u.kecamatan,
            u.parent.as_deref().unwrap_or(""),
        ];
        for (c, v) in vals.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, c as u16, *v).map_err(x)?;
            }
        }
        Ok(())
    };
    for u in units {
        write(ws, u, row)?;
        row += 1;
    }
    if bad.enabled {
        // A unit listed twice.
        write(ws, &units[0], row)?;
        bad.plant("unit_ganda", "unit_kerja.xlsx", u64::from(row) + 1, "DINKES diulang / listed twice");
    }
    wb.save(path).map_err(x)
}

pub fn pegawai(path: &Path, people: &[Person], units: &[Unit], months: u32, bad: &mut BadRows) -> Res {
    let mut w = csv_writer(path, b',')?;
    let e = SampleError::csv(path);
    w.write_record([
        "nipBaru",
        "nama",
        "jenisKelamin",
        "tglLahir",
        "statusPegawai",
        "golRuangAkhir",
        "jenisJabatan",
        "jabatanNama",
        "unorId",
    ])
    .map_err(e)?;
    let mut row = 1u64;
    for (i, p) in people.iter().enumerate() {
        let last = months.saturating_sub(1).min(p.leave_month.map_or(u32::MAX, |l| l.saturating_sub(1)));
        let (unit, head) = p.unit_at(last);
        let unit = unit.unwrap_or(p.start_unit);
        let jabatan = p.events.iter().rev().find(|e| e.to.is_some()).map_or_else(
            || if p.start_head { String::new() } else { p.base_jabatan() },
            |e| e.jabatan_after.clone(),
        );
        let jabatan = if jabatan.is_empty() { format!("Kepala {}", units[unit].name) } else { jabatan };
        let mut birth = dmy(p.birth);
        if bad.enabled && i == 3 {
            // Birth date column disagrees with the NIP: a warning, the row is kept.
            birth = dmy(p.birth + Duration::days(1));
            bad.warn("tanggal_lahir_tidak_sesuai_nip");
        }
        let gender = if p.female { "Perempuan" } else { "Laki-laki" };
        let status = if p.pppk { "PPPK" } else { "PNS" };
        w.write_record([
            p.nip.as_str(),
            &p.nama,
            gender,
            &birth,
            status,
            &p.golongan,
            p.jenis_jabatan(head),
            &jabatan,
            &units[unit].id,
        ])
        .map_err(e)?;
        row += 1;
    }
    if bad.enabled {
        let base = &people[0];
        let rows: [(&str, &str, &str); 4] = [
            ("1,98609E+17", "Yohanis Lopis", "nip_rusak_excel"),
            ("197805122003121000", "Maria Ely", "nip_rusak_excel"),
            ("131110468", "Petrus Muskita", "nip_lama_tanpa_padanan"),
            ("19800230 200501 1 003", "Siti Tuasikal", "nip_tanggal_lahir_salah"),
        ];
        for (nip, nama, code) in rows {
            row += 1;
            w.write_record([
                nip,
                nama,
                "",
                "",
                "PNS",
                "III/a",
                "Pelaksana",
                "Pengadministrasi Umum",
                "SETDA",
            ])
            .map_err(e)?;
            bad.plant(code, "pegawai.csv", row, nip);
        }
        row += 1;
        w.write_record([base.nip.as_str(), &base.nama, "", "", "", "", "", "", &units[base.start_unit].id])
            .map_err(e)?;
        bad.plant("nip_ganda", "pegawai.csv", row, &base.nip);
    }
    w.flush().map_err(err(path))
}

fn sk_number(r: &mut Rand, d: NaiveDate) -> String {
    format!("{} Tahun {}", r.int(100, 6900), d.year())
}

pub fn mutasi(
    path: &Path,
    people: &[Person],
    units: &[Unit],
    start: (i32, u32),
    seed: u64,
    crosswalk: Option<(usize, &str)>,
    bad: &mut BadRows,
) -> Res {
    let mut w = csv_writer(path, b',')?;
    let e = SampleError::csv(path);
    w.write_record([
        "nipBaru",
        "tmtJabatan",
        "unorId",
        "Unit Asal",
        "jenisMutasi",
        "jabatanNama",
        "nomorSk",
        "tanggalSk",
    ])
    .map_err(e)?;
    let mut row = 1u64;
    let mut r = Rand::new(seed, Stream::Schedule, 1 << 40);
    for (i, p) in people.iter().enumerate() {
        for (k, ev) in p.events.iter().enumerate() {
            let tmt = month_date(start, ev.month);
            let nip = match crosswalk {
                Some((who, old)) if who == i && k == 0 => old.to_string(),
                _ => p.nip.clone(),
            };
            let to = ev.to.map_or("LUAR-PEMKOT".to_string(), |u| units[u].id.clone());
            let from = match (ev.kind, ev.from) {
                (JenisMutasi::MutasiMasuk, _) => "Pemerintah Provinsi Maluku".to_string(),
                (_, Some(f)) if r.chance(0.7) => units[f].id.clone(),
                _ => String::new(),
            };
            let jenis = match ev.kind {
                JenisMutasi::MutasiKeluar | JenisMutasi::MutasiMasuk => ev.kind.as_str().to_string(),
                JenisMutasi::Rotasi if r.chance(0.1) => "MU".to_string(),
                _ if r.chance(0.1) => String::new(),
                _ => ev.kind.as_str().to_string(),
            };
            let late = r.chance(0.03);
            let sk =
                if late { tmt + Duration::days(r.int(45, 90)) } else { tmt - Duration::days(r.int(0, 25)) };
            if late {
                bad.warn("tanggal_sk_terlambat");
            }
            let sk_text = if r.chance(0.2) {
                format!("{} {} {}", sk.day(), month_name_id(sk.month()), sk.year())
            } else {
                dmy(sk)
            };
            row += 1;
            w.write_record([
                nip.as_str(),
                &dmy(tmt),
                &to,
                &from,
                &jenis,
                &ev.jabatan_after,
                &sk_number(&mut r, sk),
                &sk_text,
            ])
            .map_err(e)?;
        }
    }
    if bad.enabled {
        let p = people.iter().find(|p| !p.pppk && p.join_month.is_none()).unwrap_or(&people[0]);
        let mut plant = |w: &mut csv::Writer<BufWriter<File>>, rec: [&str; 8], code: &str| -> Res {
            row += 1;
            w.write_record(rec).map_err(e)?;
            bad.plant(code, "mutasi.csv", row, rec[0]);
            Ok(())
        };
        plant(
            &mut w,
            [&p.nip, "01-07-2023", "PKM99", "", "rotasi", "Perawat Mahir", "1201 Tahun 2023", "20-06-2023"],
            "unit_tidak_dikenal",
        )?;
        plant(
            &mut w,
            [&p.nip, "02-01-2022", "PKM01", "", "rotasi", "Perawat Mahir", "12 Tahun 2022", "20-12-2021"],
            "mutasi_ganda_hari_sama",
        )?;
        plant(
            &mut w,
            [&p.nip, "02-01-2022", "PKM02", "", "rotasi", "Perawat Mahir", "13 Tahun 2022", "20-12-2021"],
            "mutasi_ganda_hari_sama",
        )?;
        plant(
            &mut w,
            [&p.nip, "01-01-2100", "PKM03", "", "rotasi", "Perawat Mahir", "14 Tahun 2022", "20-12-2021"],
            "tanggal_di_luar_rentang",
        )?;
        plant(
            &mut w,
            [
                &p.nip,
                "01-09-2023",
                "PKM04",
                "",
                "pindah tugas",
                "Perawat Mahir",
                "15 Tahun 2023",
                "20-08-2023",
            ],
            "jenis_mutasi_tidak_dikenal",
        )?;
        plant(
            &mut w,
            [
                "199001012015011999",
                "01-09-2023",
                "PKM04",
                "",
                "rotasi",
                "Bidan Terampil",
                "16 Tahun 2023",
                "20-08-2023",
            ],
            "nip_tidak_dikenal",
        )?;
    }
    w.flush().map_err(err(path))
}

/// Kinerja of one person-month: `capaian_iki`, and the two ratings behind the predikat.
pub struct KinerjaDraw {
    pub capaian: f64,
    pub hasil: u8,
    pub perilaku: u8,
}

/// Planted kinerja effect of all transfers up to month `t`.
pub fn planted_effect(p: &Person, start: (i32, u32), t: u32) -> f64 {
    let transfers: f64 = p
        .events
        .iter()
        .filter(|e| e.month <= t)
        .map(|e| {
            base_effect(e.kind)
                * cohort_multiplier(year_of(start, e.month) - start.0)
                * ramp(i64::from(t) - i64::from(e.month))
        })
        .sum();
    let training: f64 = p
        .trainings
        .iter()
        .map(|m| super::requests::TRAINING_EFFECT * ramp(i64::from(t) - i64::from(*m)))
        .sum();
    transfers + training
}

/// One month's kinerja of one person. With `noise_free`, capaian_iki is the base plus the planted
/// effects only; the same random numbers are still drawn, so everything else is unchanged.
fn draw_kinerja(p: &Person, start: (i32, u32), t: u32, r: &mut Rand, noise_free: bool) -> KinerjaDraw {
    let december = if month_date(start, t).month() == 12 { KINERJA_DECEMBER } else { 0.0 };
    let noise = KINERJA_NOISE_SD * r.normal();
    let capaian = if noise_free {
        KINERJA_BASE + planted_effect(p, start, t)
    } else {
        (KINERJA_BASE + p.alpha + KINERJA_DRIFT_PER_MONTH * f64::from(t) + december + noise)
            + planted_effect(p, start, t)
    }
    .clamp(0.0, 200.0);
    // Ratings follow the person's standing with a forced distribution (about 16 % above, 10 % below).
    let z = (p.alpha + noise + planted_effect(p, start, t)) / 5.83;
    let hasil = if z > 1.0 {
        3
    } else if z < -1.3 {
        1
    } else {
        2
    };
    let zp = 0.5 * z + 0.87 * r.normal();
    let perilaku = if zp > 1.0 {
        3
    } else if zp < -1.6 {
        1
    } else {
        2
    };
    KinerjaDraw { capaian, hasil, perilaku }
}

/// Writes one kinerja file per calendar year; returns the file names.
/// Kinerja rows of one year as Parquet columns, in the same layout as the CSV export (typed:
/// scores as floats, SIASN codes as integers), so a national sample need not pass through CSV.
#[derive(Default)]
struct KinerjaColumns {
    nip: Vec<Option<String>>,
    periode: Vec<Option<String>>,
    indikator: Vec<Option<String>>,
    nilai: Vec<Option<f64>>,
    hasil: Vec<Option<i64>>,
    perilaku: Vec<Option<i64>>,
    kuadran: Vec<Option<i64>>,
    unit: Vec<Option<String>>,
}

impl KinerjaColumns {
    fn write(self, wide: bool, path: &Path) -> Res {
        use mutasi_io::data::table::{ColumnData as C, TableData, write_parquet};
        let mut t = TableData::default();
        if wide {
            t.push("nipBaru", C::Str(self.nip));
            t.push("periode", C::Str(self.periode));
            t.push("capaianIki", C::F64(self.nilai));
            t.push("hasilKinerjaNilai", C::I64(self.hasil));
            t.push("perilakuKerjaNilai", C::I64(self.perilaku));
            t.push("kuadranKinerjaNilai", C::I64(self.kuadran));
            t.push("unorId", C::Str(self.unit));
        } else {
            t.push("NIP", C::Str(self.nip));
            t.push("Periode", C::Str(self.periode));
            t.push("Indikator", C::Str(self.indikator));
            t.push("Nilai", C::F64(self.nilai));
            t.push("Unit Kerja", C::Str(self.unit));
        }
        Ok(write_parquet(t, path).map(|_| ())?)
    }
}

pub fn kinerja(
    dir: &Path,
    people: &[Person],
    units: &[Unit],
    spec: &super::SampleSpec,
    bad: &mut BadRows,
) -> Result<Vec<String>, SampleError> {
    let (months, start, seed) = (spec.months, spec.start, spec.seed);
    let mut names = Vec::new();
    let first_year = start.0;
    let last_year = year_of(start, months.saturating_sub(1));
    for year in first_year..=last_year {
        let ts: Vec<u32> = (0..months).filter(|t| year_of(start, *t) == year).collect();
        let wide = year >= 2022;
        if spec.parquet {
            let name = format!("kinerja_{year}.parquet");
            let mut c = KinerjaColumns::default();
            for (i, p) in people.iter().enumerate() {
                let mut r = Rand::new(seed, Stream::Kinerja, (i as u64) << 16 | (year as u64 & 0xFFFF));
                for &t in &ts {
                    let d = draw_kinerja(p, start, t, &mut r, spec.noise_free);
                    if !p.observed(t) {
                        continue;
                    }
                    let unit = p.unit_at(t).0.unwrap_or(p.start_unit);
                    let m = month_date(start, t);
                    if wide {
                        let kuadran = 6 - predikat_from_ratings(d.hasil, d.perilaku).unwrap_or(4);
                        c.nip.push(Some(p.nip.clone()));
                        c.periode.push(Some(format!("{}-{:02}", m.year(), m.month())));
                        c.nilai.push(Some((d.capaian * 100.0).round() / 100.0));
                        c.hasil.push(Some(4 - i64::from(d.hasil)));
                        c.perilaku.push(Some(4 - i64::from(d.perilaku)));
                        c.kuadran.push(Some(i64::from(kuadran)));
                        c.unit.push(Some(units[unit].id.clone()));
                    } else {
                        let periode = format!("{} {}", month_name_id(m.month()), m.year());
                        let skp = (0.8 * d.capaian + 10.0).clamp(0.0, 120.0);
                        for (ind, v) in [("Capaian IKI", d.capaian), ("Nilai SKP", skp)] {
                            c.nip.push(Some(p.nip.clone()));
                            c.periode.push(Some(periode.clone()));
                            c.indikator.push(Some(ind.to_string()));
                            c.nilai.push(Some((v * 100.0).round() / 100.0));
                            c.unit.push(Some(units[unit].name.clone()));
                        }
                    }
                }
            }
            c.write(wide, &dir.join(&name))?;
            names.push(name);
            continue;
        }
        let name = format!("kinerja_{year}.csv");
        let path = dir.join(&name);
        let mut out = BufWriter::with_capacity(1 << 22, File::create(&path).map_err(err(&path))?);
        let mut row = 1u64;
        if wide {
            writeln!(
                out,
                "nipBaru,periode,capaianIki,hasilKinerjaNilai,perilakuKerjaNilai,kuadranKinerjaNilai,unorId"
            )
            .map_err(err(&path))?;
        } else {
            writeln!(out, "NIP;Periode;Indikator;Nilai;Unit Kerja").map_err(err(&path))?;
        }
        for (i, p) in people.iter().enumerate() {
            let mut r = Rand::new(seed, Stream::Kinerja, (i as u64) << 16 | (year as u64 & 0xFFFF));
            for &t in &ts {
                let d = draw_kinerja(p, start, t, &mut r, spec.noise_free);
                if !p.observed(t) {
                    continue;
                }
                let unit = p.unit_at(t).0.unwrap_or(p.start_unit);
                let m = month_date(start, t);
                if wide {
                    // SIASN codes run the other way: 1 = Di Atas / Sangat Baik.
                    let mut kuadran = 6 - predikat_from_ratings(d.hasil, d.perilaku).unwrap_or(4);
                    if bad.enabled && i < 3 && t == ts[0] {
                        kuadran = if kuadran == 1 { 2 } else { 1 };
                        bad.warn("predikat_tidak_sesuai_matriks");
                    }
                    writeln!(
                        out,
                        "{},{}-{:02},{:.2},{},{},{},{}",
                        p.nip,
                        m.year(),
                        m.month(),
                        d.capaian,
                        4 - d.hasil,
                        4 - d.perilaku,
                        kuadran,
                        units[unit].id
                    )
                    .map_err(err(&path))?;
                    row += 1;
                } else {
                    let nip = if i % 20 == 7 { format!("'{}", p.nip) } else { p.nip.clone() };
                    let periode = format!("{} {}", month_name_id(m.month()), m.year());
                    let skp = (0.8 * d.capaian + 10.0).clamp(0.0, 120.0);
                    writeln!(out, "{nip};{periode};Capaian IKI;{};{}", koma(d.capaian, 2), units[unit].name)
                        .map_err(err(&path))?;
                    writeln!(out, "{nip};{periode};Nilai SKP;{};{}", koma(skp, 2), units[unit].name)
                        .map_err(err(&path))?;
                    row += 2;
                }
            }
        }
        if bad.enabled && year == first_year && !wide {
            let p = &people[1];
            let lines = [
                (format!("199001012015011999;Januari {year};Capaian IKI;80,00;"), "nip_tidak_dikenal"),
                (format!("{};Februari {year};Nilai SKP;sangat baik;", p.nip), "angka_tidak_sah"),
                (format!("{};Maret {year};Nilai SKP;760,50;", p.nip), "nilai_di_luar_rentang"),
                (format!("{};Bulan 13 {year};Capaian IKI;81,00;", p.nip), "periode_tidak_dikenal"),
            ];
            for (l, code) in lines {
                writeln!(out, "{l}").map_err(err(&path))?;
                row += 1;
                bad.plant(code, &name, row, &l);
            }
            // A conflicting duplicate of a real observation: both rows are rejected.
            let t0 = ts[0];
            if p.observed(t0) {
                let m = month_date(start, t0);
                writeln!(out, "{};{} {};Capaian IKI;1,00;", p.nip, month_name_id(m.month()), m.year())
                    .map_err(err(&path))?;
                row += 1;
                bad.plant("duplikat_bertentangan", &name, row, "duplikat");
                bad.plant_unlocated("duplikat_bertentangan");
            }
        }
        if bad.enabled && year == 2022.max(first_year) && wide {
            let p = &people[2];
            for (l, code) in [
                (format!("{},{year}-03,80.00,2,2,7,SETDA", p.nip), "nilai_di_luar_rentang"),
                (format!("{},{year}-04,80.00,LUAR BIASA,2,2,SETDA", p.nip), "label_tidak_dikenal"),
                (format!("{},{year}-05,80.00,2,2,2,SETDA,x", p.nip), "jumlah_kolom_salah"),
            ] {
                writeln!(out, "{l}").map_err(err(&path))?;
                row += 1;
                bad.plant(code, &name, row, &l);
            }
        }
        out.flush().map_err(err(&path))?;
        names.push(name);
    }
    Ok(names)
}

/// Service events at a unit: dokter arrivals and new heads, as month indices.
pub struct UnitEvents {
    pub dokter: Vec<u32>,
    pub kepala: Vec<u32>,
}

pub fn unit_events(people: &[Person], units: &[Unit]) -> Vec<UnitEvents> {
    let mut ev: Vec<UnitEvents> =
        units.iter().map(|_| UnitEvents { dokter: Vec::new(), kepala: Vec::new() }).collect();
    for p in people {
        for e in &p.events {
            let Some(to) = e.to else { continue };
            if e.kind == JenisMutasi::MutasiKeluar || e.from == Some(to) {
                continue;
            }
            if p.profession == Profession::Dokter && units[to].kind == UnitKind::Puskesmas {
                ev[to].dokter.push(e.month);
            }
            if e.head_after {
                ev[to].kepala.push(e.month);
            }
        }
    }
    for e in &mut ev {
        e.dokter.sort();
        e.kepala.sort();
    }
    ev
}

fn ramp_sum(events: &[u32], t: u32) -> f64 {
    events.iter().map(|m| ramp(i64::from(t) - i64::from(*m))).sum()
}

pub fn layanan(
    path: &Path,
    units: &[Unit],
    events: &[UnitEvents],
    months: u32,
    start: (i32, u32),
    seed: u64,
    bad: &mut BadRows,
) -> Res {
    let mut out = BufWriter::new(File::create(path).map_err(err(path))?);
    writeln!(out, "Kode Unit;Periode;Indikator;Nilai").map_err(err(path))?;
    let mut row = 1u64;
    for (ui, u) in units.iter().enumerate() {
        let mut r = Rand::new(seed, Stream::Layanan, ui as u64);
        match u.kind {
            UnitKind::Puskesmas => {
                let base_visits = r.int(1200, 4000) as f64;
                let base_wait = 35.0 + 40.0 * r.unit();
                for t in 0..months {
                    let m = month_date(start, t);
                    let season = 1.0 + 0.08 * ((m.month() as f64 - 1.0) / 12.0 * std::f64::consts::TAU).cos();
                    let dok = ramp_sum(&events[ui].dokter, t);
                    let kep = ramp_sum(&events[ui].kepala, t);
                    let visits = (base_visits
                        * (1.0 + 0.002 * f64::from(t))
                        * season
                        * (1.0 + DOKTER_VISITS_RELATIVE * dok)
                        * (0.05 * r.normal()).exp())
                    .round() as i64;
                    let wait = (base_wait
                        + 3.0 * r.normal()
                        + DOKTER_WAIT_MINUTES * dok
                        + KEPALA_WAIT_MINUTES * kep)
                        .max(5.0);
                    writeln!(out, "{};{}-{:02};Kunjungan;{}", u.id, m.year(), m.month(), ribuan(visits))
                        .map_err(err(path))?;
                    writeln!(
                        out,
                        "{};{}-{:02};Waktu Tunggu (menit);{}",
                        u.id,
                        m.year(),
                        m.month(),
                        koma(wait, 1)
                    )
                    .map_err(err(path))?;
                    row += 2;
                }
            }
            UnitKind::SekolahSd | UnitKind::SekolahSmp => {
                let base = 45.0 + 35.0 * r.unit();
                for year in start.0..=year_of(start, months.saturating_sub(1)) {
                    let new_heads =
                        events[ui].kepala.iter().filter(|m| year_of(start, **m) < year).count() as f64;
                    let v = (base
                        + 1.0 * f64::from(year - start.0)
                        + KEPALA_SEKOLAH_LITERASI * new_heads
                        + 2.5 * r.normal())
                    .clamp(0.0, 100.0);
                    writeln!(out, "{};{year};Rapor Literasi;{}", u.id, koma(v, 2)).map_err(err(path))?;
                    row += 1;
                }
            }
            UnitKind::Office => {}
        }
    }
    if bad.enabled {
        for (l, code) in [
            (format!("PKM01;{}-01;Kunjungan;-5", start.0), "nilai_di_luar_rentang"),
            (format!("PKM99;{}-01;Kunjungan;1.200", start.0), "unit_tidak_dikenal"),
            (format!("PKM02;{}-02;Waktu Tunggu Loket;42.5", start.0), "angka_format_campuran"),
        ] {
            writeln!(out, "{l}").map_err(err(path))?;
            row += 1;
            bad.plant(code, "layanan.csv", row, &l);
        }
    }
    out.flush().map_err(err(path))
}

pub fn skm(
    path: &Path,
    units: &[Unit],
    events: &[UnitEvents],
    months: u32,
    start: (i32, u32),
    seed: u64,
    bad: &mut BadRows,
) -> Res {
    let mut w = csv_writer(path, b',')?;
    let e = SampleError::csv(path);
    w.write_record([
        "unit_id",
        "tanggal",
        "responden_id",
        "u1",
        "u2",
        "u3",
        "u4",
        "u5",
        "u6",
        "u7",
        "u8",
        "u9",
    ])
    .map_err(e)?;
    let mut row = 1u64;
    let unsur_offset = [0.1, 0.0, -0.35, 0.3, 0.05, 0.1, 0.15, -0.25, -0.1];
    for (ui, u) in units.iter().enumerate().filter(|(_, u)| u.kind == UnitKind::Puskesmas) {
        let mut r = Rand::new(seed, Stream::Skm, ui as u64);
        let quality = 0.3 * r.normal();
        for s in 0..months.div_ceil(6) {
            let t_mid = (s * 6 + 3).min(months.saturating_sub(1));
            let shift = DOKTER_SKM_LATENT * ramp_sum(&events[ui].dokter, t_mid);
            let n = r.int(40, 120);
            for k in 0..n {
                let day = month_date(start, (s * 6 + r.int(0, 5) as u32).min(months.saturating_sub(1)))
                    + Duration::days(r.int(0, 27));
                let mut rec =
                    vec![u.id.clone(), day.format("%d/%m/%Y").to_string(), format!("R{s:02}-{k:03}")];
                let person = 0.4 * r.normal();
                for off in unsur_offset {
                    if r.chance(0.02) {
                        rec.push(String::new());
                        continue;
                    }
                    let v = (3.0 + quality + shift + person + off + 0.5 * r.normal()).round().clamp(1.0, 4.0);
                    rec.push(format!("{v:.0}"));
                }
                w.write_record(&rec).map_err(e)?;
                row += 1;
            }
        }
    }
    if bad.enabled {
        let rows = [
            (
                ["PKM01", "15/03/2021", "X-1", "3", "3", "5", "3", "3", "3", "3", "3", "3"],
                "nilai_di_luar_rentang",
            ),
            (
                ["PKM01", "31/02/2024", "X-2", "3", "3", "3", "3", "3", "3", "3", "3", "3"],
                "tanggal_tidak_ada",
            ),
        ];
        for (rec, code) in rows {
            w.write_record(rec).map_err(e)?;
            row += 1;
            bad.plant(code, "skm.csv", row, rec[1]);
        }
    }
    w.flush().map_err(err(path))
}
