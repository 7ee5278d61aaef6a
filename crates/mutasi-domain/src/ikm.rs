//! The Indeks Kepuasan Masyarakat (IKM) of PermenPANRB 14/2017 from raw SKM answers, on plain
//! slices (no Polars, no files).
//!
//! - NRR per unsur: the mean of the 1–4 answers over the respondents who answered that unsur.
//! - IKM = Σ NRR_i × w_i, with w_i = 1/9 for the nine unsur of 2017 (1/14 for the older 14-unsur
//!   layout of Kepmenpan 25/2004), or per-unit weights that sum to 1.
//! - IKM konversi = IKM × 25 (25–100).
//! - Mutu from the konversi value rounded to 2 decimals (half up), by the intervals of the
//!   regulation the survey follows ([`Grading`]): a 9-unsur survey by PermenPANRB 14/2017 (A
//!   88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99), a 14-unsur one by Kepmenpan
//!   25/2004 (A 81,26–100; B 62,51–81,25; C 43,76–62,50; D 25,00–43,75).
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

/// The lower bounds of mutu A, B and C on the konversi scale (25–100); below C is D.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Grading {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

/// Why configured grading bounds or unsur weights cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IkmRuleError {
    #[error(
        "batas mutu harus 25 < c < b < a ≤ 100, diberi / bounds must be 25 < c < b < a ≤ 100, got a = {a}, b = {b}, c = {c}"
    )]
    Bounds { a: f64, b: f64, c: f64 },
    #[error("{given} bobot untuk {unsur} unsur / {given} weights for {unsur} unsur")]
    WeightCount { given: usize, unsur: usize },
    #[error("bobot harus ≥ 0 dan berjumlah 1, jumlahnya {sum} / weights must be ≥ 0 and sum to 1")]
    WeightSum { sum: f64 },
}

impl Grading {
    /// PermenPANRB 14/2017, for the nine unsur of 2017.
    pub const PERMENPANRB_14_2017: Grading = Grading { a: 88.31, b: 76.61, c: 65.00 };
    /// Kepmenpan 25/2004, for the fourteen unsur of 2004.
    pub const KEPMENPAN_25_2004: Grading = Grading { a: 81.26, b: 62.51, c: 43.76 };

    /// The regulation's intervals for a survey of `unsur` unsur.
    pub fn for_unsur(unsur: usize) -> Grading {
        if unsur == 14 { Grading::KEPMENPAN_25_2004 } else { Grading::PERMENPANRB_14_2017 }
    }

    /// Checks the bounds: 25 < c < b < a ≤ 100.
    pub fn check(&self) -> Result<(), IkmRuleError> {
        let ok = [self.a, self.b, self.c].iter().all(|v| v.is_finite())
            && 25.0 < self.c
            && self.c < self.b
            && self.b < self.a
            && self.a <= 100.0;
        if ok { Ok(()) } else { Err(IkmRuleError::Bounds { a: self.a, b: self.b, c: self.c }) }
    }

    /// The grade of an IKM konversi value (25–100), after rounding it to 2 decimals half up.
    pub fn grade(&self, konversi: f64) -> Mutu {
        // Hundredths, half up; the nudge keeps decimal halves such as 64,995 from falling below
        // through binary representation (64.995 is stored as 64.99499…).
        let cents = (konversi * 100.0 + 1e-7).round();
        let bound = |v: f64| (v * 100.0).round();
        if cents >= bound(self.a) {
            Mutu::A
        } else if cents >= bound(self.b) {
            Mutu::B
        } else if cents >= bound(self.c) {
            Mutu::C
        } else {
            Mutu::D
        }
    }
}

/// The grade of an IKM konversi value by PermenPANRB 14/2017 (nine unsur).
pub fn mutu(konversi: f64) -> Mutu {
    Grading::PERMENPANRB_14_2017.grade(konversi)
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
    let grading = Grading::for_unsur(unsur);
    Ikm {
        n_responden: answers.len(),
        nrr,
        ikm: value,
        konversi,
        mutu: konversi.map(|k| grading.grade(k)),
        weakest,
    }
}

