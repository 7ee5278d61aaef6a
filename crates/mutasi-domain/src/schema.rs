//! The data contract: canonical tables, their columns, and every header alias.
//!
//! This is the one place that says which input headers mean which canonical column
//! (`docs/data-contract.md` lists the same table, and a test keeps the two in step). Header
//! matching ignores case, spaces, dots, underscores and hyphens ([`header_key`]), so an alias
//! is written here once in that folded form. A config file may add more aliases.

/// A canonical input table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    UnitKerja,
    Pegawai,
    Mutasi,
    Kinerja,
    Layanan,
    Skm,
    Permohonan,
    Pelatihan,
    /// Job history (SIASN `rw-jabatan`, SIMPEG riwayat jabatan): one record per decree, from
    /// which the transfers are derived.
    RiwayatJabatan,
}

impl Table {
    /// Load order: units and employees first, so later tables can be checked against them.
    pub const ALL: [Table; 9] = [
        Table::UnitKerja,
        Table::Pegawai,
        Table::Mutasi,
        Table::RiwayatJabatan,
        Table::Kinerja,
        Table::Layanan,
        Table::Skm,
        Table::Permohonan,
        Table::Pelatihan,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::UnitKerja => "unit_kerja",
            Table::Pegawai => "pegawai",
            Table::Mutasi => "mutasi",
            Table::Kinerja => "kinerja",
            Table::Layanan => "layanan",
            Table::Skm => "skm",
            Table::Permohonan => "permohonan",
            Table::Pelatihan => "pelatihan",
            Table::RiwayatJabatan => "riwayat_jabatan",
        }
    }

    pub fn from_name(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }

    /// Tables a run cannot do without.
    pub fn is_required(self) -> bool {
        matches!(self, Table::UnitKerja | Table::Pegawai)
    }

    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            Table::UnitKerja => UNIT_KERJA,
            Table::Pegawai => PEGAWAI,
            Table::Mutasi => MUTASI,
            Table::Kinerja => KINERJA,
            Table::Layanan => LAYANAN,
            Table::Skm => SKM,
            Table::Permohonan => PERMOHONAN,
            Table::Pelatihan => PELATIHAN,
            Table::RiwayatJabatan => RIWAYAT_JABATAN,
        }
    }
}

/// One canonical input column.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub required: bool,
    /// Folded header names that mean this column, in priority order.
    pub aliases: &'static [&'static str],
}

const fn req(name: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { name, required: true, aliases }
}

const fn opt(name: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { name, required: false, aliases }
}

