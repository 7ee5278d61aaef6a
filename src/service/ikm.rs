//! The Indeks Kepuasan Masyarakat (IKM) of PermenPANRB 14/2017 from raw SKM answers, on plain
//! slices (no Polars, no files).
//!
//! - NRR per unsur: the mean of the 1–4 answers over the respondents who answered that unsur.
//! - IKM = Σ NRR_i × w_i, with w_i = 1/9 for the nine unsur of 2017 (1/14 for the older 14-unsur
//!   layout of Kepmenpan 25/2004), or per-unit weights that sum to 1.
//! - IKM konversi = IKM × 25 (25–100).
//! - Mutu from the konversi value rounded to 2 decimals (half up): A 88,31–100; B 76,61–88,30;
//!   C 65,00–76,60; D 25,00–64,99. The same 2017 intervals are applied to the 14-unsur layout.
//! - Sample adequacy: the Krejcie & Morgan (1970) sample size S(N) the regulation points to,
//!   s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)) with χ² = 3,841, P = 0,5, d = 0,05, rounded to the
//!   nearest whole respondent (this reproduces the published table).
//!
//! Sources: `../shared/domain/asn-domain.md` §3.1.

/// Mutu pelayanan (service quality grade).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mutu {
    A,
    B,
    C,
    D,
}

impl Mutu {
    pub fn as_str(self) -> &'static str {
        match self {
            Mutu::A => "A",
            Mutu::B => "B",
            Mutu::C => "C",
            Mutu::D => "D",
        }
    }

    /// Kinerja unit pelayanan, as the regulation names it.
    pub fn kinerja(self) -> &'static str {
        match self {
            Mutu::A => "Sangat Baik",
            Mutu::B => "Baik",
            Mutu::C => "Kurang Baik",
            Mutu::D => "Tidak Baik",
        }
    }
}

/// The grade of an IKM konversi value (25–100), after rounding it to 2 decimals half up.
pub fn mutu(konversi: f64) -> Mutu {
    // Hundredths, half up; the nudge keeps decimal halves such as 64,995 from falling below
    // through binary representation (64.995 is stored as 64.99499…).
    let cents = (konversi * 100.0 + 1e-7).round();
    if cents >= 8831.0 {
        Mutu::A
    } else if cents >= 7661.0 {
        Mutu::B
    } else if cents >= 6500.0 {
        Mutu::C
    } else {
        Mutu::D
    }
}

/// NRR per unsur: the mean answer over respondents who answered it (`None` when nobody did).
/// `answers[r][u]` is respondent r's answer to unsur u.
pub fn nrr<R: AsRef<[Option<u8>]>>(answers: &[R], unsur: usize) -> Vec<Option<f64>> {
    (0..unsur)
        .map(|u| {
            let mut given = 0usize;
            let sum: f64 = answers
                .iter()
                .filter_map(|r| r.as_ref().get(u).copied().flatten())
                .map(|v| {
                    given += 1;
                    f64::from(v)
                })
                .sum();
            (given > 0).then(|| sum / given as f64)
        })
        .collect()
}

/// The index of one unit and period.
#[derive(Debug, Clone, PartialEq)]
pub struct Ikm {
    pub n_responden: usize,
    pub nrr: Vec<Option<f64>>,
    /// `None` when some unsur has no answer at all (the weighted sum is then undefined).
    pub ikm: Option<f64>,
    pub konversi: Option<f64>,
    pub mutu: Option<Mutu>,
    /// 0-based index of the unsur with the lowest NRR (the first of equals): the improvement
    /// priority.
    pub weakest: Option<usize>,
}

