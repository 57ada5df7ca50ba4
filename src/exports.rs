//! Exports of the open corpus: the deduplicated documents as JSONL, the
//! cluster of each document as CSV or JSONL, and a Markdown summary. The
//! report (JSON) export is in `app.rs`.

use crate::app::AppState;
use crate::error::AppError;
use crate::files::{download, download_parts};
use crate::storage::{Storage, DB_NAME};
use corpuscope_core::export::{
    assignments, assignments_csv, assignments_jsonl, document_line, duplicate_groups, kept,
    markdown_summary, Keep,
};
use leptos::prelude::*;

/// Documents read from storage per page.
const PAGE: u32 = 1000;

/// A cluster file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterFormat {
    Csv,
    Jsonl,
}

impl AppState {
    /// Downloads the open corpus's documents less its duplicates, one kept
    /// per group by `keep`, as JSON Lines.
    pub fn export_deduplicated(self, keep: Keep) {
        self.spawn(async move {
            let (Some(corpus), Some((name, report))) = (
                self.open_corpus.get_untracked(),
                self.open_report.get_untracked(),
            ) else {
                return Ok(());
            };
            let groups = duplicate_groups(&report.dedup);
            let storage = Storage::open(DB_NAME).await?;
            let result = async {
                // Lengths only matter to keep the longest: one more pass then.
                let mut lengths = Vec::new();
                if keep == Keep::Longest {
                    let mut pages = storage.pages(&corpus, PAGE);
                    while let Some(page) = pages.next_page().await? {
                        lengths.extend(page.iter().map(|d| d.text.len()));
                    }
                }
                let keep_it = kept(&groups, corpus.documents as usize, keep, &lengths);
                let parts = js_sys::Array::new();
                let mut pages = storage.pages(&corpus, PAGE);
                while let Some(page) = pages.next_page().await? {
                    let mut chunk = String::new();
                    for d in page
                        .iter()
                        .filter(|d| keep_it.get(d.seq as usize) == Some(&true))
                    {
                        chunk.push_str(&document_line(&d.text, &d.source, &d.file, d.line));
                    }
                    parts.push(&chunk.into());
                }
                Ok::<_, AppError>(parts)
            }
            .await;
            storage.close();
            download_parts(&format!("{name}.dedup.jsonl"), "application/jsonl", result?)
        });
    }

    /// Downloads each clustered document's duplicate group and its size.
    pub fn export_clusters(self, format: ClusterFormat) {
        self.spawn(async move {
            let Some((name, report)) = self.open_report.get_untracked() else {
                return Ok(());
            };
            let rows = assignments(&duplicate_groups(&report.dedup));
            match format {
                ClusterFormat::Csv => download(
                    &format!("{name}.clusters.csv"),
                    "text/csv",
                    assignments_csv(&rows).as_bytes(),
                ),
                ClusterFormat::Jsonl => download(
                    &format!("{name}.clusters.jsonl"),
                    "application/jsonl",
                    assignments_jsonl(&rows).as_bytes(),
                ),
            }
        });
    }

    /// Downloads the report as a Markdown summary.
    pub fn export_markdown(self) {
        self.spawn(async move {
            let Some((name, report)) = self.open_report.get_untracked() else {
                return Ok(());
            };
            let md = markdown_summary(&name, &report);
            download(
                &format!("{name}.summary.md"),
                "text/markdown",
                md.as_bytes(),
            )
        });
    }
}