/// Folds a header for matching: lower case letters and digits only, so spaces, punctuation, a
/// BOM and line breaks do not matter (`GOL/RUANG`, `PANGKAT / GOL. RUANG`, `CAPAIAN (%)`,
/// `TGL. LAHIR`).
pub fn header_key(raw: &str) -> String {
    raw.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Folded headers that mean a NIP.
pub const NIP_ALIASES: &[&str] = NIP;

const NIP: &[&str] = &[
    "nip",
    "nipbaru",
    "nip18",
    "nipasn",
    "nippppk",
    "nipppk",
    "nippegawai",
    "nomorindukpegawai",
    "employeeid",
    "employeenip",
];
const UNIT_REF: &[&str] = &[
    "unitid",
    "unorid",
    "idunit",
    "kodeunit",
    "unitkerjaid",
    "idunitkerja",
    "unitkerja",
    "unornama",
    "unit",
    "unitcode",
];
const PERIODE: &[&str] =
    &["periode", "periodepenilaian", "bulanpenilaian", "period", "month", "periodebulan"];
const INDIKATOR: &[&str] = &["indikator", "indicator", "komponen", "jenisnilai", "metric", "measure"];
const NILAI: &[&str] = &["nilai", "value", "score", "skor", "angka"];

const UNIT_KERJA: &[ColumnSpec] = &[
    req(
        "unit_id",
        &["unitid", "unorid", "idunit", "kodeunit", "kodeunor", "unitkerjaid", "kode", "id", "unitcode"],
    ),
    req(
        "nama_unit",
        &["namaunit", "unornama", "namaunor", "unitkerja", "namaunitkerja", "nama", "unitname", "name"],
    ),
    opt(
        "opd",
        &[
            "opd",
            "perangkatdaerah",
            "skpd",
            "unorinduknama",
            "satuankerjanama",
            "satuankerja",
            "department",
            "agency",
        ],
    ),
    opt("jenis_unit", &["jenisunit", "tipeunit", "jenis", "unittype", "type"]),
    opt("kecamatan", &["kecamatan", "district", "kec"]),
    opt(
        "induk_unit_id",
        &[
            "indukunitid",
            "diatasanid",
            "idatasan",
            "idunoratasan",
            "unoratasanid",
            "unorindukid",
            "indukunit",
            "induk",
            "parentunitid",
            "parentid",
        ],
    ),
];

const PEGAWAI: &[ColumnSpec] = &[
    req("nip", NIP),
    // A SIMPEG DUK writes the name and, on a second line, "NIP. …" in one cell.
    opt("nama_nip", &["namanip", "namadannip", "namanipnrp", "namapegawainip"]),
    // SIASN's own id of the person (`PNS ID`, data-utama `id`): other SIASN responses (rw-skp22)
    // name the person by it instead of the NIP.
    opt("pns_id", &["pnsid", "idpns", "pnsorangid", "id"]),
    opt("nama", &["nama", "namapegawai", "namalengkap", "name", "fullname"]),
    opt("jenis_kelamin", &["jeniskelamin", "jk", "lp", "kelamin", "sex", "gender"]),
    opt(
        "tanggal_lahir",
        &["tanggallahir", "tgllahir", "tgllhr", "tanggalkelahiran", "birthdate", "dateofbirth"],
    ),
    opt(
        "status_asn",
        &[
            "statusasn",
            "statuspegawai",
            "statuskepegawaian",
            "jenisasn",
            "jenispegawainama",
            "jenispegawai",
            "asnstatus",
            "employmentstatus",
        ],
    ),
    opt(
        "golongan",
        &[
            "golongan",
            "golruangakhir",
            "golruang",
            "golonganruang",
            "pangkatgolongan",
            "pangkatgol",
            "golonganpns",
            "golakhirnama",
            "golruangakhirnama",
            "golakhir",
            "golakhirid",
            "golruangakhirid",
            "pangkatgolruang",
            "pangkatgolonganruang",
            "pangkatakhir",
            "grade",
            "paygrade",
        ],
    ),
    opt("jenis_jabatan", &["jenisjabatan", "jenisjabatannama", "jenisjabatanid", "positiontype"]),
    opt("jabatan", &["jabatan", "jabatannama", "namajabatan", "position", "jobtitle"]),
    opt("unit_id", UNIT_REF),
];

const MUTASI: &[ColumnSpec] = &[
    req("nip", NIP),
    req(
        "tmt",
        &[
            "tmt",
            "tmtjabatan",
            "tmtmutasi",
            "tanggalmutasi",
            "tanggalberlaku",
            "tmtunor",
            "effectivedate",
            "transferdate",
        ],
    ),
    req(
        "unit_tujuan_id",
        &[
            "unittujuanid",
            "unittujuan",
            "unitkerjatujuan",
            "unitbaru",
            "unitkerjabaru",
            "unorid",
            "unornama",
            "tounit",
            "destinationunit",
            "destinationunitid",
        ],
    ),
    opt(
        "unit_asal_id",
        &[
            "unitasalid",
            "unitasal",
            "unitkerjaasal",
            "unitlama",
            "unitkerjalama",
            "fromunit",
            "originunit",
            "originunitid",
        ],
    ),
    opt("jenis_mutasi", &["jenismutasi", "jenismutasiid", "tipemutasi", "jenis", "transfertype"]),
    opt("jabatan_baru", &["jabatanbaru", "namajabatan", "jabatannama", "jabatan", "newposition"]),
    opt("nomor_sk", &["nomorsk", "nosk", "nomorsuratkeputusan", "decreenumber"]),
    opt("tanggal_sk", &["tanggalsk", "tglsk", "tanggalsuratkeputusan", "decreedate"]),
];

const KINERJA: &[ColumnSpec] = &[
    req("nip", NIP),
    opt("pns_id", &["pnsdinilaiid", "idpns", "pnsid"]),
    req("periode", PERIODE),
    req("indikator", INDIKATOR),
    req("nilai", NILAI),
    opt("unit_id", UNIT_REF),
    opt(
        "penilai_nip",
        &["penilainip", "nipnrppenilai", "penilainipnrp", "nippenilai", "nippejabatpenilai", "raternip"],
    ),
];

const LAYANAN: &[ColumnSpec] =
    &[req("unit_id", UNIT_REF), req("periode", PERIODE), req("indikator", INDIKATOR), req("nilai", NILAI)];

/// Transfer requests, e.g. from an online application platform.
const PERMOHONAN: &[ColumnSpec] = &[
    req("nip", NIP),
    req(
        "tanggal_pengajuan",
        &[
            "tanggalpengajuan",
            "tglpengajuan",
            "tanggalpermohonan",
            "tanggaldiajukan",
            "tanggalusul",
            "submissiondate",
            "submittedat",
            "tanggal",
        ],
    ),
    req("status", &["status", "statuspermohonan", "statususul", "statususulan", "state"]),
    opt("unit_asal_id", &["unitasalid", "unitasal", "unitkerjaasal", "unitlama", "fromunit", "originunit"]),
    opt(
        "unit_tujuan_diminta_id",
        &[
            "unittujuandimintaid",
            "unittujuandiminta",
            "unittujuan",
            "unittujuanid",
            "unitdiminta",
            "unitdituju",
            "requestedunit",
            "tounit",
        ],
    ),
    opt("alasan", &["alasan", "alasanpermohonan", "alasanmutasi", "reason"]),
    opt(
        "tanggal_keputusan",
        &["tanggalkeputusan", "tglkeputusan", "tanggalputusan", "decisiondate", "decidedat"],
    ),
    opt("nomor_sk", &["nomorsk", "nosk", "nomorsuratkeputusan", "decreenumber"]),
];

/// Training and mentoring.
const PELATIHAN: &[ColumnSpec] = &[
    req("nip", NIP),
    opt("pns_id", &["idpns", "pnsid", "pnsorangid"]),
    req(
        "tanggal_mulai",
        &["tanggalmulai", "tglmulai", "mulai", "tanggalkursus", "tanggalmulaikursus", "startdate", "tanggal"],
    ),
    req(
        "jenis",
        &[
            "jenis",
            "jenispelatihan",
            "jenisdiklat",
            "jenispengembangan",
            "jeniskursusnama",
            "jeniskursus",
            "kegiatan",
            "type",
        ],
    ),
    opt("tanggal_selesai", &["tanggalselesai", "tglselesai", "selesai", "tanggalselesaikursus", "enddate"]),
    opt("jam_pelajaran", &["jampelajaran", "jp", "jumlahjp", "jamlat", "jumlahjam", "hours"]),
    opt(
        "penyelenggara",
        &["penyelenggara", "lembaga", "lembagapenyelenggara", "institusipenyelenggara", "provider"],
    ),
];

const SKM: &[ColumnSpec] = &[
    req(
        "unit_id",
        &[
            "unitid",
            "unorid",
            "idunit",
            "kodeunit",
            "unitkerjaid",
            "idunitkerja",
            "unitkerja",
            "unornama",
            "unit",
            "unitcode",
            "unitlayanan",
            "unitpelayanan",
            "namaunitlayanan",
            "namaunitpelayanan",
            "unitpenyelenggara",
            "lokasilayanan",
            "tempatlayanan",
            "puskesmas",
            "namapuskesmas",
        ],
    ),
    req(
        "tanggal",
        &[
            "tanggal",
            "tanggalsurvei",
            "tglsurvei",
            "tanggalpengisian",
            "waktu",
            "timestamp",
            "stempelwaktu",
            "capwaktu",
            "waktupengisian",
            "date",
        ],
    ),
    req("u1", &["u1", "unsur1", "persyaratan"]),
    req("u2", &["u2", "unsur2", "prosedur", "sistemmekanismedanprosedur"]),
    req("u3", &["u3", "unsur3", "waktupenyelesaian"]),
    req("u4", &["u4", "unsur4", "biaya", "biayatarif", "tarif"]),
    req("u5", &["u5", "unsur5", "produkspesifikasijenispelayanan", "produk"]),
    req("u6", &["u6", "unsur6", "kompetensipelaksana", "kompetensi"]),
    req("u7", &["u7", "unsur7", "perilakupelaksana", "perilaku"]),
    req("u8", &["u8", "unsur8", "penangananpengaduan", "pengaduan", "penangananpengaduansarandanmasukan"]),
    req("u9", &["u9", "unsur9", "saranadanprasarana", "sarpras", "sarana"]),
    opt("u10", &["u10", "unsur10"]),
    opt("u11", &["u11", "unsur11"]),
    opt("u12", &["u12", "unsur12"]),
    opt("u13", &["u13", "unsur13"]),
    opt("u14", &["u14", "unsur14"]),
    opt(
        "responden_id",
        &["respondenid", "idresponden", "responden", "respondentid", "norespon", "noresponden", "noresp"],
    ),
];

/// Job history, one record per decree: SIASN `rw-jabatan` (`tmtJabatan`, `unorId`, `namaUnor`,
/// `namaJabatan`, `jabatanFungsionalNama`, `nomorSk`, `tanggalSk`, `eselon`) or a SIMPEG
/// riwayat jabatan export (`UNIT KERJA`, `JABATAN`, `TMT JABATAN`, `NO SK`, `TGL SK`).
const RIWAYAT_JABATAN: &[ColumnSpec] = &[
    req("nip", NIP),
    opt("pns_id", &["idpns", "pnsid", "pnsorangid"]),
    req("tmt", &["tmtjabatan", "tmt", "tmtunor", "tanggalmulaijabatan", "effectivedate"]),
    // The unit by its id, or else by its name (one of the two is required).
    opt(
        "unit_id",
        &["unorid", "unitid", "idunor", "idunit", "kodeunit", "kodeunor", "unitkerjaid", "idunitkerja"],
    ),
    opt("nama_unit", &["unornama", "namaunor", "unitkerja", "namaunitkerja", "unitorganisasi", "unit"]),
    opt(
        "jabatan",
        &["namajabatan", "jabatannama", "jabatan", "jabatanstrukturalnama", "namajabatanstruktural"],
    ),
    opt("jabatan_fungsional", &["jabatanfungsionalnama", "namajabatanfungsional"]),
    opt("jabatan_pelaksana", &["jabatanfungsionalumumnama", "jabatanpelaksananama", "namajabatanpelaksana"]),
    opt("eselon", &["eselon", "eselonnama", "eselonid"]),
    opt("jenis_jabatan", &["jenisjabatan", "jenisjabatannama", "jenisjabatanid"]),
    opt("nomor_sk", &["nomorsk", "nosk", "nomorsuratkeputusan", "skno"]),
    opt("tanggal_sk", &["tanggalsk", "tglsk", "tanggalsuratkeputusan"]),
    opt("jenis_mutasi", &["jenismutasiid", "jenismutasi"]),
];

/// Headers characteristic of each table, folded: a file whose name does not say its table is
/// taken for the table whose required columns it has and whose characteristic headers it
/// shares most (`ingest::discover::classify`).
pub fn signature(table: Table) -> &'static [&'static str] {
    match table {
        Table::UnitKerja => &[
            "namaunor",
            "namaunit",
            "unornama",
            "idatasan",
            "diatasanid",
            "indukunorid",
            "unorindukid",
            "indukunitid",
            "kodeunor",
            "jenisunit",
            "jenisunorid",
            "namaunitkerja",
            "kecamatan",
            "perangkatdaerah",
        ],
        Table::Pegawai => &[
            "pnsid",
            "tanggallahir",
            "tgllahir",
            "tempatlahir",
            "tempatlahirnama",
            "jeniskelamin",
            "golakhirnama",
            "golakhirid",
            "golruangakhir",
            "jenispegawainama",
            "kedudukanhukumnama",
            "statusasn",
            "statuspegawai",
            "gelardepan",
            "gelarbelakang",
            "namanip",
            "pangkatgolruang",
            "agamanama",
            "niplama",
        ],
        Table::Mutasi => &[
            "unitasalid",
            "unitasal",
            "unittujuanid",
            "unittujuan",
            "unitkerjaasal",
            "unitkerjatujuan",
            "unitlama",
            "unitbaru",
            "jenismutasi",
            "tmtmutasi",
        ],
        Table::RiwayatJabatan => &[
            "nomorsk",
            "nosk",
            "tanggalsk",
            "tglsk",
            "tmtpelantikan",
            "jenismutasiid",
            "idpns",
            "jabatanfungsionalnama",
            "jabatanfungsionalumumnama",
            "jenispenugasanid",
            "eselonid",
        ],
        Table::Kinerja => &[
            "hasilkinerjanilai",
            "perilakukerjanilai",
            "kuadrankinerjanilai",
            "ratinghasilkerja",
            "ratingperilakukerja",
            "ratingperilaku",
            "predikatkinerja",
            "predikat",
            "capaianiki",
            "capaian",
            "nilaiskp",
            "periodepenilaian",
            "nipnrppenilai",
            "penilainip",
            "indikator",
        ],
        Table::Layanan => &["indikator", "periode", "nilai"],
        Table::Skm => &[
            "u1",
            "u2",
            "u3",
            "u4",
            "u5",
            "u6",
            "u7",
            "u8",
            "u9",
            "timestamp",
            "stempelwaktu",
            "noresp",
            "norespon",
            "noresponden",
            "persyaratan",
            "prosedur",
        ],
        Table::Permohonan => &[
            "tanggalpengajuan",
            "statuspermohonan",
            "alasan",
            "alasanmutasi",
            "unittujuandiminta",
            "tanggalkeputusan",
        ],
        Table::Pelatihan => &[
            "tanggalkursus",
            "tanggalselesaikursus",
            "jumlahjam",
            "namakursus",
            "jeniskursusnama",
            "institusipenyelenggara",
            "jenisdiklat",
            "jampelajaran",
            "penyelenggara",
            "jenispelatihan",
        ],
    }
}