/// IKM from the answers of the respondents of one unit and period. `weights`, when given, has one
/// weight per unsur; otherwise every unsur weighs 1/`unsur`.
pub fn ikm<R: AsRef<[Option<u8>]>>(answers: &[R], unsur: usize, weights: Option<&[f64]>) -> Ikm {
    let nrr = nrr(answers, unsur);
    let equal = vec![1.0 / unsur as f64; unsur];
    let w = weights.unwrap_or(&equal);
    // A weighted mean of the NRRs: normalised by the weights' sum (which is 1 only within 1e-6)
    // and kept inside [min NRR, max NRR], where a convex combination lies; floating-point sums
    // otherwise give 4.000000000000001 for all-4 answers, an IKM konversi above 100.
    let total: f64 = w.iter().sum();
    let value: Option<f64> = nrr.iter().zip(w).map(|(v, w)| v.map(|v| v * w)).sum::<Option<f64>>().map(|v| {
        let known = nrr.iter().flatten();
        let (lo, hi) = known.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
        (v / total).clamp(lo, hi)
    });
    let konversi = value.map(|v| v * 25.0);
    let weakest = nrr
        .iter()
        .enumerate()
        .filter_map(|(u, v)| v.map(|v| (u, v)))
        .fold(None, |best: Option<(usize, f64)>, (u, v)| match best {
            Some((_, b)) if b <= v => best,
            _ => Some((u, v)),
        })
        .map(|(u, _)| u);
    Ikm { n_responden: answers.len(), nrr, ikm: value, konversi, mutu: konversi.map(mutu), weakest }
}

/// Checks per-unit weights: one per unsur, none negative, summing to 1 (within 1e-6).
pub fn check_weights(weights: &[f64], unsur: usize) -> Result<(), String> {
    if weights.len() != unsur {
        return Err(format!(
            "{} bobot untuk {unsur} unsur / {} weights for {unsur} unsur",
            weights.len(),
            weights.len()
        ));
    }
    let sum: f64 = weights.iter().sum();
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || (sum - 1.0).abs() > 1e-6 {
        return Err(format!(
            "bobot harus ≥ 0 dan berjumlah 1, jumlahnya {sum} / weights must be ≥ 0 and sum to 1"
        ));
    }
    Ok(())
}

