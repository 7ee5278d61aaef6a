//! `mutasi report` on `sample_data/`: the README's main command writes the Dinas Kesehatan and the
//! monthly report; the page is self-contained, private and loads in a real headless browser
//! without errors or network requests; its text sections match their snapshots; the workbook
//! carries the same tables and suppression; a re-run writes identical files.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::util::*;

const PERIOD: &str = "2025-12";

fn repo(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel).display().to_string()
}

/// Runs `mutasi report` for `specs` on sample_data/ into `out`.
fn report(out: &Path, specs: &[&str], lang: &str) -> Run {
    let mut args = vec![
        "report".to_string(),
        "--input".into(),
        repo("sample_data"),
        "--config".into(),
        repo("sample_data/mutasi.toml"),
        "--queries".into(),
        repo("queries"),
        "--out".into(),
        out.display().to_string(),
        "--period".into(),
        PERIOD.into(),
        "--lang".into(),
        lang.into(),
    ];
    for s in specs {
        args.push("--spec".into());
        args.push(repo(&format!("reports/{s}.toml")));
    }
    run(&args)
}

/// Both shipped reports in Indonesian, built once for the tests below.
fn reports() -> &'static (PathBuf, Run) {
    static ONCE: OnceLock<(PathBuf, Run)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let dir = Box::leak(Box::new(Scratch::new())).path("laporan");
        let r = report(&dir, &["dinas-kesehatan", "bulanan"], "id");
        (dir, r)
    })
}

fn folder(spec: &str) -> PathBuf {
    let (dir, r) = reports();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    dir.join(spec).join(PERIOD)
}

fn html(spec: &str) -> String {
    std::fs::read_to_string(folder(spec).join("report.html")).expect("report.html")
}

/// Chart names (file stems) under grafik/ with the given extension.
fn charts(spec: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(folder(spec).join("grafik"))
        .expect("grafik/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    v.sort();
    v
}

/// The visible text of one `<section id=…>`: tags removed, charts left out, a line per block.
fn section_text(page: &str, id: &str) -> String {
    let start = page.find(&format!("<section id=\"{id}\">")).expect("section");
    let end = start + page[start..].find("</section>").expect("end of section");
    let mut body = page[start..end].to_string();
    while let Some(a) = body.find("<figure") {
        let b = a + body[a..].find("</figure>").expect("figure end") + "</figure>".len();
        body.replace_range(a..b, "[grafik]\n");
    }
    for (tag, with) in [
        ("</li>", "\n"),
        ("</p>", "\n"),
        ("</h2>", "\n"),
        ("</h3>", "\n"),
        ("</tr>", "\n"),
        ("</caption>", "\n"),
        ("</td>", " | "),
        ("</th>", " | "),
    ] {
        body = body.replace(tag, with);
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n") + "\n"
}

/// Compares with `tests/snapshots/<name>`; `UPDATE_SNAPSHOTS=1` rewrites it.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_SNAPSHOTS=1 once", path.display()));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .filter(|(a, b)| a != b)
            .take(5)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!("{name} differs from its snapshot (UPDATE_SNAPSHOTS=1 to accept):\n{}", diff.join("\n"));
    }
}

