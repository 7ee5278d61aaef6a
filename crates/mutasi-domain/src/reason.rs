//! The catalogue of reasons a row is rejected or warned about.
//!
//! Every reason has a stable code (used in `rejects.parquet`, tests and docs), a message in Bahasa
//! Indonesia and in English, and a hint saying how to fix the source. Tests assert the code, not the
//! wording. `docs/data-contract.md` lists the same catalogue.

/// Whether a finding drops the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The row goes to the rejects table.
    Error,
    /// The row is kept; the finding goes to the warnings table.
    Warning,
}

macro_rules! reasons {
    ($( $variant:ident => ($code:literal, $sev:ident, $id:literal, $en:literal, $hint:literal) ),* $(,)?) => {
        /// Why a row was rejected or warned about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Reason { $( $variant ),* }

        impl Reason {
            pub const ALL: &'static [Reason] = &[ $( Reason::$variant ),* ];

            /// Stable reason code.
            pub fn code(self) -> &'static str { match self { $( Reason::$variant => $code ),* } }
            pub fn severity(self) -> Severity { match self { $( Reason::$variant => Severity::$sev ),* } }
            /// Message in Bahasa Indonesia.
            pub fn message_id(self) -> &'static str { match self { $( Reason::$variant => $id ),* } }
            /// Message in English.
            pub fn message_en(self) -> &'static str { match self { $( Reason::$variant => $en ),* } }
            /// How to fix the source (Bahasa Indonesia / English).
            pub fn hint(self) -> &'static str { match self { $( Reason::$variant => $hint ),* } }
        }
    };
}