/// Krejcie & Morgan (1970) sample size for a population of `n`.
pub fn krejcie_morgan(n: u64) -> u64 {
    let (chi2, p, d) = (3.841, 0.5, 0.05);
    let nf = n as f64;
    let s = chi2 * nf * p * (1.0 - p) / (d * d * (nf - 1.0) + chi2 * p * (1.0 - p));
    s.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: &[u8]) -> Vec<Option<u8>> {
        v.iter().map(|x| if *x == 0 { None } else { Some(*x) }).collect()
    }

    /// Worked by hand from the regulation's formula: four respondents, one blank answer.
    ///
    /// NRR: u1 (3+4+3+2)/4 = 3; u2 (4+4+3+3)/4 = 3.5; u3 (2+3+2)/3 = 7/3 (one blank);
    /// u4..u9 all 3 except u9 = (4+4+4+3)/4 = 3.75. Σ NRR = 3 + 3.5 + 2.3333 + 3·5 + 3.75
    /// = 27.5833…; IKM = 27.5833/9 = 3.064815; konversi = 76.620370 → 76.62 → B.
    #[test]
    fn hand_worked_example() {
        let answers = vec![
            r(&[3, 4, 2, 3, 3, 3, 3, 3, 4]),
            r(&[4, 4, 3, 3, 3, 3, 3, 3, 4]),
            r(&[3, 3, 0, 3, 3, 3, 3, 3, 4]),
            r(&[2, 3, 2, 3, 3, 3, 3, 3, 3]),
        ];
        let x = ikm(&answers, 9, None);
        assert_eq!(x.n_responden, 4);
        assert_eq!(x.nrr[2], Some(7.0 / 3.0));
        let want = (3.0 + 3.5 + 7.0 / 3.0 + 15.0 + 3.75) / 9.0;
        assert!((x.ikm.expect("ikm") - want).abs() < 1e-12);
        assert!((x.konversi.expect("konversi") - 76.620_370_370_370_4).abs() < 1e-9);
        assert_eq!(x.mutu, Some(Mutu::B));
        assert_eq!(x.weakest, Some(2), "u3 is the improvement priority");
        // Weights summing to 1 change the index; an unsur nobody answered leaves it undefined.
        let mut w = vec![0.1; 9];
        w[2] = 0.2;
        assert!(check_weights(&w, 9).is_ok());
        let weighted = ikm(&answers, 9, Some(&w)).ikm.expect("ikm");
        assert!((weighted - (want * 9.0 * 0.1 + 0.1 * 7.0 / 3.0)).abs() < 1e-12);
        assert!(check_weights(&[0.5; 9], 9).is_err() && check_weights(&[0.5, 0.5], 9).is_err());
        let blank = vec![r(&[3, 3, 0, 3, 3, 3, 3, 3, 3])];
        assert_eq!(ikm(&blank, 9, None).ikm, None);
    }

    /// The older 14-unsur layout: weights 1/14 (0.071), the same ×25 conversion.
    #[test]
    fn fourteen_unsur_layout() {
        let answers = vec![r(&[3; 14]), r(&[4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3])];
        let x = ikm(&answers, 14, None);
        assert_eq!(x.nrr.len(), 14);
        assert!((x.ikm.expect("ikm") - (7.0 * 3.5 + 7.0 * 3.0) / 14.0).abs() < 1e-12);
        assert!((x.konversi.expect("k") - 81.25).abs() < 1e-12);
        assert_eq!(x.mutu, Some(Mutu::B));
    }

    /// Each mutu threshold, on both sides, including values that only round onto it.
    #[test]
    fn mutu_boundaries() {
        for (v, want) in [
            (25.0, Mutu::D),
            (64.99, Mutu::D),
            (64.994, Mutu::D),
            (64.995, Mutu::C),
            (65.0, Mutu::C),
            (76.60, Mutu::C),
            (76.604, Mutu::C),
            (76.605, Mutu::B),
            (76.61, Mutu::B),
            (88.30, Mutu::B),
            (88.304, Mutu::B),
            (88.305, Mutu::A),
            (88.31, Mutu::A),
            (100.0, Mutu::A),
        ] {
            assert_eq!(mutu(v), want, "{v}");
        }
        // The interval table in index units (1–4): 2.60, 3.0644 and 3.5324 start C, B and A.
        assert_eq!(mutu(2.60 * 25.0), Mutu::C);
        // All answers 4: exactly 100, not 100.00000000000003 (nine thirds of ninths).
        let top = ikm(&vec![vec![Some(4u8); 9]; 101], 9, None);
        assert_eq!((top.ikm, top.konversi), (Some(4.0), Some(100.0)));
        let w = [
            0.1111112, 0.1111111, 0.1111111, 0.1111111, 0.1111111, 0.1111111, 0.1111111, 0.1111111, 0.1111111,
        ];
        assert_eq!(ikm(&vec![vec![Some(4u8); 9]; 3], 9, Some(&w)).konversi, Some(100.0));
        assert_eq!(ikm(&vec![vec![Some(1u8); 9]; 3], 9, Some(&w)).konversi, Some(25.0));
        assert_eq!(mutu(3.0644 * 25.0), Mutu::B);
        assert_eq!(mutu(3.5324 * 25.0), Mutu::A);
        assert_eq!(Mutu::B.kinerja(), "Baik");
    }

    /// The published Krejcie–Morgan table.
    #[test]
    fn krejcie_morgan_table() {
        for (n, s) in [
            (10, 10),
            (20, 19),
            (50, 44),
            (100, 80),
            (500, 217),
            (800, 260),
            (1000, 278),
            (5000, 357),
            (10_000, 370),
            (1_000_000, 384),
        ] {
            assert_eq!(krejcie_morgan(n), s, "N = {n}");
        }
    }
}
