//! Synthetic employees and their transfer histories.
//!
//! Transfers follow the rules that shape real data (`../shared/domain/asn-domain.md` §4): PNS move
//! every 2 to 5 years (PP 11/2017 Pasal 190(3)); PPPK do not move during their contract; heads of
//! Puskesmas and schools are unique per unit, so a promotion into an occupied post displaces its
//! holder; and no transfer takes effect during the Pilkada 2024 pause (UU 10/2016 Pasal 71(2): from
//! six months before the candidates are set, 22 Sep 2024, until the new Wali Kota took office),
//! so moves scheduled from April 2024 to February 2025 happen in March 2025.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::names::{FIRST_FEMALE, FIRST_MALE, MARGA};
use super::rng::{Rand, Stream};
use super::units::{Group, Unit, UnitKind};
use mutasi_domain::model::JenisMutasi;

/// A profession (jabatan fungsional or pelaksana).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profession {
    Dokter,
    Perawat,
    Bidan,
    Apoteker,
    Sanitarian,
    Nutrisionis,
    Epidemiolog,
    Guru,
    AnalisKebijakan,
    PranataKomputer,
    Arsiparis,
    Pengadministrasi,
}

impl Profession {
    pub fn name(self) -> &'static str {
        match self {
            Profession::Dokter => "Dokter",
            Profession::Perawat => "Perawat",
            Profession::Bidan => "Bidan",
            Profession::Apoteker => "Apoteker",
            Profession::Sanitarian => "Sanitarian",
            Profession::Nutrisionis => "Nutrisionis",
            Profession::Epidemiolog => "Epidemiolog Kesehatan",
            Profession::Guru => "Guru",
            Profession::AnalisKebijakan => "Analis Kebijakan",
            Profession::PranataKomputer => "Pranata Komputer",
            Profession::Arsiparis => "Arsiparis",
            Profession::Pengadministrasi => "Pengadministrasi Umum",
        }
    }

    fn keahlian(self) -> bool {
        matches!(
            self,
            Profession::Dokter
                | Profession::Apoteker
                | Profession::Epidemiolog
                | Profession::Guru
                | Profession::AnalisKebijakan
        )
    }

    fn jenis_jabatan(self) -> &'static str {
        if self == Profession::Pengadministrasi { "Pelaksana" } else { "Fungsional" }
    }

    fn suffix(self, r: &mut Rand) -> &'static str {
        match self {
            Profession::Dokter => "",
            Profession::Perawat => r.pick_str(&[", S.Kep", ", A.Md.Kep", ", S.Kep., Ns"]),
            Profession::Bidan => r.pick_str(&[", A.Md.Keb", ", S.Tr.Keb"]),
            Profession::Apoteker => ", S.Farm., Apt",
            Profession::Sanitarian | Profession::Nutrisionis => ", S.KM",
            Profession::Epidemiolog => ", S.KM., M.Kes",
            Profession::Guru => r.pick_str(&[", S.Pd", ", S.Pd.SD", ", S.Pd., M.Pd"]),
            _ => r.pick_str(&["", ", S.E.", ", S.Sos", ", S.H.", ", S.Kom"]),
        }
    }

    /// Professions a unit employs, with weights.
    fn mix(kind: UnitKind, group: Group) -> &'static [(Profession, f64)] {
        match (kind, group) {
            (UnitKind::Puskesmas, _) => &[
                (Profession::Dokter, 0.10),
                (Profession::Perawat, 0.33),
                (Profession::Bidan, 0.25),
                (Profession::Apoteker, 0.05),
                (Profession::Sanitarian, 0.05),
                (Profession::Nutrisionis, 0.05),
                (Profession::Pengadministrasi, 0.17),
            ],
            (UnitKind::SekolahSd | UnitKind::SekolahSmp, _) => {
                &[(Profession::Guru, 0.9), (Profession::Pengadministrasi, 0.1)]
            }
            (UnitKind::Office, Group::Health) => &[
                (Profession::Epidemiolog, 0.2),
                (Profession::Dokter, 0.1),
                (Profession::AnalisKebijakan, 0.3),
                (Profession::Pengadministrasi, 0.4),
            ],
            (UnitKind::Office, _) => &[
                (Profession::AnalisKebijakan, 0.3),
                (Profession::PranataKomputer, 0.1),
                (Profession::Arsiparis, 0.1),
                (Profession::Pengadministrasi, 0.5),
            ],
        }
    }
}