/// The unsur (1–9, PermenPANRB 14/2017 numbering: 8 = pengaduan, 9 = sarana) a folded
/// questionnaire header asks about, from its wording: a Google Forms export has one column per
/// full question ("1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan …").
/// `None` when the wording names no unsur, or more than one.
pub fn skm_unsur_of_question(key: &str) -> Option<usize> {
    // A question is a sentence; short headers are matched by the aliases instead.
    if key.len() < 20 {
        return None;
    }
    const WORDS: [(usize, &[&str]); 9] = [
        (1, &["persyaratan"]),
        (2, &["prosedur", "mekanisme", "alurpelayanan"]),
        (
            3,
            &[
                "kecepatanwaktu",
                "waktupelayanan",
                "waktupenyelesaian",
                "ketepatanwaktu",
                "jangkawaktu",
                "kecepatanpelayanan",
            ],
        ),
        (4, &["biaya", "tarif"]),
        (5, &["produk", "spesifikasi"]),
        (6, &["kompetensi", "kemampuanpetugas", "keahlianpetugas"]),
        (7, &["perilaku", "kesopanan", "keramahan"]),
        (8, &["pengaduan"]),
        (9, &["saranadanprasarana", "sarana", "prasarana", "fasilitas"]),
    ];
    let hits: Vec<usize> =
        WORDS.iter().filter(|(_, words)| words.iter().any(|w| key.contains(w))).map(|(u, _)| *u).collect();
    match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// How a wide kinerja column encodes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WideEncoding {
    /// Numbers as they are (`nilai_skp`, `capaian_iki`).
    Numeric,
    /// Rating 1–3 (higher better) or a rating label.
    Rating,
    /// SIASN `perilakuDanKinerja` code (1 = Di Atas) or a label.
    RatingSiasnCode,
    /// Predikat 1–5 (higher better) or a predikat label.
    Predikat,
    /// SIASN `kuadranNilai` code (1 = Sangat Baik) or a label.
    PredikatSiasnCode,
}

