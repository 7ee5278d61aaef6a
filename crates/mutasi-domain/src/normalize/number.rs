//! Numbers in Indonesian and international notation, detected per file.
//!
//! Indonesian exports write "76,475" for 76.475 and "4.806" for 4806; international ones the
//! reverse. A file's style is decided once from the evidence in its numeric columns
//! ([`detect_style`]), then every value is parsed strictly in that style ([`parse_number`]). A
//! value that only makes sense in the other style is rejected rather than guessed, and no global
//! text replacement ever touches NIPs or dates.

/// The decimal separator of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalStyle {
    /// `1,234.5`
    Dot,
    /// `1.234,5` (Indonesian)
    Comma,
}

impl DecimalStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            DecimalStyle::Dot => "titik",
            DecimalStyle::Comma => "koma",
        }
    }
}

/// Why a text is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    NotANumber,
    /// A number written in the other decimal style than the file's.
    WrongStyle,
    /// NaN or infinite.
    NotFinite,
}

/// What one value says about the decimal style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    None,
    Dot,
    Comma,
    /// One separator followed by exactly three digits ("76,475", "4.806"): either reading works.
    AmbiguousComma,
    AmbiguousDot,
}

fn clean(raw: &str) -> &str {
    let s = raw.trim().trim_matches('\'').trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim();
    let s = s.strip_prefix("Rp").or_else(|| s.strip_prefix("RP")).unwrap_or(s).trim();
    s.strip_prefix(['+', '-']).unwrap_or(s).trim()
}

fn evidence(raw: &str) -> Evidence {
    let s = clean(raw);
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Evidence::None;
    }
    match (dots, commas) {
        (0, 0) => Evidence::None,
        (_, 0) if dots > 1 => Evidence::Comma, // 1.234.567: dot thousands
        (0, _) if commas > 1 => Evidence::Dot, // 1,234,567: comma thousands
        (1, 0) => match s.len() - s.find('.').unwrap_or(0) - 1 {
            3 => Evidence::AmbiguousDot,
            _ => Evidence::Dot,
        },
        (0, 1) => match s.len() - s.find(',').unwrap_or(0) - 1 {
            3 => Evidence::AmbiguousComma,
            _ => Evidence::Comma,
        },
        _ => {
            // Both: the last separator is the decimal one.
            if s.rfind(',') > s.rfind('.') { Evidence::Comma } else { Evidence::Dot }
        }
    }
}

/// Decides a file's decimal style from the values of its numeric columns.
///
/// Unambiguous values vote; when only ambiguous values exist, a comma is read as Indonesian
/// decimal notation and a lone dot as an international decimal point. The majority wins; values in
/// the minority style are later rejected by [`parse_number`].
pub fn detect_style<'a>(values: impl IntoIterator<Item = &'a str>) -> DecimalStyle {
    let (mut dot, mut comma, mut amb_dot, mut amb_comma) = (0usize, 0usize, 0usize, 0usize);
    for v in values {
        match evidence(v) {
            Evidence::Dot => dot += 1,
            Evidence::Comma => comma += 1,
            Evidence::AmbiguousDot => amb_dot += 1,
            Evidence::AmbiguousComma => amb_comma += 1,
            Evidence::None => {}
        }
    }
    if comma > dot {
        DecimalStyle::Comma
    } else if dot > comma {
        DecimalStyle::Dot
    } else if amb_comma > 0 && amb_dot == 0 {
        DecimalStyle::Comma
    } else {
        DecimalStyle::Dot
    }
}