#[test]
fn the_main_command_writes_both_reports_and_prints_their_paths() {
    let (dir, r) = reports();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for spec in ["dinas-kesehatan", "bulanan"] {
        let page = dir.join(spec).join(PERIOD).join("report.html");
        assert!(
            r.stdout.contains(&page.display().to_string()),
            "path of {spec}'s report.html printed: {}",
            r.stdout
        );
        for f in ["report.html", "report.xlsx", "run.json", "event_study.parquet", "kueri"] {
            assert!(folder(spec).join(f).exists(), "{spec}/{f}");
        }
        // Every chart as SVG and PNG.
        let svg = charts(spec, "svg");
        assert_eq!(svg, charts(spec, "png"), "{spec}: an SVG and a PNG per chart");
        for prefix in [
            "studi_peristiwa_",
            "sebelum_sesudah_",
            "sebaran_delta_",
            "layanan_",
            "arus_opd",
            "jumlah_pegawai_",
        ] {
            assert!(svg.iter().any(|c| c.starts_with(prefix)), "{spec}: no {prefix} chart in {svg:?}");
        }
    }
    // The monthly report has the request-process section with its three charts.
    let monthly = html("bulanan");
    assert!(monthly.contains("Proses permohonan mutasi"), "request section");
    for c in ["permohonan_alur", "permohonan_lama_keputusan", "permohonan_persetujuan"] {
        assert!(charts("bulanan", "svg").contains(&c.to_string()), "{c}");
        assert!(monthly.contains(&format!("data-chart=\"{c}\"")), "{c} in the page");
    }
    // The case study adds the requested-vs-assigned and training subgroups, training worded as
    // an association.
    let case = html("dinas-kesehatan");
    assert!(case.contains("<caption>Selisih antar-subkelompok</caption>"), "subgroup differences");
    assert!(case.contains("ya − tidak") && case.contains("bukan efek sebab-akibat pelatihan"));
    // The case study is scoped to its OPD: its waterfall is the Health Office's.
    assert!(charts("dinas-kesehatan", "svg").contains(&"jumlah_pegawai_dinas_kesehatan".to_string()));
}

/// One file, no script, nothing fetched, every chart inline, no names, NIPs or employee ids.
#[test]
fn the_page_is_self_contained_and_private() {
    for spec in ["dinas-kesehatan", "bulanan"] {
        let page = html(spec);
        assert!(page.contains("Content-Security-Policy") && page.contains("default-src 'none'"));
        for bad in ["<script", "<link", "<img", "<iframe", "@import", "url(", " src="] {
            assert!(!page.contains(bad), "{spec}: {bad}");
        }
        let without_xmlns = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !without_xmlns.contains("http://") && !without_xmlns.contains("https://"),
            "{spec}: an external address"
        );
        assert_eq!(page.matches("<figure").count(), charts(spec, "svg").len(), "{spec}: every chart inline");
        assert_eq!(page.matches("<svg").count(), charts(spec, "svg").len());
        // No NIP (18 digits), no employee name, no pseudonymous id.
        let digits = page.as_bytes().windows(18).any(|w| w.iter().all(u8::is_ascii_digit));
        assert!(!digits, "{spec}: an 18-digit number (NIP?) in the page");
        let people = std::fs::read_to_string(repo("sample_data/pegawai.csv")).expect("pegawai.csv");
        let mut reader = csv::Reader::from_reader(people.as_bytes());
        for row in reader.records().take(300) {
            let row = row.expect("row");
            let name = row.get(1).unwrap_or("").split(',').next().unwrap_or("").trim().to_string();
            if name.len() > 6 {
                assert!(!page.contains(&name), "{spec}: employee name {name}");
            }
        }
        assert!(!page.contains("pegawai_id"), "{spec}: employee ids");
        // Small groups are suppressed, with their complements.
        assert!(page.contains("class=\"ditekan\""), "{spec}: suppressed cells are marked");
    }
}

/// The executive summary and the data-quality section, word for word.
#[test]
fn text_sections_match_their_snapshots() {
    let page = html("dinas-kesehatan");
    let summary = section_text(&page, "ringkasan");
    // Three to six findings, each with its interval or an honest "cannot conclude".
    let findings =
        page.split("<ul class=\"temuan\">").nth(1).and_then(|s| s.split("</ul>").next()).expect("findings");
    let n = findings.matches("<li").count();
    assert!((3..=6).contains(&n), "{n} findings");
    assert!(summary.contains("IK 95%"), "{summary}");
    snapshot("dinas-kesehatan_ringkasan_id.txt", &summary);
    snapshot("dinas-kesehatan_kualitas_id.txt", &section_text(&page, "kualitas"));
    snapshot("bulanan_permohonan_id.txt", &section_text(&html("bulanan"), "permohonan"));
}