/// One transfer.
#[derive(Debug, Clone)]
pub struct Event {
    /// Month index from the window start; the TMT is the 1st of that month.
    pub month: u32,
    pub kind: JenisMutasi,
    pub from: Option<usize>,
    /// `None` when the person leaves the instansi.
    pub to: Option<usize>,
    pub head_after: bool,
    pub jabatan_after: String,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub nip: String,
    pub nama: String,
    pub female: bool,
    pub birth: NaiveDate,
    pub pppk: bool,
    pub golongan: String,
    pub profession: Profession,
    pub jenjang: &'static str,
    /// Person-level level of kinerja (capaian points).
    pub alpha: f64,
    /// Month the person joined through mutasi masuk (observed from then on).
    pub join_month: Option<u32>,
    /// Month the person left through mutasi keluar (observed until the month before).
    pub leave_month: Option<u32>,
    pub start_unit: usize,
    pub start_head: bool,
    pub events: Vec<Event>,
    /// Months of trainings that started within three months after a transfer (planted effect).
    pub trainings: Vec<u32>,
}

impl Person {
    pub fn base_jabatan(&self) -> String {
        if self.profession == Profession::Pengadministrasi {
            self.profession.name().to_string()
        } else {
            format!("{} {}", self.profession.name(), self.jenjang)
        }
    }

    pub fn jenis_jabatan(&self, head: bool) -> &'static str {
        if head { "Struktural" } else { self.profession.jenis_jabatan() }
    }

    /// Unit and head status in month `t` (after every transfer up to and including `t`).
    pub fn unit_at(&self, t: u32) -> (Option<usize>, bool) {
        let mut unit = Some(self.start_unit);
        let mut head = self.start_head;
        for e in self.events.iter().filter(|e| e.month <= t) {
            unit = e.to;
            head = e.head_after;
        }
        (unit, head)
    }

    /// Whether kinerja is observed in month `t`.
    pub fn observed(&self, t: u32) -> bool {
        self.join_month.is_none_or(|j| t >= j) && self.leave_month.is_none_or(|l| t < l)
    }
}

fn head_title(unit: &Unit) -> String {
    match unit.kind {
        UnitKind::Puskesmas => format!("Kepala {}", unit.name),
        _ => format!("Kepala Sekolah {}", unit.name),
    }
}

fn can_head(p: &Person, unit: &Unit) -> bool {
    !p.pppk
        && match unit.kind {
            UnitKind::Puskesmas => matches!(
                p.profession,
                Profession::Dokter | Profession::Perawat | Profession::Bidan | Profession::Apoteker
            ),
            UnitKind::SekolahSd | UnitKind::SekolahSmp => p.profession == Profession::Guru,
            UnitKind::Office => false,
        }
}

fn golongan_text(years: i64, r: &mut Rand) -> String {
    const LADDER: [(&str, &str); 7] = [
        ("II/c", "Pengatur"),
        ("III/a", "Penata Muda"),
        ("III/b", "Penata Muda Tk.I"),
        ("III/c", "Penata"),
        ("III/d", "Penata Tk.I"),
        ("IV/a", "Pembina"),
        ("IV/b", "Pembina Tk.I"),
    ];
    let step = ((years / 4) as usize).min(LADDER.len() - 1);
    let (g, pangkat) = LADDER[step];
    // Offices write the same grade in many ways; the loader must read them all.
    match r.int(0, 5) {
        0 => g.replace('/', " "),
        1 => g.replace('/', ""),
        2 => pangkat.to_string(),
        3 => format!("{pangkat}, {}", g.replace('/', " ")),
        _ => g.to_string(),
    }
}

/// Calendar date of the 1st of month index `t`.
pub fn month_date(start: (i32, u32), t: u32) -> NaiveDate {
    let m0 = start.0 * 12 + start.1 as i32 - 1 + t as i32;
    NaiveDate::from_ymd_opt(m0 / 12, (m0 % 12) as u32 + 1, 1).unwrap_or_default()
}

/// Month indices inside the Pilkada 2024 pause (April 2024 to February 2025).
fn in_pause(start: (i32, u32), t: u32) -> bool {
    let d = month_date(start, t);
    d >= NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or_default()
        && d <= NaiveDate::from_ymd_opt(2025, 2, 1).unwrap_or_default()
}

fn after_pause(start: (i32, u32), t: u32) -> u32 {
    let mut t = t;
    while in_pause(start, t) {
        t += 1;
    }
    t
}