/// True when `digits` is a run of digit groups separated by `sep`, the first of 1–3 digits and
/// the rest of exactly 3 ("4.806", "1.234.567").
fn valid_grouping(int_part: &str, sep: char) -> bool {
    let mut groups = int_part.split(sep);
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

/// Parses a number written in a known decimal style.
pub fn parse_number(raw: &str, style: DecimalStyle) -> Result<f64, NumberError> {
    // Plain digits, most cells of a survey or count column: exact below 2^53, in either style.
    if (1..=15).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(raw.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64);
    }
    let t = raw.trim().trim_matches('\'').trim();
    let negative = t.starts_with('-');
    let s = clean(t);
    if s.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity" | "-inf") {
        return Err(NumberError::NotFinite);
    }
    if let Some(mantissa) = lower.find('e').map(|i| &s[..i]) {
        // Scientific notation: accept "7.6E+1" in either style only if mantissa fits the style.
        let exp = &s[mantissa.len() + 1..];
        let m = parse_number(mantissa, style)?;
        let e: i32 = exp.parse().map_err(|_| NumberError::NotANumber)?;
        let v = m * 10f64.powi(e);
        return if v.is_finite() { Ok(if negative { -v } else { v }) } else { Err(NumberError::NotFinite) };
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Err(NumberError::NotANumber);
    }
    let (thousands, decimal) = match style {
        DecimalStyle::Dot => (',', '.'),
        DecimalStyle::Comma => ('.', ','),
    };
    if s.matches(decimal).count() > 1 {
        return Err(NumberError::WrongStyle);
    }
    let (int_part, frac_part) = match s.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac_part
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(NumberError::WrongStyle);
    }
    if int_part.contains(thousands) && !valid_grouping(int_part, thousands) {
        return Err(NumberError::WrongStyle);
    }
    let digits: String = int_part.chars().filter(|c| *c != thousands).collect();
    if digits.is_empty() && frac_part.is_none() {
        return Err(NumberError::NotANumber);
    }
    let text = match frac_part {
        Some(f) => format!("{}.{}", if digits.is_empty() { "0" } else { &digits }, f),
        None => digits,
    };
    let v: f64 = text.parse().map_err(|_| NumberError::NotANumber)?;
    if !v.is_finite() {
        return Err(NumberError::NotFinite);
    }
    Ok(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_style() {
        let c = DecimalStyle::Comma;
        assert_eq!(parse_number("76,475", c), Ok(76.475));
        assert_eq!(parse_number("4.806", c), Ok(4806.0));
        assert_eq!(parse_number("1.234.567,5", c), Ok(1_234_567.5));
        assert_eq!(parse_number("87,5%", c), Ok(87.5));
        assert_eq!(parse_number("Rp 706.376.603.000", c), Ok(706_376_603_000.0));
        assert_eq!(parse_number("-3,5", c), Ok(-3.5));
        assert_eq!(parse_number("0,111", c), Ok(0.111));
        assert_eq!(parse_number("80", c), Ok(80.0));
        // Plain digits, on the fast path up to 15 digits and on the general one beyond.
        assert_eq!(parse_number("007", c), Ok(7.0));
        assert_eq!(parse_number("999999999999999", c), Ok(999_999_999_999_999.0));
        assert_eq!(parse_number("9007199254740993", c), Ok(9_007_199_254_740_992.0));
        assert_eq!(parse_number(" 80", c), Ok(80.0));
        // A dot decimal cannot appear in a comma file.
        assert_eq!(parse_number("76.5", c), Err(NumberError::WrongStyle));
    }

    #[test]
    fn international_style() {
        let d = DecimalStyle::Dot;
        assert_eq!(parse_number("76.475", d), Ok(76.475));
        assert_eq!(parse_number("1,234.5", d), Ok(1234.5));
        assert_eq!(parse_number("87.5", d), Ok(87.5));
        assert_eq!(parse_number("7.6E+1", d), Ok(76.0));
        assert_eq!(parse_number("76,5", d), Err(NumberError::WrongStyle));
    }

    #[test]
    fn not_numbers() {
        assert_eq!(parse_number("baik", DecimalStyle::Dot), Err(NumberError::NotANumber));
        assert_eq!(parse_number("NaN", DecimalStyle::Dot), Err(NumberError::NotFinite));
        assert_eq!(parse_number("inf", DecimalStyle::Comma), Err(NumberError::NotFinite));
        assert_eq!(parse_number("", DecimalStyle::Comma), Err(NumberError::NotANumber));
        assert_eq!(parse_number("1e400", DecimalStyle::Dot), Err(NumberError::NotFinite));
    }

    #[test]
    fn detection_per_file() {
        assert_eq!(detect_style(["76,475", "80", "81,5"]), DecimalStyle::Comma);
        assert_eq!(detect_style(["76.48", "80", "81.5"]), DecimalStyle::Dot);
        // Only ambiguous values: a comma is Indonesian decimal notation.
        assert_eq!(detect_style(["76,475", "82,125"]), DecimalStyle::Comma);
        assert_eq!(detect_style(["4.806"]), DecimalStyle::Dot);
        // Dot thousands groups mark the Indonesian style.
        assert_eq!(detect_style(["1.234.567", "12"]), DecimalStyle::Comma);
        assert_eq!(detect_style(["80", "90"]), DecimalStyle::Dot);
        assert_eq!(detect_style(["1.234,5", "7,25", "9.5"]), DecimalStyle::Comma);
    }
}
