//! Running the independent Python oracles that scripts/bootstrap.sh installs.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The workspace root (two levels above this crate).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of the workspace, by its path from the root.
pub fn path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// The Python with the pinned oracle packages. Oracle tests fail, never skip,
/// when it is missing: `make test` installs it.
fn python() -> PathBuf {
    let python = std::env::var_os("CORPUSCOPE_ORACLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".cache/venv/bin/python"));
    assert!(
        python.exists(),
        "oracle Python not found at {}: run scripts/bootstrap.sh (make test does)",
        python.display()
    );
    python
}

/// Runs `tests/oracle/<script>` with `args`, feeding `stdin`; returns its stdout.
pub fn run(script: &str, args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new(python())
        .arg(root().join("tests/oracle").join(script))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the oracle");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    // Write from another thread so a large input cannot deadlock on a full pipe.
    let writer = std::thread::spawn(move || input.write_all(&stdin));
    let out = child.wait_with_output().expect("run the oracle");
    writer
        .join()
        .expect("writer thread")
        .expect("feed the oracle");
    assert!(
        out.status.success(),
        "oracle {script} failed: {}",
        out.status
    );
    String::from_utf8(out.stdout).expect("oracle output is UTF-8")
}
