//! The `corpuscope` binary as a user runs it: on the demo corpus plus a broken
//! file, all cores, its report equal to the engine's built on one thread.

use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::ReadOptions;
use corpuscope_core::pipeline::{Analysis, Pipeline};
use corpuscope_core::report::Report;
use corpuscope_core::tokenize::TokenCounter;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpuscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_corpuscope"))
        .args(args)
        .output()
        .expect("run corpuscope")
}

/// Runs `corpuscope scan FILE --report REPORT EXTRA…`, which must succeed;
/// the report it wrote and its stderr.
fn scan_report(file: &Path, report: &Path, extra: &[&str]) -> (Report, String) {
    let mut args = vec![
        "scan",
        file.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = corpuscope(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let written = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    (written, stderr)
}

/// The first `lines` demo documents, written to `dir/head.jsonl`.
fn demo_head(dir: &Path, lines: usize) -> PathBuf {
    let demo = std::fs::read(root().join("assets/corpus/demo.jsonl")).unwrap();
    let head: Vec<u8> = demo
        .split_inclusive(|&b| b == b'\n')
        .take(lines)
        .flatten()
        .copied()
        .collect();
    let file = dir.join("head.jsonl");
    std::fs::write(&file, &head).unwrap();
    file
}

/// The report the engine gives reading `files` one after the other on one thread.
fn engine_report(files: &[(&str, &[u8])], params: DedupParams) -> Report {
    let json =
        std::fs::read(root().join("assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json")).unwrap();
    let counter = TokenCounter::from_json(&json).unwrap();
    let mut analysis = Analysis::new(counter, params, false).unwrap();
    let mut pipeline = Pipeline::new("gpt2-bytelevel-bpe", params).unwrap();
    for (name, bytes) in files {
        let whole = (bytes.len().max(1), usize::MAX);
        pipeline
            .read_file(
                *name,
                ReadOptions::default(),
                *bytes,
                whole,
                |docs| analysis.analyze(None, docs),
                |_| {},
            )
            .unwrap();
    }
    pipeline.finish().unwrap().report
}

#[test]
fn scan_reports_what_the_engine_computes() {
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let demo = root().join("assets/corpus/demo.jsonl");
    let demo_bytes = std::fs::read(&demo).unwrap();
    // The first 1,500 demo lines, then a broken file beside them.
    let head: Vec<u8> = demo_bytes
        .split_inclusive(|&b| b == b'\n')
        .take(1500)
        .flatten()
        .copied()
        .collect();
    let good = dir.join("good.jsonl");
    std::fs::write(&good, &head).unwrap();
    let broken = dir.join("broken.jsonl");
    let broken_bytes =
        b"{\"text\":\"fine\",\"source\":\"s\"}\n{oops\n\n[1,2]\n{\"text\":\"also fine\"}\n";
    std::fs::write(&broken, broken_bytes).unwrap();
    let report_path = dir.join("report.json");
    let out = corpuscope(&[
        "scan",
        good.to_str().unwrap(),
        broken.to_str().unwrap(),
        "--threads",
        "2",
        "--bands",
        "16",
        "--rows",
        "7",
        "--report",
        report_path.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("legal"), "{stdout}");
    assert!(stderr.contains("broken.jsonl:2: invalid JSON"), "{stderr}");
    assert!(
        stderr.contains("broken.jsonl:4: expected a JSON object"),
        "{stderr}"
    );

    let written: Report = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    let mut params = DedupParams::default();
    (params.minhash.bands, params.minhash.rows) = (16, 7);
    let expected = engine_report(
        &[("good.jsonl", &head), ("broken.jsonl", broken_bytes)],
        params,
    );
    assert_eq!(written, expected);
    assert_eq!(written.files[1].documents_loaded, 2);
    assert_eq!(written.files[1].documents_rejected, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn vector_field_rejects_bad_vectors() {
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-vec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("v.jsonl");
    let lines = [
        r#"{"text":"one","emb":[0.1,0.2,0.3]}"#,
        r#"{"text":"two","emb":[0.1,0.2]}"#,
        r#"{"text":"three","emb":[0.1,"NaN",0.3]}"#,
        r#"{"text":"four","emb":[1,2,3]}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let report_path = dir.join("report.json");
    let scan = |extra: &[&str]| scan_report(&file, &report_path, extra);
    let (report, stderr) = scan(&["--vector-field", "emb"]);
    assert_eq!(report.files[0].documents_loaded, 2);
    assert_eq!(report.files[0].documents_rejected, 2);
    assert!(
        stderr.contains("v.jsonl:2: vector field \"emb\": 2 values, expected 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("v.jsonl:3: vector field \"emb\": value 1 is the string \"NaN\""),
        "{stderr}"
    );
    // Without the option, the vectors are not read.
    let (report, _) = scan(&[]);
    assert_eq!(report.files[0].documents_loaded, 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_tokenizer_and_bad_threshold_are_clear_errors() {
    let demo = root().join("assets/corpus/demo.jsonl");
    let demo = demo.to_str().unwrap();
    let out = corpuscope(&["scan", demo, "--tokenizer", "nope"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no tokenizer \"nope\""));
    let out = corpuscope(&["scan", demo, "--threshold", "1.5"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}

/// `--scheme permutations` makes the classic K-permutation signatures (the
/// engine's report with that scheme); the default is one-permutation hashing;
/// `--help` documents the flag.
#[test]
fn scheme_flag_picks_the_signature_scheme() {
    use corpuscope_core::dedup::MinHashScheme;
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-scheme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = demo_head(&dir, 300);
    let report_path = dir.join("report.json");
    let scan = |extra: &[&str]| scan_report(&file, &report_path, extra).0;
    let default = scan(&[]);
    assert_eq!(
        default.dedup.params.minhash.scheme,
        MinHashScheme::OnePermutation
    );
    let classic = scan(&["--scheme", "permutations"]);
    let mut params = DedupParams::default();
    params.minhash.scheme = MinHashScheme::Permutations;
    assert_eq!(
        classic,
        engine_report(&[("head.jsonl", &std::fs::read(&file).unwrap())], params)
    );
    assert_eq!(scan(&["--scheme", "one-permutation"]), default);
    assert!(!corpuscope(&["scan", "x", "--scheme", "other"])
        .status
        .success());
    let help = corpuscope(&["scan", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--scheme")
            && help.contains("one-permutation")
            && help.contains("permutations"),
        "{help}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn chat_files_give_per_role_figures() {
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-chat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = root().join("tests/fixtures/chat");
    let sharegpt = fixtures.join("sharegpt.jsonl");
    let openai = fixtures.join("openai.jsonl");
    let report_path = dir.join("report.json");
    let out = corpuscope(&[
        "scan",
        sharegpt.to_str().unwrap(),
        openai.to_str().unwrap(),
        "--report",
        report_path.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "note: sharegpt.jsonl: conversations: ShareGPT conversations (conversations: from/value, system)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(
        stdout.contains("conversations (tokens per role"),
        "{stdout}"
    );
    assert!(stdout.contains("assistant share"), "{stdout}");
    let written: Report = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    let expected = engine_report(
        &[
            ("sharegpt.jsonl", &std::fs::read(&sharegpt).unwrap()),
            ("openai.jsonl", &std::fs::read(&openai).unwrap()),
        ],
        DedupParams::default(),
    );
    assert_eq!(written, expected);
    let c = &written.chat.overall;
    assert_eq!((c.conversations, c.plain_documents), (8, 0));
    assert!(c.role_tokens.user > 0 && c.role_tokens.assistant > 0 && c.role_tokens.tool > 0);
    assert!(c.assistant_share > 0.0 && c.assistant_share < 1.0);
    assert_eq!(written.chat.sources["sharegpt.jsonl"].conversations, 3);
    assert!(written.chat.sources["openai.jsonl"]
        .assistant_user_ratio
        .is_some());
    // Choosing a plain field reads it, with a warning.
    let (plain, stderr) = scan_report(&sharegpt, &report_path, &["--text-field", "id"]);
    assert!(
        stderr.contains("warning: sharegpt.jsonl: the text field \"id\" is read as plain text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: sharegpt.jsonl: the text field \"id\" looks like identifiers"),
        "{stderr}"
    );
    assert_eq!(plain.chat, Default::default());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plain_reports_have_empty_chat_figures_and_old_reports_read() {
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-plain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let demo = root().join("assets/corpus/demo.jsonl");
    let report_path = dir.join("report.json");
    let (report, stderr) = scan_report(&demo, &report_path, &[]);
    assert!(
        !stderr.contains("warning:") && !stderr.contains("note:"),
        "{stderr}"
    );
    assert_eq!(report.chat, Default::default());
    assert!(report.chat_rows().is_empty());
    // A report written before the chat figures existed reads the same.
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    json.as_object_mut().unwrap().remove("chat");
    let old: Report = serde_json::from_value(json).unwrap();
    assert_eq!(old, report);
    // An identifier detected as the text is a warning before the scan.
    let ids = dir.join("ids.jsonl");
    std::fs::write(
        &ids,
        "{\"id\":\"QWJhYvA_0\",\"n\":1}\n{\"id\":\"i6IyJda_12\",\"n\":2}\n",
    )
    .unwrap();
    let (_, stderr) = scan_report(&ids, &report_path, &[]);
    assert!(
        stderr.contains("warning: ids.jsonl: the text field \"id\" looks like identifiers"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scan_reads_an_archive_member_by_member() {
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zip = root().join("tests/fixtures/containers/shards.zip");
    let report_path = dir.join("report.json");
    let out = corpuscope(&[
        "scan",
        zip.to_str().unwrap(),
        "--report",
        report_path.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let report: Report = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    let members: Vec<(&str, u64)> = report.files[0]
        .members
        .iter()
        .map(|m| (m.file.as_str(), m.documents_loaded))
        .collect();
    assert_eq!(
        members,
        [
            ("shards.zip/a.jsonl", 4),
            ("shards.zip/dir/b.csv", 4),
            ("shards.zip/c.jsonl.gz", 4),
            ("shards.zip/d.jsonl", 4)
        ]
    );
    assert!(
        stdout.contains("  shards.zip/dir/b.csv: 4 documents loaded, 0 rejected"),
        "{stdout}"
    );
    assert!(
        stderr.contains("shards.zip/README.md:0: skipped: not a data file by its name"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn quality_labels_are_reported_when_asked() {
    let dir = std::env::temp_dir().join(format!("corpuscope-cli-quality-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = demo_head(&dir, 300);
    let report_path = dir.join("report.json");
    let (plain, _) = scan_report(&file, &report_path, &[]);
    assert!(plain.quality.is_none());
    let (labelled, _) = scan_report(&file, &report_path, &["--quality"]);
    let quality = labelled.quality.expect("a quality section");
    assert_eq!(quality.overall.documents, 300);
    assert_eq!(
        quality.sources.values().map(|s| s.documents).sum::<u64>(),
        300
    );
    // Everything else is the same report.
    assert_eq!(labelled.tokens, plain.tokens);
    assert_eq!(labelled.dedup, plain.dedup);
    std::fs::remove_dir_all(&dir).unwrap();
}
