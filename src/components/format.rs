//! Formatting numbers and dates for display.

pub use corpuscope_core::report::thousands;

/// A byte count in B, KB, MB or GB (powers of 1000, as file managers show).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A local date and time from milliseconds since the epoch.
pub fn date(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// One CSV field, quoted when it needs to be (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Rejected records as CSV with a header row.
pub fn problems_csv(problems: &[crate::storage::ProblemRecord]) -> String {
    let mut out = String::from("file,line,reason\n");
    for p in problems {
        out.push_str(&format!(
            "{},{},{}\n",
            csv_field(&p.file),
            p.line,
            csv_field(&p.reason)
        ));
    }
    out
}
