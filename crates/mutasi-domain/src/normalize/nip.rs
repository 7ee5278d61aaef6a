//! NIP (Nomor Induk Pegawai) cleaning and validation for PNS and PPPK.
//!
//! Structure (`../shared/domain/asn-domain.md` §1): 18 digits. PNS: birth date `YYYYMMDD`, TMT
//! CPNS `YYYYMM`, gender digit (1 = laki-laki, 2 = perempuan), sequence `001`–`999` (Perka BKN
//! 22/2007). PPPK: birth date, appointment year `YYYY`, the PPPK code digit `2`, the contract count
//! 1–9, gender, sequence. Digits 13–14 above 12 therefore mark a PPPK number.
//!
//! Excel stores only 15 significant digits, so a NIP typed as a number turns into `1,98609E+17`
//! or ends in `000`. Such a value cannot be repaired and is rejected with its own reason.

use chrono::NaiveDate;

/// PNS or PPPK, as derived from the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsnStatus {
    Pns,
    Pppk,
}

impl AsnStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AsnStatus::Pns => "PNS",
            AsnStatus::Pppk => "PPPK",
        }
    }

    /// Parses a `status_asn` column value, including SIASN's `JENIS PEGAWAI NAMA` ("PNS DAERAH
    /// KAB/KOTA YANG BEKERJA PADA KAB/KOTA", "PNS PUSAT DPK", "CPNS DAERAH …", "PPPK",
    /// "PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA").
    pub fn parse(raw: &str) -> Option<AsnStatus> {
        let s: String = raw.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_uppercase();
        if s.starts_with("PPPK") || s.starts_with("P3K") || s.contains("PERJANJIANKERJA") {
            Some(AsnStatus::Pppk)
        } else if s.starts_with("PNS") || s.starts_with("CPNS") || s.contains("PEGAWAINEGERISIPIL") {
            Some(AsnStatus::Pns)
        } else {
            None
        }
    }
}

/// Gender, from the NIP's 15th digit or a `jenis_kelamin` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    LakiLaki,
    Perempuan,
}

impl Gender {
    /// Canonical code: `L` or `P`.
    pub fn code(self) -> &'static str {
        match self {
            Gender::LakiLaki => "L",
            Gender::Perempuan => "P",
        }
    }

    /// Parses "L", "P", "Laki-laki", "Perempuan", "Pria", "Wanita", "M", "F", "1", "2".
    pub fn parse(raw: &str) -> Option<Gender> {
        let s: String = raw.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_uppercase();
        match s.as_str() {
            "L" | "LK" | "LAKILAKI" | "LAKI" | "PRIA" | "M" | "MALE" | "1" => Some(Gender::LakiLaki),
            "P" | "PR" | "PEREMPUAN" | "WANITA" | "F" | "FEMALE" | "W" | "2" => Some(Gender::Perempuan),
            _ => None,
        }
    }
}

/// A valid 18-digit NIP and what it encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nip {
    /// The 18 digits as a number (fits in 63 bits).
    pub value: u64,
    pub status: AsnStatus,
    pub birth_date: NaiveDate,
    pub gender: Gender,
}

impl Nip {
    /// The 18 digits as text.
    pub fn text(&self) -> String {
        format!("{:018}", self.value)
    }
}

/// Why a value is not a valid NIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NipError {
    Empty,
    /// Excel damage: scientific notation or a truncated trailing `000`.
    ExcelDamaged,
    /// A 9-digit old NIP with no crosswalk entry.
    OldNipUnmapped,
    /// Not 18 digits after cleaning.
    WrongLength(usize),
    NotDigits,
    BirthDateInvalid,
    /// PNS digits 9–14 are not a real `YYYYMM`.
    TmtInvalid,
    /// PPPK digits 13–14 are not `2` followed by 1–9, or the year is before the first PPPK intake.
    PppkCodeInvalid,
    GenderDigitInvalid,
}

/// Strips what people add around a NIP: spaces, dots, the "NIP." prefix, a leading apostrophe,
/// an `="…"` Excel text formula and non-breaking spaces.
pub fn clean_nip(raw: &str) -> String {
    let mut s = raw.trim().trim_start_matches('\'').trim();
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        s = inner;
    }
    let s = match s.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("nip") => s[3..].trim_start_matches(['.', ':', ' ']),
        _ => s,
    };
    s.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect()
}

/// True for scientific notation such as `1,98609E+17` or `1.98609e17`.
pub fn looks_like_excel_scientific(raw: &str) -> bool {
    let u = raw.trim().to_uppercase();
    u.contains("E+") || (u.contains('E') && u.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// Validates a cleaned 18-digit string.
pub fn parse_nip(raw: &str) -> Result<Nip, NipError> {
    if raw.trim().is_empty() {
        return Err(NipError::Empty);
    }
    if looks_like_excel_scientific(raw) {
        return Err(NipError::ExcelDamaged);
    }
    let s = clean_nip(raw);
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NipError::NotDigits);
    }
    if s.len() == 9 {
        return Err(NipError::OldNipUnmapped);
    }
    if s.len() != 18 {
        return Err(NipError::WrongLength(s.len()));
    }
    if s.ends_with("000") {
        // Sequence 000 never exists; it is what 15-digit truncation leaves behind.
        return Err(NipError::ExcelDamaged);
    }
    let num = |a: usize, b: usize| -> u32 { s[a..b].parse().unwrap_or(0) };
    let birth_year = num(0, 4) as i32;
    let birth_date = NaiveDate::from_ymd_opt(birth_year, num(4, 6), num(6, 8))
        .filter(|_| (1940..=2010).contains(&birth_year))
        .ok_or(NipError::BirthDateInvalid)?;
    let code = num(12, 14);
    let status = if code > 12 {
        let appointed = num(8, 12);
        let code_digit = num(12, 13);
        let contract = num(13, 14);
        if code_digit != 2 || !(1..=9).contains(&contract) || !(2019..=2099).contains(&appointed) {
            return Err(NipError::PppkCodeInvalid);
        }
        AsnStatus::Pppk
    } else {
        let tmt_year = num(8, 12) as i32;
        if !(1..=12).contains(&code) || !(1960..=2099).contains(&tmt_year) || tmt_year <= birth_year {
            return Err(NipError::TmtInvalid);
        }
        AsnStatus::Pns
    };
    let gender = match &s[14..15] {
        "1" => Gender::LakiLaki,
        "2" => Gender::Perempuan,
        _ => return Err(NipError::GenderDigitInvalid),
    };
    let value: u64 = s.parse().map_err(|_| NipError::NotDigits)?;
    Ok(Nip { value, status, birth_date, gender })
}

