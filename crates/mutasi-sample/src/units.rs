//! Synthetic unit structure of a kota: OPD offices, Puskesmas and schools.
//!
//! The 22 Puskesmas and their kecamatan follow `../shared/domain/asn-domain.md` §5.2; OPD names
//! follow §5.4. Larger sizes add numbered Puskesmas and schools so staff per unit stays realistic.

/// Which pool of units a person may rotate within.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    Health,
    Education,
    General,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    Office,
    Puskesmas,
    SekolahSd,
    SekolahSmp,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub opd: String,
    pub kind: UnitKind,
    pub group: Group,
    pub kecamatan: &'static str,
    pub parent: Option<String>,
    /// Relative staffing weight.
    pub weight: f64,
}

impl Unit {
    pub fn jenis_unit(&self) -> &'static str {
        match self.kind {
            UnitKind::Office => "Kantor",
            UnitKind::Puskesmas => "Puskesmas",
            UnitKind::SekolahSd | UnitKind::SekolahSmp => "Sekolah",
        }
    }

    /// Units whose head is a post of its own (kepala puskesmas, kepala sekolah).
    pub fn has_head_post(&self) -> bool {
        self.kind != UnitKind::Office
    }
}

pub const KECAMATAN: [&str; 5] =
    ["Nusaniwe", "Sirimau", "Teluk Ambon Baguala", "Leitimur Selatan", "Teluk Ambon"];

const PUSKESMAS: [(&str, &str); 22] = [
    ("Latuhalat", "Nusaniwe"),
    ("Amahusu", "Nusaniwe"),
    ("Air Salobar", "Nusaniwe"),
    ("Benteng", "Nusaniwe"),
    ("Urimessing", "Nusaniwe"),
    ("Waihaong", "Nusaniwe"),
    ("CH. M. Tiahahu", "Sirimau"),
    ("Belakang Soya", "Sirimau"),
    ("Kayu Putih", "Sirimau"),
    ("Rijali", "Sirimau"),
    ("Karang Panjang", "Sirimau"),
    ("Waihoka", "Sirimau"),
    ("Air Besar", "Sirimau"),
    ("Hative Kecil", "Sirimau"),
    ("Halong", "Teluk Ambon Baguala"),
    ("Lateri", "Teluk Ambon Baguala"),
    ("Passo", "Teluk Ambon Baguala"),
    ("Nania", "Teluk Ambon Baguala"),
    ("Hutumuri", "Leitimur Selatan"),
    ("Kilang", "Leitimur Selatan"),
    ("Poka Rumah Tiga", "Teluk Ambon"),
    ("Tawiri", "Teluk Ambon"),
];

const OFFICES: [(&str, &str, f64); 16] = [
    ("SETDA", "Sekretariat Daerah", 4.0),
    ("SETWAN", "Sekretariat DPRD", 1.5),
    ("INSP", "Inspektorat", 1.5),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", 1.5),
    ("BAPPEDA", "Bappeda Litbang", 1.5),
    ("DISPAR", "Dinas Pariwisata dan Kebudayaan", 1.2),
    ("DISPORA", "Dinas Pemuda dan Olahraga", 1.0),
    ("DISKOMINFO", "Dinas Informatika, Komunikasi dan Persandian", 1.2),
    ("DLHP", "Dinas Lingkungan Hidup dan Persampahan", 2.0),
    ("DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", 1.5),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", 2.5),
    ("DISKAN", "Dinas Perikanan", 1.0),
    ("KEC-NUS", "Kecamatan Nusaniwe", 1.0),
    ("KEC-SRM", "Kecamatan Sirimau", 1.0),
    ("KEC-TAB", "Kecamatan Teluk Ambon Baguala", 1.0),
    ("KEC-LTS", "Kecamatan Leitimur Selatan", 0.8),
];

/// Builds the units for `employees` staff. About 25 staff per Puskesmas and 18 per school.
pub fn build_units(employees: usize) -> Vec<Unit> {
    let mut units = Vec::new();
    units.push(Unit {
        id: "DINKES".into(),
        name: "Dinas Kesehatan".into(),
        opd: "Dinas Kesehatan".into(),
        kind: UnitKind::Office,
        group: Group::Health,
        kecamatan: "Sirimau",
        parent: None,
        weight: 2.5,
    });
    units.push(Unit {
        id: "DISDIK".into(),
        name: "Dinas Pendidikan".into(),
        opd: "Dinas Pendidikan".into(),
        kind: UnitKind::Office,
        group: Group::Education,
        kecamatan: "Sirimau",
        parent: None,
        weight: 2.5,
    });
    for (id, name, w) in OFFICES {
        let kec = KECAMATAN.iter().find(|k| name.ends_with(*k)).copied().unwrap_or("Sirimau");
        units.push(Unit {
            id: id.into(),
            name: name.into(),
            opd: name.into(),
            kind: UnitKind::Office,
            group: Group::General,
            kecamatan: kec,
            parent: None,
            weight: w,
        });
    }
    let n_pkm = (employees / 70).max(22);
    for i in 0..n_pkm {
        let (name, kec) = match PUSKESMAS.get(i) {
            Some((n, k)) => (format!("Puskesmas {n}"), *k),
            None => (format!("Puskesmas Wilayah {}", i + 1), KECAMATAN[i % 5]),
        };
        units.push(Unit {
            id: format!("PKM{:02}", i + 1),
            name,
            opd: "Dinas Kesehatan".into(),
            kind: UnitKind::Puskesmas,
            group: Group::Health,
            kecamatan: kec,
            parent: Some("DINKES".into()),
            weight: 1.0,
        });
    }
    let n_sd = (employees / 45).max(8);
    let n_smp = (employees / 130).max(4);
    for i in 0..n_sd {
        units.push(Unit {
            id: format!("SD{:03}", i + 1),
            name: format!("SD Negeri {} Ambon", i + 1),
            opd: "Dinas Pendidikan".into(),
            kind: UnitKind::SekolahSd,
            group: Group::Education,
            kecamatan: KECAMATAN[i % 5],
            parent: Some("DISDIK".into()),
            weight: 0.6,
        });
    }
    for i in 0..n_smp {
        units.push(Unit {
            id: format!("SMP{:02}", i + 1),
            name: format!("SMP Negeri {} Ambon", i + 1),
            opd: "Dinas Pendidikan".into(),
            kind: UnitKind::SekolahSmp,
            group: Group::Education,
            kecamatan: KECAMATAN[(i + 2) % 5],
            parent: Some("DISDIK".into()),
            weight: 1.0,
        });
    }
    units
}