/// The workbook: the summary and the key tables as sheets, numbers as numbers, the same cells
/// suppressed as on the page.
#[test]
fn the_workbook_carries_the_key_tables() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(folder("dinas-kesehatan").join("report.xlsx")).expect("report.xlsx");
    let names = wb.sheet_names();
    for s in ["Ringkasan eksekutif", "Kualitas data", "Efek mutasi", "Sebelum-sesudah", "Efek layanan unit"] {
        assert!(names.iter().any(|n| n == s), "sheet {s} in {names:?}");
    }
    let summary = wb.worksheet_range("Ringkasan eksekutif").expect("summary");
    let first = summary.get_value((3, 0)).map(|d| d.to_string()).unwrap_or_default();
    assert!(first.starts_with("Setelah") || first.starts_with("Dalam"), "a finding: {first}");
    let prepost = wb.worksheet_range("Sebelum-sesudah").expect("sheet");
    let cells: Vec<&Data> = prepost.cells().map(|(_, _, d)| d).collect();
    let hidden = cells.iter().filter(|d| matches!(d, Data::String(s) if s == "—")).count();
    assert!(hidden > 0, "suppressed cells");
    assert!(cells.iter().any(|d| matches!(d, Data::Float(_))), "numbers stay numbers");
    let page = html("dinas-kesehatan");
    let table = page
        .split("<caption>Sebelum dan sesudah mutasi (deskriptif)</caption>")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the before/after table on the page");
    assert_eq!(
        hidden,
        table.matches("class=\"ditekan\"").count(),
        "the same cells hidden on the page and in the workbook"
    );
}

fn chromium() -> String {
    if let Ok(p) = std::env::var("MUTASI_CHROMIUM") {
        return p;
    }
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return c.to_string();
        }
    }
    panic!("no headless browser: install Debian's `chromium` (.ci/run does) or set MUTASI_CHROMIUM");
}

/// Request lines received by a counting proxy.
struct Proxy {
    port: u16,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Proxy {
    fn start() -> Proxy {
        use std::io::Read;
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy");
        let port = listener.local_addr().expect("addr").port();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut stream = stream;
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
                let mut buf = [0u8; 512];
                let n = stream.read(&mut buf).unwrap_or(0);
                let line = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_string();
                if let Ok(mut v) = log.lock() {
                    v.push(line);
                }
            }
        });
        Proxy { port, seen }
    }

    /// Requests that did not come from the browser's own services (time, update, sign-in),
    /// which Chromium contacts whatever page it shows.
    fn page_requests(&self) -> Vec<String> {
        let own = |l: &str| {
            let host = l.split_whitespace().nth(1).unwrap_or("").trim_start_matches("http://");
            let host = host.split(['/', ':']).next().unwrap_or("");
            let google =
                ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"].iter().any(|d| host.ends_with(d));
            google && !host.starts_with("fonts.")
        };
        self.seen.lock().map(|v| v.iter().filter(|l| !own(l)).cloned().collect()).unwrap_or_default()
    }

    fn clear(&self) {
        if let Ok(mut v) = self.seen.lock() {
            v.clear();
        }
    }
}

/// Opens `url` in headless Chromium through `proxy`; returns (success, stdout, stderr).
fn browse(proxy: &Proxy, profile: &Path, url: &str, extra: &[String]) -> (bool, String, String) {
    let out = Command::new(chromium())
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--proxy-server=http://127.0.0.1:{}", proxy.port))
        .arg("--proxy-bypass-list=<-loopback>")
        .args(extra)
        .arg(url)
        .output()
        .expect("run the browser");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn console(stderr: &str) -> Vec<String> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).map(String::from).collect()
}

