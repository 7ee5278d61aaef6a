//! The executive summary's findings, written from the computed numbers.
//!
//! Each finding states an effect with its 95% interval and never claims more than the numbers
//! allow: an interval that contains zero is "belum dapat disimpulkan" (cannot yet be concluded),
//! and a rejected pre-trend test makes the comparison "tidak kredibel" whatever the estimate.
//! Plain data in, sentences out, in the report language.

use crate::i18n::{Lang, count, num, pval, tr};

/// Significance level of the pre-trend test below which a comparison is not credible.
pub const PRETEST_ALPHA: f64 = 0.05;

/// One comparison-group estimate: an overall effect with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// Indicator key, e.g. `capaian_iki`, `ikm_konversi`.
    pub indikator: String,
    /// `semua`, `jenis_unit_tujuan=Puskesmas`, … or for unit effects the analysis name.
    pub group: String,
    pub att: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub pretest_p: Option<f64>,
    /// Transferred employees (or treated units) behind the estimate.
    pub n_treated: u64,
    /// Effect on units (a new head, a dokter's arrival) rather than on employees.
    pub unit: bool,
}

/// How a finding reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Up,
    Down,
    /// The interval contains zero.
    Inconclusive,
    /// The pre-trend test rejects parallel trends.
    NotCredible,
}

impl Verdict {
    pub fn of(e: &Effect) -> Verdict {
        if e.pretest_p.is_some_and(|p| p < PRETEST_ALPHA) {
            Verdict::NotCredible
        } else if !(e.ci_low.is_finite() && e.ci_high.is_finite()) || (e.ci_low <= 0.0 && e.ci_high >= 0.0) {
            Verdict::Inconclusive
        } else if e.att > 0.0 {
            Verdict::Up
        } else {
            Verdict::Down
        }
    }

    /// CSS class and short label.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Up => "naik",
            Verdict::Down => "turun",
            Verdict::Inconclusive => "belum",
            Verdict::NotCredible => "tidak-kredibel",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub text: String,
    pub verdict: Option<Verdict>,
}