/// A kinerja indicator that arrives as its own column (the SIASN / e-Kinerja wide layout). Such
/// a file has no `indikator`/`nilai` pair; each of these columns becomes one long-format row.
#[derive(Debug, Clone, Copy)]
pub struct WideIndicator {
    pub indikator: &'static str,
    pub encoding: WideEncoding,
    pub aliases: &'static [&'static str],
}

pub const KINERJA_WIDE: &[WideIndicator] = &[
    WideIndicator {
        indikator: "nilai_skp",
        encoding: WideEncoding::Numeric,
        aliases: &["nilaiskp", "nilaiprestasikerja", "nilaiprestasi", "nilaikinerja", "skp"],
    },
    WideIndicator {
        indikator: "capaian_iki",
        encoding: WideEncoding::Numeric,
        aliases: &["capaianiki", "capaian", "persentasecapaian", "realisasipersen"],
    },
    WideIndicator {
        indikator: "rating_hasil_kerja",
        encoding: WideEncoding::RatingSiasnCode,
        aliases: &["hasilkinerjanilai"],
    },
    WideIndicator {
        indikator: "rating_hasil_kerja",
        encoding: WideEncoding::Rating,
        aliases: &["ratinghasilkerja", "hasilkerja", "hasilkinerja"],
    },
    WideIndicator {
        indikator: "rating_perilaku",
        encoding: WideEncoding::RatingSiasnCode,
        aliases: &["perilakukerjanilai"],
    },
    WideIndicator {
        indikator: "rating_perilaku",
        encoding: WideEncoding::Rating,
        aliases: &["ratingperilakukerja", "ratingperilaku", "perilakukerja", "perilaku"],
    },
    WideIndicator {
        indikator: "predikat",
        encoding: WideEncoding::PredikatSiasnCode,
        aliases: &["kuadrankinerjanilai"],
    },
    WideIndicator {
        indikator: "predikat",
        encoding: WideEncoding::Predikat,
        aliases: &["predikat", "predikatkinerja", "kuadrankinerja"],
    },
];