/// Checks per-unit weights: one per unsur, none negative, summing to 1 (within 1e-6).
pub fn check_weights(weights: &[f64], unsur: usize) -> Result<(), IkmRuleError> {
    if weights.len() != unsur {
        return Err(IkmRuleError::WeightCount { given: weights.len(), unsur });
    }
    let sum: f64 = weights.iter().sum();
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || (sum - 1.0).abs() > 1e-6 {
        return Err(IkmRuleError::WeightSum { sum });
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

    /// The older 14-unsur layout: weights 1/14 (0.071), the same ×25 conversion, and the
    /// Kepmenpan 25/2004 intervals.
    #[test]
    fn fourteen_unsur_layout() {
        let answers = vec![r(&[3; 14]), r(&[4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3])];
        let x = ikm(&answers, 14, None);
        assert_eq!(x.nrr.len(), 14);
        assert!((x.ikm.expect("ikm") - (7.0 * 3.5 + 7.0 * 3.0) / 14.0).abs() < 1e-12);
        assert!((x.konversi.expect("k") - 81.25).abs() < 1e-12);
        // 81,25 is the top of B in 2004 (A from 81,26); in 2017 it would be B as well.
        assert_eq!(x.mutu, Some(Mutu::B));
        let top = ikm(&[r(&[4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3])], 14, None);
        // (8·4 + 6·3)/14 · 25 = 89,29: A in both regulations.
        assert_eq!(top.mutu, Some(Mutu::A));
    }

    /// The worked 14-unsur example of a Puskesmas report (Kepmenpan 25/2004): NRR 3,06 2,98
    /// 3,06 2,9 3,06 3,14 3,04 3,06 3,18 3,08 3,2 3,18 3,1 3,04 weighted 0,071 gives 3,059 and
    /// 76,475, mutu B. By 2004's intervals the exact 1/14 gives B too (76,93); by 2017's the
    /// report's 76,475 would be C.
    #[test]
    #[allow(clippy::approx_constant)] // 3,14 is an NRR of the example, not π
    fn kepmenpan_2004_worked_example() {
        let nrr = [3.06, 2.98, 3.06, 2.9, 3.06, 3.14, 3.04, 3.06, 3.18, 3.08, 3.2, 3.18, 3.1, 3.04];
        let reported = nrr.iter().map(|v| v * 0.071).sum::<f64>() * 25.0;
        assert!((reported - 76.467).abs() < 0.01, "{reported}");
        let g = Grading::for_unsur(14);
        assert_eq!(g.grade(reported), Mutu::B);
        assert_eq!(g.grade(nrr.iter().sum::<f64>() / 14.0 * 25.0), Mutu::B);
        assert_eq!(Grading::for_unsur(9).grade(76.475), Mutu::C);
        for (v, want) in [
            (81.26, Mutu::A),
            (81.25, Mutu::B),
            (62.51, Mutu::B),
            (62.50, Mutu::C),
            (43.76, Mutu::C),
            (43.75, Mutu::D),
        ] {
            assert_eq!(g.grade(v), want, "{v}");
        }
        assert!(Grading { a: 80.0, b: 90.0, c: 50.0 }.check().is_err());
        assert!(Grading::KEPMENPAN_25_2004.check().is_ok());
    }

    /// A published 29-respondent example (PermenPANRB 14/2017): per-unsur totals 105, 101,
    /// 100, 116, 102, 105, 106, 105, 115 give IKM 955/(29·9)·25 = 91,475, mutu A.
    #[test]
    fn twenty_nine_respondents_worked_example() {
        let totals = [105u32, 101, 100, 116, 102, 105, 106, 105, 115];
        // Respondents built to those totals: each unsur's 4s first, then 3s, then 2s.
        let mut answers = vec![vec![None; 9]; 29];
        for (u, total) in totals.iter().enumerate() {
            let (mut left, mut r) = (*total, 0usize);
            while r < 29 {
                let rest = (29 - r - 1) as u32;
                let v = [4u32, 3, 2, 1].into_iter().find(|v| left >= v + rest).unwrap_or(1);
                answers[r][u] = Some(v as u8);
                left -= v;
                r += 1;
            }
            assert_eq!(left, 0);
        }
        let x = ikm(&answers, 9, None);
        assert!((x.konversi.expect("k") - 955.0 / 261.0 * 25.0).abs() < 1e-9);
        assert!((x.konversi.expect("k") - 91.475).abs() < 1e-3);
        assert_eq!(x.mutu, Some(Mutu::A));
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