/// The page in a real browser: it loads without console errors (the page's Content-Security-Policy
/// turns any attempted fetch into one), shows the summary and every chart, prints to PDF on
/// several pages, and sends nothing to the network. A page made to break these rules is caught,
/// so the checks work with this machine's browser.
#[test]
fn the_page_loads_in_a_headless_browser_without_network() {
    let proxy = Proxy::start();
    let scratch = Scratch::new();
    let dump = ["--dump-dom".to_string(), "--virtual-time-budget=3000".to_string()];
    // The detector works: a page that fetches an image and a font is caught.
    let bad = scratch.path("bad.html");
    let good_head = html("bulanan");
    let head_end = good_head.find("</head>").expect("head");
    let bad_page = format!(
        "{}<link rel=\"stylesheet\" href=\"http://fonts.example.org/x.css\"></head><body><img src=\"http://example.org/x.png\"></body></html>",
        &good_head[..head_end]
    );
    std::fs::write(&bad, bad_page).expect("bad page");
    let (_, _, stderr) = browse(&proxy, &scratch.path("p0"), &format!("file://{}", bad.display()), &dump);
    assert!(console(&stderr).len() >= 2, "blocked fetches are reported: {stderr}");
    // Without the policy the same fetch reaches the proxy.
    let open = scratch.path("open.html");
    std::fs::write(&open, "<!DOCTYPE html><html><body><img src=\"http://example.org/x.png\"></body></html>")
        .expect("page");
    browse(&proxy, &scratch.path("p3"), &format!("file://{}", open.display()), &dump);
    let sent = proxy.page_requests();
    assert!(sent.iter().any(|l| l.contains("example.org")), "the proxy sees page requests: {sent:?}");
    proxy.clear();

    let page = folder("bulanan").join("report.html");
    let url = format!("file://{}", page.display());
    let (ok, dom, stderr) = browse(&proxy, &scratch.path("p1"), &url, &dump);
    assert!(ok, "browser failed: {stderr}");
    assert_eq!(console(&stderr), Vec::<String>::new(), "console messages");
    assert!(dom.contains("Ringkasan eksekutif"), "summary shown");
    assert!(dom.contains("class=\"temuan\""), "findings shown");
    assert_eq!(dom.matches("<svg").count(), charts("bulanan", "svg").len(), "every chart in the DOM");
    let pdf = scratch.path("report.pdf");
    let print = [format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer".to_string()];
    let (ok, _, stderr) = browse(&proxy, &scratch.path("p2"), &url, &print);
    assert!(ok, "{stderr}");
    let bytes = std::fs::read(&pdf).expect("report.pdf");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let pages = bytes.windows(11).filter(|w| *w == b"/Type /Page" || w.starts_with(b"/Type/Page")).count();
    assert!(pages >= 3, "the report prints on several A4 pages: {pages}");
    let sent = proxy.page_requests();
    assert!(sent.is_empty(), "requests sent by a page: {sent:?}");
}

/// The English report uses the same numbers with English text; a re-run writes identical files.
#[test]
fn english_report_and_identical_reruns() {
    let s = Scratch::new();
    for out in ["a", "b"] {
        let r = report(&s.path(out), &["dinas-kesehatan"], "en");
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    }
    let page =
        std::fs::read_to_string(s.path("a/dinas-kesehatan").join(PERIOD).join("report.html")).expect("html");
    assert!(page.contains("<html lang=\"en\">") && page.contains("Executive summary"));
    assert!(!page.contains("Ringkasan eksekutif"));
    assert!(page.contains("95% CI"));
    snapshot("dinas-kesehatan_ringkasan_en.txt", &section_text(&page, "ringkasan"));
    let dir = |o: &str| s.path(o).join("dinas-kesehatan").join(PERIOD);
    let mut files = vec!["report.html".to_string(), "report.xlsx".to_string()];
    files.extend(charts_in(&dir("a")));
    for f in files {
        let a = std::fs::read(dir("a").join(&f)).expect("a");
        let b = std::fs::read(dir("b").join(&f)).expect("b");
        assert!(a == b, "{f} differs between two runs");
    }
}

fn charts_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("grafik"))
        .expect("grafik/")
        .filter_map(|e| e.ok())
        .map(|e| format!("grafik/{}", e.file_name().to_string_lossy()))
        .collect();
    v.sort();
    v
}