/// Readable name of an indicator.
pub fn indikator_label(key: &str, lang: Lang) -> String {
    let (id, en) = match key {
        "capaian_iki" => ("nilai capaian IKI", "the IKI attainment score"),
        "predikat" => ("predikat kinerja", "the performance rating"),
        "nilai_skp" => ("nilai SKP", "the SKP score"),
        "ikm_konversi" => ("IKM (indeks kepuasan masyarakat)", "the IKM (public satisfaction index)"),
        "kunjungan" => ("jumlah kunjungan", "the number of visits"),
        "waktu_tunggu_menit" => ("waktu tunggu", "waiting time"),
        other => return other.replace('_', " "),
    };
    match lang {
        Lang::Id => id.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Unit word of an indicator's changes.
fn unit_word(key: &str, lang: Lang) -> &'static str {
    match (key, lang) {
        ("kunjungan", Lang::Id) => "kunjungan",
        ("kunjungan", Lang::En) => "visits",
        ("waktu_tunggu_menit", Lang::Id) => "menit",
        ("waktu_tunggu_menit", Lang::En) => "minutes",
        (_, Lang::Id) => "poin",
        (_, Lang::En) => "points",
    }
}

/// "Setelah mutasi ke Puskesmas" from a subgroup key, or the unit analysis' event.
fn event_phrase(e: &Effect, lang: Lang) -> String {
    if e.unit {
        let what = match (e.group.as_str(), lang) {
            ("kepala_puskesmas_baru", Lang::Id) => "kepala Puskesmas baru datang".to_string(),
            ("kepala_puskesmas_baru", Lang::En) => "a new Puskesmas head arrived".to_string(),
            ("kedatangan_dokter", Lang::Id) => "dokter baru datang".to_string(),
            ("kedatangan_dokter", Lang::En) => "a new doctor arrived".to_string(),
            (g, _) => g.replace('_', " "),
        };
        return match lang {
            Lang::Id => format!("Setelah {what}"),
            Lang::En => format!("After {what}"),
        };
    }
    let (dim, value) = e.group.split_once('=').unwrap_or((e.group.as_str(), ""));
    let tail = match (dim, value, lang) {
        ("semua", _, _) => String::new(),
        ("jenis_unit_tujuan", v, Lang::Id) => format!(" ke {v}"),
        ("jenis_unit_tujuan", v, Lang::En) => format!(" to a {v}"),
        ("jenis_mutasi", v, Lang::Id) => format!(" berupa {v}"),
        ("jenis_mutasi", v, Lang::En) => format!(" by {v}"),
        ("diminta", "ya", Lang::Id) => " atas permohonan sendiri".into(),
        ("diminta", "ya", Lang::En) => " requested by the employee".into(),
        ("diminta", _, Lang::Id) => " tanpa permohonan".into(),
        ("diminta", _, Lang::En) => " not requested by the employee".into(),
        ("pelatihan", "ya", Lang::Id) => " yang diikuti pelatihan".into(),
        ("pelatihan", "ya", Lang::En) => " followed by training".into(),
        ("pelatihan", _, Lang::Id) => " tanpa pelatihan".into(),
        ("pelatihan", _, Lang::En) => " without training".into(),
        (d, v, _) => format!(" ({d} {v})"),
    };
    match lang {
        Lang::Id => format!("Setelah mutasi{tail}"),
        Lang::En => format!("After a transfer{tail}"),
    }
}

/// Decimals that keep an effect and its interval distinguishable: 2 below 1 in size, else 1.
fn decimals(e: &Effect) -> usize {
    let size =
        [e.att, e.ci_low, e.ci_high].iter().filter(|x| x.is_finite()).fold(0.0_f64, |m, x| m.max(x.abs()));
    if size < 1.0 { 2 } else { 1 }
}

/// The interval in words: "IK 95%: 1,1–5,3", or "IK 95%: −8,8 s.d. −3,9" when a bound is negative.
fn interval(e: &Effect, lang: Lang) -> String {
    let (ci, to) = match lang {
        Lang::Id => ("IK 95%", " s.d. "),
        Lang::En => ("95% CI", " to "),
    };
    let d = decimals(e);
    let sep = if e.ci_low < 0.0 || e.ci_high < 0.0 { to } else { "–" };
    format!("{ci}: {}{sep}{}", num(e.ci_low, d, lang), num(e.ci_high, d, lang))
}

/// "= 0,012" or "< 0,001".
pub fn p_phrase(p: f64, lang: Lang) -> String {
    let v = pval(p, lang);
    if v.starts_with('<') { v } else { format!("= {v}") }
}

/// One effect as a sentence.
pub fn sentence(e: &Effect, lang: Lang) -> Finding {
    let verdict = Verdict::of(e);
    let event = event_phrase(e, lang);
    let label = indikator_label(&e.indikator, lang);
    let unit = unit_word(&e.indikator, lang);
    let d = decimals(e);
    let size = num(e.att.abs(), d, lang);
    let who = match (e.unit, lang) {
        (false, Lang::Id) => format!("{} pegawai bermutasi", count(e.n_treated, lang)),
        (false, Lang::En) => format!("{} transferred employees", count(e.n_treated, lang)),
        (true, Lang::Id) => format!("{} unit", count(e.n_treated, lang)),
        (true, Lang::En) => format!("{} units", count(e.n_treated, lang)),
    };
    let text = match (verdict, lang) {
        (Verdict::Up | Verdict::Down, Lang::Id) => format!(
            "{event}, {label} {} rata-rata {size} {unit} ({}) dibanding pembanding; {who}.",
            if verdict == Verdict::Up { tr("naik", lang) } else { tr("turun", lang) },
            interval(e, lang)
        ),
        (Verdict::Up | Verdict::Down, Lang::En) => format!(
            "{event}, {label} {} by {size} {unit} on average ({}) relative to the comparison group; {who}.",
            if verdict == Verdict::Up { tr("naik", lang) } else { tr("turun", lang) },
            interval(e, lang)
        ),
        (Verdict::Inconclusive, Lang::Id) => format!(
            "{event}, perubahan {label} belum dapat disimpulkan: rata-rata {} {unit} ({}), rentang yang memuat nol; {who}.",
            num(e.att, d, lang),
            interval(e, lang)
        ),
        (Verdict::Inconclusive, Lang::En) => format!(
            "{event}, the change in {label} cannot yet be concluded: {} {unit} on average ({}), a range that includes zero; {who}.",
            num(e.att, d, lang),
            interval(e, lang)
        ),
        (Verdict::NotCredible, Lang::Id) => format!(
            "{event}, perbandingan untuk {label} tidak kredibel: kelompok sudah berbeda arah sebelum mutasi (uji pra-tren p {}), sehingga angka {} {unit} tidak dapat dibaca sebagai efek.",
            p_phrase(e.pretest_p.unwrap_or(f64::NAN), lang),
            num(e.att, d, lang)
        ),
        (Verdict::NotCredible, Lang::En) => format!(
            "{event}, the comparison for {label} is not credible: the groups already diverged before the transfer (pre-trend test p {}), so the {} {unit} cannot be read as an effect.",
            p_phrase(e.pretest_p.unwrap_or(f64::NAN), lang),
            num(e.att, d, lang)
        ),
    };
    Finding { text, verdict: Some(verdict) }
}

/// Three to six findings: the overall effect of each staff indicator, then the subgroups and
/// unit effects with the strongest evidence (|t|), then `facts` (descriptive sentences) until
/// there are at least three.
pub fn findings(effects: &[Effect], facts: &[String], lang: Lang) -> Vec<Finding> {
    let usable: Vec<&Effect> = effects.iter().filter(|e| e.att.is_finite()).collect();
    let mut out: Vec<Finding> = Vec::new();
    for e in usable.iter().filter(|e| !e.unit && e.group == "semua").take(3) {
        out.push(sentence(e, lang));
    }
    let strength = |e: &Effect| {
        let se = (e.ci_high - e.ci_low) / (2.0 * 1.959_963_984_540_054);
        if se > 0.0 && se.is_finite() { (e.att / se).abs() } else { 0.0 }
    };
    let mut rest: Vec<&Effect> = usable.iter().copied().filter(|e| e.unit || e.group != "semua").collect();
    rest.sort_by(|a, b| {
        strength(b)
            .total_cmp(&strength(a))
            .then_with(|| (&a.indikator, &a.group).cmp(&(&b.indikator, &b.group)))
    });
    let mut subgroups = 0;
    let mut units = 0;
    for e in rest {
        if out.len() >= 6 {
            break;
        }
        if e.unit && units < 2 {
            units += 1;
            out.push(sentence(e, lang));
        } else if !e.unit && subgroups < 2 {
            subgroups += 1;
            out.push(sentence(e, lang));
        }
    }
    for f in facts {
        if out.len() >= 3 {
            break;
        }
        out.push(Finding { text: f.clone(), verdict: None });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(group: &str, att: f64, lo: f64, hi: f64, p: Option<f64>) -> Effect {
        Effect {
            indikator: "capaian_iki".into(),
            group: group.into(),
            att,
            ci_low: lo,
            ci_high: hi,
            pretest_p: p,
            n_treated: 240,
            unit: false,
        }
    }

    #[test]
    fn clear_effect_with_its_interval() {
        let f = sentence(&effect("jenis_unit_tujuan=Puskesmas", 3.2, 1.1, 5.3, Some(0.4)), Lang::Id);
        assert_eq!(f.verdict, Some(Verdict::Up));
        assert_eq!(
            f.text,
            "Setelah mutasi ke Puskesmas, nilai capaian IKI naik rata-rata 3,2 poin (IK 95%: 1,1–5,3) dibanding pembanding; 240 pegawai bermutasi."
        );
        let en = sentence(&effect("semua", -2.0, -3.5, -0.5, None), Lang::En);
        assert_eq!(en.verdict, Some(Verdict::Down));
        assert!(
            en.text.starts_with("After a transfer, the IKI attainment score fell by 2.0 points"),
            "{}",
            en.text
        );
        assert!(en.text.contains("(95% CI: −3.5 to −0.5)"), "{}", en.text);
        let small = sentence(&effect("semua", 0.12, 0.04, 0.2, None), Lang::Id);
        assert!(
            small.text.contains("0,12 poin (IK 95%: 0,04–0,20)"),
            "two decimals for small effects: {}",
            small.text
        );
    }

    /// An interval through zero never reads as a change.
    #[test]
    fn interval_through_zero_is_inconclusive() {
        let f = sentence(&effect("semua", 1.4, -0.3, 3.1, Some(0.6)), Lang::Id);
        assert_eq!(f.verdict, Some(Verdict::Inconclusive));
        assert!(f.text.contains("belum dapat disimpulkan"), "{}", f.text);
        assert!(!f.text.contains(" naik "), "{}", f.text);
        let missing = sentence(&effect("semua", 1.4, f64::NAN, f64::NAN, None), Lang::En);
        assert_eq!(missing.verdict, Some(Verdict::Inconclusive));
        assert!(missing.text.contains("cannot yet be concluded"));
    }

    /// A rejected pre-trend test overrides even a clear interval.
    #[test]
    fn rejected_pretrend_is_not_credible() {
        let f = sentence(&effect("semua", 4.0, 2.0, 6.0, Some(0.003)), Lang::Id);
        assert_eq!(f.verdict, Some(Verdict::NotCredible));
        assert!(f.text.contains("tidak kredibel") && f.text.contains("p = 0,003"), "{}", f.text);
        assert!(!f.text.contains("naik"), "{}", f.text);
    }

    #[test]
    fn unit_effects_read_as_arrivals() {
        let e = Effect {
            indikator: "ikm_konversi".into(),
            group: "kepala_puskesmas_baru".into(),
            att: 2.5,
            ci_low: 0.4,
            ci_high: 4.6,
            pretest_p: None,
            n_treated: 6,
            unit: true,
        };
        let f = sentence(&e, Lang::Id);
        assert!(f.text.starts_with("Setelah kepala Puskesmas baru datang, IKM"), "{}", f.text);
        assert!(f.text.ends_with("6 unit."), "{}", f.text);
    }

    /// Overall effects first, at most two subgroups and two unit effects, three to six in all,
    /// facts only to reach three.
    #[test]
    fn selection_and_bounds() {
        let mut effects = vec![effect("semua", 1.0, 0.5, 1.5, None)];
        for (i, g) in
            ["jenis_mutasi=rotasi", "jenis_mutasi=promosi", "jenis_unit_tujuan=Sekolah"].iter().enumerate()
        {
            effects.push(effect(g, 1.0 + i as f64, 0.0 + i as f64, 2.0 + i as f64, None));
        }
        let facts = vec!["fakta".to_string()];
        let f = findings(&effects, &facts, Lang::Id);
        assert_eq!(f.len(), 3, "overall + two strongest subgroups");
        assert!(f[0].text.starts_with("Setelah mutasi,"));
        assert!(f[1].text.contains("ke Sekolah"), "strongest first: {}", f[1].text);
        let few = findings(&effects[..1], &["a".into(), "b".into(), "c".into()], Lang::Id);
        assert_eq!(few.len(), 3);
        assert_eq!(few[2].text, "b");
        assert!(findings(&[], &[], Lang::Id).is_empty());
    }
}