reasons! {
    RequiredEmpty => ("wajib_kosong", Error, "kolom wajib kosong", "required value is empty", "isi nilai kolom ini / fill in this value"),
    ExcelErrorCell => ("sel_error_excel", Error, "sel berisi galat Excel", "cell holds an Excel error", "perbaiki rumus di Excel / fix the formula in Excel"),
    RaggedRow => ("jumlah_kolom_salah", Error, "jumlah kolom baris tidak sama dengan header", "row has a different number of fields than the header", "periksa pemisah atau tanda kutip pada baris ini / check delimiters and quotes on this row"),
    NipExcelDamaged => ("nip_rusak_excel", Error, "NIP rusak oleh Excel (notasi ilmiah atau 3 digit akhir 000)", "NIP damaged by Excel (scientific notation or trailing 000 from 15-digit truncation)", "ekspor ulang dengan kolom NIP berformat Teks; NIP yang terpotong tidak dapat dipulihkan / re-export with the NIP column formatted as Text; truncated NIPs cannot be repaired"),
    NipOldUnmapped => ("nip_lama_tanpa_padanan", Error, "NIP lama 9 digit tanpa tabel padanan", "9-digit old NIP with no crosswalk entry", "berikan tabel padanan nip_lama→nip_baru lewat konfigurasi `nip_crosswalk` / provide a crosswalk via the `nip_crosswalk` setting"),
    NipWrongLength => ("nip_panjang_salah", Error, "NIP tidak 18 digit", "NIP is not 18 digits", "periksa NIP; NIP baru selalu 18 digit / NIPs have 18 digits"),
    NipNotDigits => ("nip_bukan_angka", Error, "NIP berisi karakter selain angka", "NIP contains non-digit characters", "hapus huruf atau simbol dari NIP / remove letters or symbols"),
    NipBirthDate => ("nip_tanggal_lahir_salah", Error, "digit 1–8 NIP bukan tanggal lahir yang sah", "NIP digits 1–8 are not a valid birth date", "periksa NIP pada SK / check the NIP on the decree"),
    NipTmt => ("nip_tmt_salah", Error, "digit 9–14 NIP PNS bukan TMT CPNS (tahun-bulan) yang sah", "PNS NIP digits 9–14 are not a valid TMT CPNS year-month", "periksa NIP pada SK / check the NIP on the decree"),
    NipPppkCode => ("nip_kode_pppk_salah", Error, "kode PPPK pada NIP (digit 13–14) tidak sah", "PPPK code in the NIP (digits 13–14) is invalid", "periksa NI PPPK / check the PPPK number"),
    NipGender => ("nip_digit_kelamin_salah", Error, "digit ke-15 NIP bukan 1 atau 2", "NIP digit 15 is not 1 or 2", "periksa NIP / check the NIP"),
    DateUnrecognised => ("tanggal_tidak_dikenal", Error, "format tanggal tidak dikenal", "unrecognised date format", "gunakan yyyy-mm-dd atau dd-mm-yyyy / use yyyy-mm-dd or dd-mm-yyyy"),
    DateNotACalendarDay => ("tanggal_tidak_ada", Error, "tanggal tidak ada di kalender", "date does not exist", "periksa hari dan bulan / check day and month"),
    DateContradictsOrder => ("tanggal_bertentangan_urutan", Error, "tanggal hanya terbaca dengan urutan hari/bulan yang berlawanan dengan kolomnya", "the date reads only in the opposite day/month order to its column's", "seragamkan urutan tanggal dalam satu kolom (hari-bulan-tahun), atau ekspor ulang dengan format yyyy-mm-dd / use one date order per column, or re-export as yyyy-mm-dd"),
    DateOutOfRange => ("tanggal_di_luar_rentang", Error, "tanggal di luar rentang wajar (1940–2099)", "date outside the plausible range (1940–2099)", "periksa tahun; 1900 atau 2100 biasanya salah ketik / check the year"),
    PeriodUnrecognised => ("periode_tidak_dikenal", Error, "format periode tidak dikenal", "unrecognised period", "gunakan YYYY-MM, \"Januari 2024\", \"TW I 2024\" atau \"Semester 2 2023\" / use one of these"),
    PeriodOutOfRange => ("periode_di_luar_rentang", Error, "periode di luar rentang wajar", "period outside the plausible range", "periksa tahun / check the year"),
    NumberInvalid => ("angka_tidak_sah", Error, "bukan angka", "not a number", "isi dengan angka / use a number"),
    NumberWrongStyle => ("angka_format_campuran", Error, "angka ditulis dengan pemisah desimal yang berbeda dari isi berkas lainnya", "number uses a different decimal separator than the rest of the file", "seragamkan pemisah desimal (koma atau titik) dalam satu berkas / use one decimal separator per file"),
    NumberNotFinite => ("angka_tidak_hingga", Error, "nilai NaN atau tak hingga", "NaN or infinite value", "ganti dengan angka atau kosongkan baris / replace with a number"),
    ValueOutOfRange => ("nilai_di_luar_rentang", Error, "nilai di luar rentang yang sah untuk indikator ini", "value outside the valid range for this indicator", "periksa skala nilai / check the scale"),
    LabelUnknown => ("label_tidak_dikenal", Error, "label rating atau predikat tidak dikenal", "unknown rating or predikat label", "gunakan label PermenPANRB 6/2022 / use the PermenPANRB 6/2022 labels"),
    SkmAnswerUnknown => ("jawaban_skm_tidak_dikenal", Error, "jawaban SKM bukan salah satu pilihan kuesioner (1–4)", "the SKM answer is none of the questionnaire's options (1–4)", "gunakan angka 1–4 atau label kuesioner PermenPANRB 14/2017 / use 1–4 or the PermenPANRB 14/2017 option labels"),
    StatusPermohonanUnknown => ("status_permohonan_tidak_dikenal", Error, "status permohonan tidak dikenal", "unknown request status", "gunakan diajukan, diproses, disetujui, ditolak atau dibatalkan / use diajukan, diproses, disetujui, ditolak or dibatalkan"),
    JenisMutasiUnknown => ("jenis_mutasi_tidak_dikenal", Error, "jenis mutasi tidak dikenal", "unknown transfer type", "gunakan rotasi, promosi, demosi, mutasi_masuk, mutasi_keluar, MJ atau MU / use one of these"),
    PnsIdUnknown => ("pns_id_tidak_dikenal", Error, "PNS ID SIASN tidak ada di tabel pegawai, jadi NIP-nya tidak diketahui", "the SIASN PNS id is not in the pegawai table, so its NIP is unknown", "sertakan ekspor pegawai dengan kolom PNS ID (Export Data ASN atau data-utama) / include a pegawai export with the PNS ID column"),
    UnknownNip => ("nip_tidak_dikenal", Error, "NIP tidak ada di tabel pegawai", "NIP not found in the pegawai table", "tambahkan pegawai ke ekspor pegawai atau perbaiki NIP / add the employee or fix the NIP"),
    UnknownUnit => ("unit_tidak_dikenal", Error, "unit tidak ada di tabel unit_kerja", "unit not found in the unit_kerja table", "tambahkan unit ke unit_kerja atau perbaiki kode unit / add the unit or fix its code"),
    DuplicateConflict => ("duplikat_bertentangan", Error, "kunci yang sama muncul lebih dari sekali dengan nilai berbeda", "the same key appears more than once with different values", "hapus baris yang salah; semua baris bertentangan ditolak / remove the wrong row; all conflicting rows are rejected"),
    DuplicateIdentical => ("duplikat_identik", Error, "baris duplikat identik (baris pertama dipakai)", "identical duplicate row (the first one is kept)", "hapus baris ganda / remove the repeated row"),
    DuplicateNip => ("nip_ganda", Error, "NIP muncul lebih dari sekali di tabel pegawai (baris pertama dipakai)", "NIP appears more than once in pegawai (the first row is kept)", "satukan data pegawai ini / merge this employee's rows"),
    DuplicateUnit => ("unit_ganda", Error, "kode unit muncul lebih dari sekali (baris pertama dipakai)", "unit id appears more than once (the first row is kept)", "gunakan kode unit yang unik / use unique unit ids"),
    SameDayTransfers => ("mutasi_ganda_hari_sama", Error, "dua mutasi satu pegawai pada tanggal yang sama ke unit berbeda", "two transfers of one person on the same date to different units", "periksa SK; hanya satu yang berlaku / check the decrees; only one can be in force"),
    RotationToSameUnit => ("rotasi_ke_unit_sama", Error, "rotasi ke unit yang sama dengan unit asal", "a rotation whose destination is its origin", "periksa unit asal dan tujuan pada SK; kenaikan jabatan di unit yang sama dicatat sebagai promosi / check origin and destination on the decree; a promotion in place is recorded as promosi"),
    KinerjaAfterExit => ("kinerja_setelah_keluar", Error, "penilaian kinerja untuk periode setelah pegawai keluar (mutasi_keluar)", "a performance rating for a period after the person left (mutasi_keluar)", "periksa TMT mutasi keluar atau periode penilaian / check the exit TMT or the rating period"),
    LateSk => ("tanggal_sk_terlambat", Warning, "tanggal SK lebih lambat dari TMT melebihi toleransi", "decree date is later than the TMT by more than the tolerance", "periksa apakah TMT berlaku surut / check whether the TMT is back-dated"),
    PredikatMismatch => ("predikat_tidak_sesuai_matriks", Warning, "predikat tidak sesuai matriks rating hasil kerja × perilaku", "predikat disagrees with the hasil kerja × perilaku matrix", "periksa penilaian di e-Kinerja / check the rating in e-Kinerja"),
    StatusMismatch => ("status_asn_tidak_sesuai_nip", Warning, "status_asn berbeda dengan yang tersirat dari NIP", "status_asn differs from what the NIP implies", "periksa status PNS/PPPK / check PNS/PPPK status"),
    GenderMismatch => ("jenis_kelamin_tidak_sesuai_nip", Warning, "jenis kelamin berbeda dengan digit ke-15 NIP", "gender differs from NIP digit 15", "periksa data pegawai / check the record"),
    BirthDateMismatch => ("tanggal_lahir_tidak_sesuai_nip", Warning, "tanggal lahir berbeda dengan digit 1–8 NIP", "birth date differs from NIP digits 1–8", "periksa data pegawai / check the record"),
    ValueUnrecognisedKept => ("nilai_opsional_tidak_dikenal", Warning, "nilai kolom opsional tidak dikenali dan dikosongkan", "optional value not recognised and left empty", "perbaiki nilai jika diperlukan / fix the value if it matters"),
    DateOrder => ("urutan_tanggal_salah", Warning, "tanggal akhir lebih awal dari tanggal awal; tanggal akhir dikosongkan", "end date before start date; the end date is dropped", "periksa kedua tanggal / check both dates"),
    DateOrderAssumed => ("urutan_tanggal_diasumsikan", Warning, "semua tanggal kolom ini terbaca dua arah; dibaca hari-bulan-tahun (urutan Indonesia)", "every date in this column reads both ways; read day-month-year (the Indonesian order)", "periksa beberapa tanggal; bila kolom ini bulan-hari-tahun, ekspor ulang dengan format yyyy-mm-dd / check a few dates; if the column is month-first, re-export as yyyy-mm-dd"),
    DateOrderMixed => ("urutan_tanggal_campuran", Warning, "kolom tanggal memuat dua urutan hari/bulan; urutan mayoritas dipakai, tanggal yang berlawanan ditolak", "the date column mixes both day/month orders; the majority order is used and contradicting dates are rejected", "seragamkan urutan tanggal dalam kolom ini / use one date order in this column"),
    ColumnLooksLikeField => ("kolom_mirip_bidang", Warning, "kolom tidak dipakai tetapi mirip sebuah bidang tabel ini", "an unused column looks like a field of this table", "bila benar, tambahkan baris alias di keterangan ke mutasi.toml / if so, add the alias line in the detail to mutasi.toml"),
    MutasiLooksLikeHistory => ("mutasi_tampak_riwayat", Warning, "berkas mutasi ini tampak seperti riwayat jabatan (tanpa unit asal): setiap baris dianggap mutasi, termasuk penempatan pertama", "this mutasi file looks like a job history (no origin unit): every row is taken as a transfer, first appointments included", "bila ini riwayat jabatan, beri nama riwayat_jabatan.<ext> agar mutasi diturunkan dari urutan jabatan / if it is a job history, name it riwayat_jabatan.<ext> so transfers are derived from the sequence of posts"),
    UnknownUnitKept => ("unit_tidak_dikenal_dipertahankan", Warning, "unit tidak ada di unit_kerja; baris tetap dipakai", "unit not in unit_kerja; the row is kept", "tambahkan unit ke unit_kerja / add the unit"),
}