/// A failing data check: nothing is published, `failed.json` names the gate, and the report that
/// lists the failed check is kept in `<period>.failed/` for the analyst.
#[test]
fn a_failing_check_is_listed_in_a_kept_unpublished_report() {
    let s = Scratch::new();
    let queries = s.path("queries");
    std::fs::create_dir_all(queries.join("checks")).expect("mkdir");
    std::fs::write(
        queries.join("checks/ikm_di_atas_90.sql"),
        "-- Fails on purpose: some unit scores above 90.\nSELECT unit_id, periode FROM ikm_per_unit WHERE ikm_konversi > 90\n",
    )
    .expect("check");
    let out = s.path("out");
    let args = vec![
        "report".to_string(),
        "--input".into(),
        repo("sample_data"),
        "--config".into(),
        repo("sample_data/mutasi.toml"),
        "--queries".into(),
        queries.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--period".into(),
        PERIOD.into(),
        "--spec".into(),
        repo("reports/dinas-kesehatan.toml"),
    ];
    let r = run(&args);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let root = out.join("dinas-kesehatan");
    assert!(!root.join(PERIOD).exists(), "nothing published");
    let failed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(format!("{PERIOD}.failed.json"))).expect("failed.json"),
    )
    .expect("json");
    assert_eq!(failed["gerbang"], "cek");
    let kept = root.join(format!("{PERIOD}.failed")).join("report.html");
    assert!(r.stderr.contains(&root.join(format!("{PERIOD}.failed")).display().to_string()), "{}", r.stderr);
    let page = std::fs::read_to_string(&kept).expect("kept report");
    let quality = section_text(&page, "kualitas");
    assert!(quality.contains("ikm_di_atas_90.sql — gagal"), "{quality}");
    // --force publishes it, with the failed gate in red at the top of the page.
    let mut forced = args.clone();
    forced.push("--force".into());
    let r = run(&forced);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let page = std::fs::read_to_string(root.join(PERIOD).join("report.html")).expect("published");
    let banner = page.split("<p class=\"peringatan\" role=\"alert\">").nth(1).expect("warning banner");
    assert!(banner.contains("PERINGATAN") && banner.contains("ikm_di_atas_90.sql"), "{banner}");
    assert!(!root.join(format!("{PERIOD}.failed")).exists(), "the kept failure is gone once published");
}