/// Draws the people of a run and their transfers.
pub fn build_people(units: &[Unit], n: usize, months: u32, start: (i32, u32), seed: u64) -> Vec<Person> {
    let weights: Vec<f64> = units.iter().map(|u| u.weight).collect();
    let mut ur = Rand::new(seed, Stream::Units, 0);
    let mut used_prefix: HashMap<String, u32> = HashMap::new();
    let mut people: Vec<Person> = Vec::with_capacity(n);
    for i in 0..n {
        let mut r = Rand::new(seed, Stream::Person, i as u64);
        let unit = ur.weighted(&weights);
        let u = &units[unit];
        let mix = Profession::mix(u.kind, u.group);
        let profession = mix[r.weighted(&mix.iter().map(|(_, w)| *w).collect::<Vec<_>>())].0;
        let female = r.chance(0.53);
        let birth_year = r.int(1966, 1998) as i32;
        let birth =
            NaiveDate::from_ymd_opt(birth_year, r.int(1, 12) as u32, r.int(1, 28) as u32).unwrap_or_default();
        let pppk = r.chance(0.15) && profession != Profession::Pengadministrasi;
        let (prefix, years_served) = if pppk {
            let year = r.int(2019, i64::from(start.0).max(2019));
            let contract = r.int(1, 2);
            (
                format!("{}{}2{}{}", birth.format("%Y%m%d"), year, contract, if female { 2 } else { 1 }),
                i64::from(start.0) - year,
            )
        } else {
            let tmt_year = (birth_year + r.int(23, 33) as i32).min(start.0 - 1);
            let tmt_month = r.int(1, 12);
            (
                format!(
                    "{}{}{:02}{}",
                    birth.format("%Y%m%d"),
                    tmt_year,
                    tmt_month,
                    if female { 2 } else { 1 }
                ),
                i64::from(start.0 - tmt_year),
            )
        };
        let seq = used_prefix.entry(prefix.clone()).or_insert(0);
        *seq += 1;
        let nip = format!("{prefix}{:03}", *seq);
        let first = if female { *r.pick(&FIRST_FEMALE) } else { *r.pick(&FIRST_MALE) };
        let marga = *r.pick(&MARGA);
        let mut nama = format!(
            "{}{first} {marga}{}",
            if profession == Profession::Dokter { "dr. " } else { "" },
            profession.suffix(&mut r)
        );
        if r.chance(0.1) {
            nama = nama.to_uppercase();
        }
        let jenjang = if profession.keahlian() {
            *[("Ahli Pertama"), ("Ahli Muda"), ("Ahli Madya")]
                .get(((years_served / 8) as usize).min(2))
                .unwrap_or(&"Ahli Pertama")
        } else {
            *["Terampil", "Mahir", "Penyelia"]
                .get(((years_served / 8) as usize).min(2))
                .unwrap_or(&"Terampil")
        };
        let golongan =
            if pppk { r.pick(&["IX", "VII", "X"]).to_string() } else { golongan_text(years_served, &mut r) };
        let newcomer = !pppk && months >= 18 && r.chance(0.05);
        people.push(Person {
            nip,
            nama,
            female,
            birth,
            pppk,
            golongan,
            profession,
            jenjang,
            alpha: 5.0 * r.normal(),
            join_month: newcomer.then(|| after_pause(start, r.int(6, i64::from(months) - 6) as u32)),
            leave_month: None,
            start_unit: unit,
            start_head: false,
            events: Vec::new(),
            trainings: Vec::new(),
        });
    }
    // Initial heads: the first eligible person of each unit with a head post.
    let mut head_of: HashMap<usize, usize> = HashMap::new();
    for (i, p) in people.iter_mut().enumerate() {
        let u = &units[p.start_unit];
        if p.join_month.is_none()
            && u.has_head_post()
            && can_head(p, u)
            && !head_of.contains_key(&p.start_unit)
        {
            head_of.insert(p.start_unit, i);
            p.start_head = true;
        }
    }
    // Candidate transfer months per person: every 24–60 months, none for PPPK.
    let mut schedule: Vec<(u32, usize)> = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let mut r = Rand::new(seed, Stream::Schedule, i as u64);
        if let Some(j) = p.join_month {
            schedule.push((j, i));
        }
        if p.pppk {
            continue;
        }
        let mut next = match p.join_month {
            Some(j) => i64::from(j) + r.int(24, 60),
            None => -r.int(0, 59) + r.int(24, 60),
        };
        while next < i64::from(months) {
            if next >= 0 {
                schedule.push((after_pause(start, next as u32), i));
            }
            next += r.int(24, 60);
        }
    }
    schedule.sort();
    schedule.dedup();
    let mut er = Rand::new(seed, Stream::Schedule, u64::MAX);
    // Unit pools by (group, kind), computed once: a national run has tens of thousands of units.
    let mut pools: HashMap<(Group, UnitKind), Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        pools.entry((u.group, u.kind)).or_default().push(i);
    }
    let pool = |g: Group, k: UnitKind| -> &[usize] { pools.get(&(g, k)).map_or(&[], |v| v.as_slice()) };
    let schools: Vec<usize> = [UnitKind::SekolahSd, UnitKind::SekolahSmp]
        .iter()
        .flat_map(|k| pool(Group::Education, *k).iter().copied())
        .collect();
    for (month, i) in schedule {
        if month >= months {
            continue;
        }
        let (cur, head) = people[i].unit_at(month);
        let Some(cur) = cur else { continue };
        if people[i].leave_month.is_some() || people[i].events.iter().any(|e| e.month == month) {
            continue;
        }
        if people[i].join_month == Some(month) {
            let to = people[i].start_unit;
            let jab = people[i].base_jabatan();
            people[i].events.push(Event {
                month,
                kind: JenisMutasi::MutasiMasuk,
                from: None,
                to: Some(to),
                head_after: false,
                jabatan_after: jab,
            });
            continue;
        }
        let group = units[cur].group;
        let cur_kind = units[cur].kind;
        let x = er.unit();
        let p = &people[i];
        let head_units: &[usize] = match (group, p.profession) {
            _ if p.pppk => &[],
            (
                Group::Health,
                Profession::Dokter | Profession::Perawat | Profession::Bidan | Profession::Apoteker,
            ) => pool(Group::Health, UnitKind::Puskesmas),
            (Group::Education, Profession::Guru) => &schools,
            _ => &[],
        };
        let (kind, to, head_after) = if x < 0.06 {
            (JenisMutasi::MutasiKeluar, None, false)
        } else if x < 0.20 && !head && !head_units.is_empty() {
            (JenisMutasi::Promosi, Some(*er.pick(head_units)), true)
        } else if head && x < 0.45 {
            (JenisMutasi::Demosi, Some(*er.pick(pool(group, cur_kind))), false)
        } else {
            // Rotation within the same kind of unit; pelaksana also move between office and field.
            let same = pool(group, cur_kind);
            let offices = if er_office(p.profession) && cur_kind != UnitKind::Office {
                pool(group, UnitKind::Office)
            } else {
                &[]
            };
            let n = same.len() + offices.len();
            if n <= 1 {
                continue;
            }
            let mut to = cur;
            while to == cur {
                let k = er.int(0, n as i64 - 1) as usize;
                to = if k < same.len() { same[k] } else { offices[k - same.len()] };
            }
            let keep_head = head && units[to].has_head_post() && !head_of.contains_key(&to);
            (JenisMutasi::Rotasi, Some(to), keep_head)
        };
        // A promotion into an occupied post displaces its holder to a fungsional post in another
        // unit; when the holder cannot move this month, the promotion becomes a plain rotation.
        let mut displaced: Option<(usize, usize)> = None;
        let (kind, head_after) = match (to, head_after) {
            (Some(t), true) => match head_of.get(&t).copied().filter(|inc| *inc != i) {
                None => (kind, true),
                Some(inc) => {
                    let options = pool(units[t].group, units[t].kind);
                    let busy = people[inc].events.iter().any(|e| e.month == month);
                    if options.len() < 2 || busy {
                        (if kind == JenisMutasi::Promosi { JenisMutasi::Rotasi } else { kind }, false)
                    } else {
                        let mut dest = t;
                        while dest == t {
                            dest = *er.pick(options);
                        }
                        displaced = Some((inc, dest));
                        (kind, true)
                    }
                }
            },
            _ => (kind, false),
        };
        if kind == JenisMutasi::Rotasi && to == Some(cur) {
            continue;
        }
        if head {
            head_of.remove(&cur);
        }
        if let Some((inc, dest)) = displaced
            && let Some(t) = to
        {
            let jab = people[inc].base_jabatan();
            people[inc].events.push(Event {
                month,
                kind: JenisMutasi::Demosi,
                from: Some(t),
                to: Some(dest),
                head_after: false,
                jabatan_after: jab,
            });
        }
        if let (Some(t), true) = (to, head_after) {
            head_of.insert(t, i);
        }
        let jabatan_after = match (to, head_after) {
            (Some(t), true) => head_title(&units[t]),
            _ => people[i].base_jabatan(),
        };
        if kind == JenisMutasi::MutasiKeluar {
            people[i].leave_month = Some(month);
        }
        people[i].events.push(Event { month, kind, from: Some(cur), to, head_after, jabatan_after });
    }
    for p in &mut people {
        p.events.sort_by_key(|e| e.month);
    }
    people
}

/// Pelaksana staff sometimes move between an office and the field.
fn er_office(p: Profession) -> bool {
    p == Profession::Pengadministrasi
}

/// Validity check used by tests: heads are unique per unit in every month.
pub fn heads_unique(people: &[Person], months: u32) -> bool {
    (0..months).all(|t| {
        let mut seen = HashSet::new();
        people
            .iter()
            .filter(|p| p.observed(t))
            .filter_map(|p| match p.unit_at(t) {
                (Some(u), true) => Some(u),
                _ => None,
            })
            .all(|u| seen.insert(u))
    })
}

/// Year of a month index.
pub fn year_of(start: (i32, u32), t: u32) -> i32 {
    month_date(start, t).year()
}
