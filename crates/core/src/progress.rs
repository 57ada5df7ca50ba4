//! Progress of a long run: bytes done of total, documents per second, time left.
//!
//! Times are milliseconds from any fixed origin, supplied by the caller (the
//! engine has no clock: the browser passes `performance.now()`).

use serde::{Deserialize, Serialize};

/// What a run is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Parsing,
    Tokenizing,
    Storing,
    Hashing,
    Done,
}

impl Stage {
    /// The stage as a user reads it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Parsing => "parsing",
            Stage::Tokenizing => "tokenizing",
            Stage::Storing => "storing",
            Stage::Hashing => "hashing",
            Stage::Done => "done",
        }
    }
}

/// A snapshot of a run's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub file: String,
    pub stage: Stage,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub documents: u64,
    pub started_ms: f64,
    pub now_ms: f64,
}

impl Progress {
    /// A run over `bytes_total` bytes that started at `started_ms`.
    pub fn start(file: impl Into<String>, bytes_total: u64, started_ms: f64) -> Self {
        Self {
            file: file.into(),
            stage: Stage::Reading,
            bytes_done: 0,
            bytes_total,
            documents: 0,
            started_ms,
            now_ms: started_ms,
        }
    }

    /// Fraction done, in `[0, 1]`.
    pub fn fraction(&self) -> f64 {
        if self.bytes_total == 0 {
            return if self.stage == Stage::Done { 1.0 } else { 0.0 };
        }
        (self.bytes_done as f64 / self.bytes_total as f64).clamp(0.0, 1.0)
    }

    fn elapsed_s(&self) -> f64 {
        ((self.now_ms - self.started_ms) / 1000.0).max(0.0)
    }

    /// Documents per second so far, once some time has passed.
    pub fn documents_per_second(&self) -> Option<f64> {
        let s = self.elapsed_s();
        (s >= 0.05).then(|| self.documents as f64 / s)
    }

    /// Bytes per second so far, once some time has passed.
    pub fn bytes_per_second(&self) -> Option<f64> {
        let s = self.elapsed_s();
        (s >= 0.05).then(|| self.bytes_done as f64 / s)
    }

    /// Seconds left at the rate so far; `None` until there is a rate.
    pub fn seconds_left(&self) -> Option<f64> {
        let rate = self.bytes_per_second().filter(|r| *r > 0.0)?;
        Some(self.bytes_total.saturating_sub(self.bytes_done) as f64 / rate)
    }
}

/// `75.2` → `"1 min 15 s"`, `8.4` → `"8 s"`.
pub fn format_seconds(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_time_left() {
        let mut p = Progress::start("a.jsonl", 1000, 10_000.0);
        assert_eq!(p.seconds_left(), None);
        p.bytes_done = 250;
        p.documents = 50;
        p.now_ms = 12_000.0;
        assert_eq!(p.fraction(), 0.25);
        assert_eq!(p.documents_per_second(), Some(25.0));
        assert_eq!(p.bytes_per_second(), Some(125.0));
        assert_eq!(p.seconds_left(), Some(6.0));
    }

    #[test]
    fn seconds_read_well() {
        assert_eq!(format_seconds(8.4), "8 s");
        assert_eq!(format_seconds(75.2), "1 min 15 s");
        assert_eq!(format_seconds(7322.0), "2 h 2 min");
    }
}