// How each normaliser's error reads as a reject reason.
impl From<crate::normalize::date::DateError> for Reason {
    fn from(e: crate::normalize::date::DateError) -> Reason {
        match e {
            crate::normalize::date::DateError::Unrecognised => Reason::DateUnrecognised,
            crate::normalize::date::DateError::NotACalendarDay => Reason::DateNotACalendarDay,
            crate::normalize::date::DateError::OutOfRange => Reason::DateOutOfRange,
            crate::normalize::date::DateError::ContradictsOrder => Reason::DateContradictsOrder,
        }
    }
}

impl From<crate::normalize::period::PeriodError> for Reason {
    fn from(e: crate::normalize::period::PeriodError) -> Reason {
        match e {
            crate::normalize::period::PeriodError::Unrecognised => Reason::PeriodUnrecognised,
            crate::normalize::period::PeriodError::OutOfRange => Reason::PeriodOutOfRange,
        }
    }
}

impl From<crate::normalize::number::NumberError> for Reason {
    fn from(e: crate::normalize::number::NumberError) -> Reason {
        match e {
            crate::normalize::number::NumberError::NotANumber => Reason::NumberInvalid,
            crate::normalize::number::NumberError::WrongStyle => Reason::NumberWrongStyle,
            crate::normalize::number::NumberError::NotFinite => Reason::NumberNotFinite,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_messages_are_bilingual() {
        let mut seen = std::collections::HashSet::new();
        for r in Reason::ALL {
            assert!(seen.insert(r.code()), "duplicate code {}", r.code());
            assert!(r.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()));
            assert!(!r.message_id().is_empty() && !r.message_en().is_empty());
            assert!(r.hint().contains(" / "), "hint of {} must be bilingual", r.code());
        }
    }
}