/// Formats a number cell that should have been a NIP. Excel keeps 15 significant digits, so an
/// 18-digit NIP read from a numeric cell ends in `000` and is reported as damaged.
pub fn nip_text_from_number(v: f64) -> String {
    if (0.0..1e19).contains(&v) { format!("{v:.0}") } else { format!("{v}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_what_people_type() {
        assert_eq!(clean_nip("NIP. 19860926 201505 1 001"), "198609262015051001");
        assert_eq!(clean_nip("'198609262015051001"), "198609262015051001");
        assert_eq!(clean_nip("=\"198609262015051001\""), "198609262015051001");
        assert_eq!(clean_nip("19860926.201505.1.001"), "198609262015051001");
        assert_eq!(clean_nip("nip: 198609262015051001"), "198609262015051001");
        // Multi-byte text never splits a character.
        assert_eq!(clean_nip("nı"), "nı");
        assert_eq!(clean_nip("é19"), "é19");
    }

    #[test]
    fn valid_pns_and_pppk() {
        let pns = parse_nip("19860926 201505 1 001").expect("valid PNS");
        assert_eq!(pns.status, AsnStatus::Pns);
        assert_eq!(pns.gender, Gender::LakiLaki);
        assert_eq!(pns.birth_date, NaiveDate::from_ymd_opt(1986, 9, 26).expect("date"));
        assert_eq!(pns.text(), "198609262015051001");
        let pppk = parse_nip("199312282025212001").expect("valid PPPK");
        assert_eq!(pppk.status, AsnStatus::Pppk);
        assert_eq!(pppk.gender, Gender::Perempuan);
        assert_eq!(parse_nip("200012312024211001").map(|n| n.status), Ok(AsnStatus::Pppk));
    }

    #[test]
    fn each_structural_error_has_its_reason() {
        assert_eq!(parse_nip("1,98609E+17"), Err(NipError::ExcelDamaged));
        assert_eq!(parse_nip("198609262015051000"), Err(NipError::ExcelDamaged));
        assert_eq!(parse_nip("131110468"), Err(NipError::OldNipUnmapped));
        assert_eq!(parse_nip("1986092620150510"), Err(NipError::WrongLength(16)));
        assert_eq!(parse_nip("19860926201505100X"), Err(NipError::NotDigits));
        assert_eq!(parse_nip("198602302015051001"), Err(NipError::BirthDateInvalid));
        assert_eq!(parse_nip("185009262015051001"), Err(NipError::BirthDateInvalid));
        assert_eq!(parse_nip("198609262015001001"), Err(NipError::TmtInvalid));
        assert_eq!(parse_nip("198609261980051001"), Err(NipError::TmtInvalid));
        assert_eq!(parse_nip("199312282025312001"), Err(NipError::PppkCodeInvalid));
        assert_eq!(parse_nip("199312282015212001"), Err(NipError::PppkCodeInvalid));
        assert_eq!(parse_nip("198609262015053001"), Err(NipError::GenderDigitInvalid));
        assert_eq!(parse_nip("   "), Err(NipError::Empty));
    }

    #[test]
    fn a_double_cannot_hold_an_18_digit_nip() {
        // Why the loader rejects every NIP stored as a floating-point number: the digits are gone.
        let text = nip_text_from_number(198_609_262_015_051_001.0);
        assert_ne!(text, "198609262015051001");
        assert_eq!(nip_text_from_number(131_110_468.0), "131110468");
    }

    #[test]
    fn status_and_gender_columns() {
        assert_eq!(AsnStatus::parse("pns"), Some(AsnStatus::Pns));
        assert_eq!(AsnStatus::parse("P3K"), Some(AsnStatus::Pppk));
        assert_eq!(AsnStatus::parse("PNS DAERAH KAB/KOTA YANG BEKERJA PADA KAB/KOTA"), Some(AsnStatus::Pns));
        assert_eq!(AsnStatus::parse("CPNS DAERAH KAB/KOTA"), Some(AsnStatus::Pns));
        assert_eq!(AsnStatus::parse("PPPK"), Some(AsnStatus::Pppk));
        assert_eq!(AsnStatus::parse("Pegawai Pemerintah dengan Perjanjian Kerja"), Some(AsnStatus::Pppk));
        assert_eq!(AsnStatus::parse("HONORER"), None);
        assert_eq!(Gender::parse("Laki-laki"), Some(Gender::LakiLaki));
        assert_eq!(Gender::parse("wanita"), Some(Gender::Perempuan));
        assert_eq!(Gender::parse("x"), None);
    }
}