/// Columns holding dates (or periods, which may be written as dates): their day/month order is
/// decided per file column from all its values (`ingest::profile`).
pub const DATE_COLUMNS: &[&str] = &[
    "tanggal_lahir",
    "tmt",
    "tanggal_sk",
    "tanggal",
    "tanggal_pengajuan",
    "tanggal_keputusan",
    "tanggal_mulai",
    "tanggal_selesai",
    "periode",
];

/// Columns that together stand in for `periode` when it is absent (SIASN `tahun` + `bulan`).
pub const PERIODE_YEAR: &[&str] = &["tahun", "year", "tahunpenilaian", "tahunmulaipenilaian"];
pub const PERIODE_MONTH: &[&str] = &["bulan", "bulanmulaipenilaian", "bulanke"];

/// How a long-format kinerja indicator is encoded and which values are plausible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorRule {
    pub encoding: WideEncoding,
    pub min: f64,
    pub max: f64,
}

/// Known kinerja indicators. Others are accepted as numbers with no range.
pub fn kinerja_indicator_rule(indikator: &str) -> IndicatorRule {
    match indikator {
        "nilai_skp" => IndicatorRule { encoding: WideEncoding::Numeric, min: 0.0, max: 120.0 },
        "capaian_iki" => IndicatorRule { encoding: WideEncoding::Numeric, min: 0.0, max: 200.0 },
        "rating_hasil_kerja" | "rating_perilaku" => {
            IndicatorRule { encoding: WideEncoding::Rating, min: 1.0, max: 3.0 }
        }
        "predikat" => IndicatorRule { encoding: WideEncoding::Predikat, min: 1.0, max: 5.0 },
        _ => IndicatorRule { encoding: WideEncoding::Numeric, min: f64::NEG_INFINITY, max: f64::INFINITY },
    }
}

