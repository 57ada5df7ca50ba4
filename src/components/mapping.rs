//! Column mapping: the first records of dropped files, the detected text and
//! source fields, and selects to change them before loading.

use crate::app::{AppState, FieldsChoice, Mapping};
use corpuscope_core::ingest::{ColumnKind, HOST_PREFIX, URL_FIELDS};
use leptos::prelude::*;
use serde_json::{Map, Value};

/// Records shown in the preview table.
const SHOWN_RECORDS: usize = 5;
/// Columns shown in the preview table.
const SHOWN_COLUMNS: usize = 8;
/// Characters shown of a cell or a document.
const SHOWN_CHARS: usize = 80;

/// The mapping panel, shown while dropped files wait for confirmation.
#[component]
pub fn ColumnMapping() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state
            .mapping
            .get()
            .map(|m| view! { <MappingPanel mapping=m /> })
    }
}

/// The panel for one proposed mapping.
#[component]
fn MappingPanel(
    /// The preview and the current choice.
    mapping: Mapping,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = &mapping.preview;
    let detected_text = p
        .detected
        .text
        .clone()
        .unwrap_or_else(|| "none found".into());
    let detected_source = p
        .detected
        .source
        .clone()
        .unwrap_or_else(|| "the file name".into());
    let text_options = options(&mapping, |kind, _| {
        matches!(kind, ColumnKind::String | ColumnKind::Strings)
    });
    let source_options = options(&mapping, |kind, _| {
        matches!(
            kind,
            ColumnKind::String | ColumnKind::Number | ColumnKind::Bool
        )
    });
    let host_options: Vec<(String, String)> = p
        .detected
        .columns
        .iter()
        .filter(|c| {
            URL_FIELDS.contains(&c.path.rsplit('.').next().unwrap_or(""))
                || c.example.starts_with("http")
        })
        .map(|c| {
            (
                format!("{HOST_PREFIX}{}", c.path),
                format!("host of {}", c.path),
            )
        })
        .collect();
    let columns: Vec<String> = p
        .detected
        .columns
        .iter()
        .take(SHOWN_COLUMNS)
        .map(|c| c.path.clone())
        .collect();
    let header = columns
        .iter()
        .map(|c| view! { <th>{c.clone()}</th> })
        .collect_view();
    let rows = p
        .records
        .iter()
        .take(SHOWN_RECORDS)
        .map(|r| {
            let cells = columns
                .iter()
                .map(|c| view! { <td>{cell(r, c)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let documents = p
        .documents
        .iter()
        .take(3)
        .map(|d| {
            view! {
                <li data-testid="mapping-document">
                    <span class="badge">{d.source.clone()}</span>" "{clip(&d.text)}
                </li>
            }
        })
        .collect_view();
    let problems = (!p.problems.is_empty()).then(|| {
        let first = &p.problems[0];
        view! {
            <p class="warn">{format!("{} problem(s) in the preview, first: line {}: {}", p.problems.len(), first.line, first.reason)}</p>
        }
    });
    let choice = mapping.choice.clone();
    let text_now = choice.text.clone().unwrap_or_default();
    let source_now = choice.source.clone().unwrap_or_default();
    let vector_now = choice.vector.clone().unwrap_or_default();
    // Each select previews again with its field changed.
    let change = move |set: fn(&mut FieldsChoice, Option<String>)| {
        let choice = choice.clone();
        move |ev| {
            let value = event_target_value(&ev);
            let mut next = choice.clone();
            set(&mut next, (!value.is_empty()).then_some(value));
            state.spawn(async move { state.refresh_preview(Some(next)).await });
        }
    };
    let on_text = change(|c, v| c.text = v);
    let on_source = change(|c, v| c.source = v);
    let on_vector = change(|c, v| c.vector = v);
    let vector_options: Vec<String> = p
        .detected
        .columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Numbers)
        .map(|c| c.path.clone())
        .collect();
    let files = mapping.files;
    view! {
        <section class="mapping" data-testid="mapping">
            <h2>"Columns of " {p.file.clone()}</h2>
            <p class="muted">
                {format!("{:?}", p.format).to_lowercase()}
                {(p.compression != corpuscope_core::ingest::Compression::None)
                    .then(|| format!(", {:?}", p.compression).to_lowercase())}
                {format!(" · {} record(s) previewed", p.records.len())}
            </p>
            <div class="mapping-choice">
                <label>
                    "Text field "
                    <select data-testid="text-field" on:change=on_text prop:value=text_now>
                        <option value="">{format!("detected ({detected_text})")}</option>
                        {text_options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    "Source field "
                    <select data-testid="source-field" on:change=on_source prop:value=source_now>
                        <option value="">{format!("detected ({detected_source})")}</option>
                        {source_options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                        {host_options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    "Embeddings "
                    <select data-testid="vector-field" on:change=on_vector prop:value=vector_now>
                        <option value="">"the bundled model"</option>
                        {vector_options.into_iter().map(|v| view! { <option value=v.clone()>{format!("vectors in {v}")}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="table-scroll">
                <table class="preview-table" data-testid="mapping-records">
                    <thead><tr>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <h3>"As documents"</h3>
            <ul class="mapping-documents">{documents}</ul>
            {problems}
            <div class="actions">
                <button class="button" data-testid="start-load" on:click=move |_| state.confirm_mapping()>
                    {if files == 1 { "Load this file".to_string() } else { format!("Load {files} files") }}
                </button>
                <button class="link" data-testid="cancel-mapping" on:click=move |_| state.cancel_mapping()>"Cancel"</button>
            </div>
        </section>
    }
}

/// (value, label) of the columns whose kind `keep` accepts.
fn options(mapping: &Mapping, keep: impl Fn(ColumnKind, &str) -> bool) -> Vec<(String, String)> {
    mapping
        .preview
        .detected
        .columns
        .iter()
        .filter(|c| keep(c.kind, &c.path))
        .map(|c| (c.path.clone(), c.path.clone()))
        .collect()
}

/// A record's value at a dotted path, as short text.
fn cell(record: &Map<String, Value>, path: &str) -> String {
    let mut parts = path.split('.');
    let mut value = parts.next().and_then(|p| record.get(p));
    for part in parts {
        value = value.and_then(|v| v.get(part));
    }
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => clip(s),
        Some(other) => clip(&other.to_string()),
    }
}

/// The first characters of `text`, with an ellipsis if cut.
fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(SHOWN_CHARS).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