/// Every file both reports wrote — Parquet cells decoded with the Apache reader, everything else
/// byte for byte — holds no input NIP and no name; only the owner-only rejects and warnings files
/// keep raw values.
#[test]
fn no_nip_or_name_leaves_the_pipeline() {
    use arrow::array::Array;
    use arrow::util::display::{ArrayFormatter, FormatOptions};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use std::os::unix::fs::PermissionsExt;

    let mut nips: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let people = std::fs::read_to_string(repo("sample_data/pegawai.csv")).expect("pegawai.csv");
    for row in csv::Reader::from_reader(people.as_bytes()).records().flatten() {
        let nip = row.get(0).unwrap_or("").trim().to_string();
        if nip.len() >= 9 {
            nips.push(nip);
        }
        let name = row.get(1).unwrap_or("").split(',').next().unwrap_or("").trim().to_string();
        if name.chars().count() >= 6 {
            names.push(name);
        }
    }
    assert!(nips.len() > 1000 && names.len() > 500);
    // Linear scans: NIPs as runs of digits (and the damaged forms as whole tokens), names by
    // their first word, then the whole name.
    let nip_set: std::collections::HashSet<&str> = nips.iter().map(String::as_str).collect();
    let mut by_first: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for n in &names {
        by_first.entry(n.split_whitespace().next().unwrap_or("")).or_default().push(n);
    }
    let leaks = |text: &str| -> Option<String> {
        for token in text.split(|c: char| c.is_whitespace() || "\"',;:<>()[]{}=|/".contains(c)) {
            if nip_set.contains(token) {
                return Some(token.to_string());
            }
        }
        for run in text.split(|c: char| !c.is_ascii_digit()).filter(|r| r.len() >= 9) {
            if nip_set.contains(run) {
                return Some(run.to_string());
            }
        }
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if let Some(full) = by_first.get(word)
                && let Some(n) = full.iter().find(|n| text.contains(**n))
            {
                return Some(n.to_string());
            }
        }
        None
    };
    assert_eq!(
        leaks("x 198902082013102001 y").as_deref(),
        Some("198902082013102001"),
        "the scan finds a NIP"
    );
    assert!(leaks(&format!("<td>{}</td>", names[0])).is_some(), "the scan finds a name");
    let mut checked = 0;
    for spec in ["dinas-kesehatan", "bulanan"] {
        let dir = folder(spec);
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("ls").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                if name.starts_with("rejects.") || name.starts_with("warnings.") {
                    let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
                    assert_eq!(mode, 0o600, "{}: raw values must be owner-only", p.display());
                    continue;
                }
                checked += 1;
                if name.ends_with(".parquet") {
                    let reader =
                        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&p).expect("open"))
                            .expect("parquet")
                            .build()
                            .expect("reader");
                    for batch in reader {
                        let batch = batch.expect("batch");
                        // Birth dates (and names, NIPs) are never a column without the flag.
                        for field in batch.schema().fields() {
                            assert!(
                                !["nip", "nama", "nama_tampilan", "tanggal_lahir"]
                                    .contains(&field.name().as_str()),
                                "{}: column {}",
                                p.display(),
                                field.name()
                            );
                        }
                        for col in batch.columns() {
                            let f = ArrayFormatter::try_new(col.as_ref(), &FormatOptions::default())
                                .expect("fmt");
                            for i in 0..col.len() {
                                let cell = f.value(i).to_string();
                                if let Some(n) = leaks(&cell) {
                                    panic!("{}: cell `{cell}` holds `{n}`", p.display());
                                }
                            }
                        }
                    }
                } else {
                    let text = String::from_utf8_lossy(&std::fs::read(&p).expect("read")).to_string();
                    if let Some(n) = leaks(&text) {
                        panic!("{}: holds `{n}`", p.display());
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} files searched");
}

/// `--include-identifiers` writes NIPs, says so in the manifest and at the top of the report.
#[test]
fn identities_only_when_asked_and_then_announced() {
    let s = Scratch::new();
    let out = s.path("out");
    let r = run(&[
        "report".to_string(),
        "--input".into(),
        repo("sample_data"),
        "--config".into(),
        repo("sample_data/mutasi.toml"),
        "--out".into(),
        out.display().to_string(),
        "--period".into(),
        PERIOD.into(),
        "--spec".into(),
        repo("reports/bulanan.toml"),
        "--include-identifiers".into(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let dir = out.join("bulanan").join(PERIOD);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(m["identitas_disertakan"], true);
    let page = std::fs::read_to_string(dir.join("report.html")).expect("report");
    let banner = page.split("role=\"alert\">").nth(1).expect("banner");
    assert!(banner.contains("NIP") && banner.contains("UU 27/2022"), "{banner}");
    // Without the flag (the shared reports): no banner, no identities.
    let default = html("bulanan");
    assert!(!default.contains("role=\"alert\""));
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(folder("bulanan").join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(m["identitas_disertakan"], false);
}