/// Canonical spelling of a free-text indicator name: folded to `snake_case`.
pub fn indicator_key(raw: &str) -> String {
    let mut out = String::new();
    let mut last_us = true;
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            last_us = false;
        } else if !last_us {
            out.push('_');
            last_us = true;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    // Common synonyms of the known indicators.
    match out.as_str() {
        "nilai_prestasi_kerja" | "skp" | "nilai_kinerja" => "nilai_skp".into(),
        "hasil_kerja" | "rating_hasil" | "hasil_kinerja" => "rating_hasil_kerja".into(),
        "perilaku_kerja" | "perilaku" => "rating_perilaku".into(),
        "predikat_kinerja" | "kuadran_kinerja" => "predikat".into(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_folding_ignores_case_spaces_dots_underscores() {
        assert_eq!(header_key("NIP Baru"), "nipbaru");
        assert_eq!(header_key("nipBaru"), "nipbaru");
        assert_eq!(header_key("TMT_Jabatan"), "tmtjabatan");
        assert_eq!(header_key("Tgl. Lahir"), "tgllahir");
        assert_eq!(header_key("\u{feff}nip"), "nip");
        assert_eq!(header_key("GOL/RUANG"), "golruang");
        assert_eq!(header_key("PANGKAT / GOL. RUANG"), "pangkatgolruang");
        assert_eq!(header_key("CAPAIAN (%)"), "capaian");
        assert_eq!(header_key("NAMA /\nNIP"), "namanip");
    }

    #[test]
    fn aliases_are_folded_and_unique_within_a_table() {
        for t in Table::ALL {
            let mut seen = std::collections::HashSet::new();
            for c in t.columns() {
                for a in c.aliases {
                    assert_eq!(header_key(a), *a, "alias {a} of {}.{} is not folded", t.name(), c.name);
                    assert!(seen.insert(*a), "alias {a} used twice in {}", t.name());
                }
            }
        }
    }

    #[test]
    fn indicator_names_fold_to_snake_case() {
        assert_eq!(indicator_key("Waktu Tunggu (menit)"), "waktu_tunggu_menit");
        assert_eq!(indicator_key("Nilai Prestasi Kerja"), "nilai_skp");
        assert_eq!(indicator_key("Predikat Kinerja"), "predikat");
        assert_eq!(indicator_key("kunjungan"), "kunjungan");
    }
}

#[cfg(test)]
mod doc_tests {
    use super::*;

    /// `docs/data-contract.md` must list every alias and every reason code the code knows.
    #[test]
    fn data_contract_lists_every_alias_and_reason() {
        let doc = include_str!("../../../docs/data-contract.md");
        let words: std::collections::HashSet<&str> =
            doc.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
        let mut missing: Vec<String> = Vec::new();
        for t in Table::ALL {
            for c in t.columns() {
                for a in c.aliases {
                    let skm_range = t == Table::Skm
                        && ["u1", "unsur1"].iter().any(|p| a.starts_with(p) && a.len() > p.len());
                    if !words.contains(a) && !skm_range {
                        missing.push(format!("{}.{}: {a}", t.name(), c.name));
                    }
                }
                if !words.contains(c.name) {
                    missing.push(format!("column {}.{}", t.name(), c.name));
                }
            }
        }
        for w in KINERJA_WIDE {
            for a in w.aliases {
                if !words.contains(a) {
                    missing.push(format!("kinerja wide {}: {a}", w.indikator));
                }
            }
        }
        for r in crate::reason::Reason::ALL {
            if !words.contains(r.code()) {
                missing.push(format!("reason {}", r.code()));
            }
        }
        assert!(missing.is_empty(), "missing from docs/data-contract.md: {missing:#?}");
    }
}
