//! The dashboard's charts, drawn as plain SVG: tokens per document by
//! source (log-scale bins), entropy by source, duplicate cluster sizes and
//! the cross-source duplicate overlap, and the embedding map. Each has axis labels, a legend where
//! there are several series, tooltips (`<title>`), and buttons saving it as SVG or PNG.

use crate::app::AppState;
use crate::components::format::thousands;
use crate::error::AppError;
use crate::search::SearchStatus;
use corpuscope_core::explore::MapPoints;
use corpuscope_core::report::Report;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

const W: f64 = 560.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 44.0;

/// Series colours, in order (readable on light and dark backgrounds).
const COLORS: &[&str] = &[
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
];

fn color(i: usize) -> &'static str {
    COLORS[i % COLORS.len()]
}

/// A grouped bar chart: one group per category, one bar per series.
#[derive(Clone)]
struct Bars {
    id: &'static str,
    title: String,
    x_label: String,
    y_label: String,
    categories: Vec<String>,
    series: Vec<(String, Vec<f64>)>,
    /// How a value reads in a tooltip.
    format: fn(f64) -> String,
}

/// The page's chart styles, in light colours, for a chart saved on its own.
const SAVED_STYLE: &str =
    "<style>text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
.tick{font-size:10px;fill:#5f6368}.label{font-size:11px;fill:#1d1d1f}\
.grid{stroke:#d9d9de;stroke-width:0.5}.axis{stroke:#5f6368}.frame{stroke:#d9d9de}</style>";

/// Chart `id`'s markup as a file of its own: its styles inside, and its
/// size in SVG units when `sized` (an image needs it to be drawn).
fn standalone(id: &str, sized: bool) -> Option<(String, f64, f64)> {
    let svg = web_sys::window()?.document()?.get_element_by_id(id)?;
    let view_box: Vec<f64> = svg
        .get_attribute("viewBox")?
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let [_, _, w, h] = view_box[..] else {
        return None;
    };
    let markup = svg.outer_html();
    let open_end = markup.find('>')?;
    let size = if sized {
        format!(" width=\"{w}\" height=\"{h}\"")
    } else {
        String::new()
    };
    let markup = format!(
        "{}{size}>{SAVED_STYLE}{}",
        &markup[..open_end],
        &markup[open_end + 1..]
    );
    Some((markup, w, h))
}

fn save_svg(id: &str) {
    if let Some((markup, _, _)) = standalone(id, false) {
        let _ = crate::files::download(&format!("{id}.svg"), "image/svg+xml", markup.as_bytes());
    }
}

/// Pixels per SVG unit of a saved PNG.
const PNG_SCALE: f64 = 2.0;

/// Saves chart `id` as a PNG: the SVG drawn on a white canvas at twice its size.
async fn save_png(id: &'static str) -> Result<(), AppError> {
    let fail = |what: &str| AppError::Storage(format!("cannot draw the chart as PNG: {what}"));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let (markup, w, h) = standalone(id, true).ok_or_else(|| fail("no chart"))?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let parts = js_sys::Array::of1(&markup.into());
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("no blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no URL"))?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail("no image"))?;
    image.set_src(&url);
    let decoded = wasm_bindgen_futures::JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(|_| fail("the browser could not read the SVG"))?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| fail("no canvas"))?
        .dyn_into()
        .map_err(|_| fail("no canvas"))?;
    canvas.set_width((w * PNG_SCALE) as u32);
    canvas.set_height((h * PNG_SCALE) as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| fail("no 2-D context"))?;
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, w * PNG_SCALE, h * PNG_SCALE);
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            w * PNG_SCALE,
            h * PNG_SCALE,
        )
        .map_err(|_| fail("drawing failed"))?;
    let data = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| fail("no PNG"))?;
    crate::files::offer(&format!("{id}.png"), &data)
}

fn figure(id: &'static str, title: String, body: AnyView) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <figure class="chart" data-testid=format!("chart-{id}")>
            <figcaption>
                <span>{title}</span>
                <span class="save">
                    <button class="link" data-testid=format!("save-{id}") on:click=move |_| save_svg(id)>"SVG"</button>
                    " · "
                    <button class="link" data-testid=format!("save-png-{id}") on:click=move |_| state.spawn(save_png(id))>"PNG"</button>
                </span>
            </figcaption>
            {body}
        </figure>
    }
}

fn bars_view(b: Bars) -> impl IntoView {
    let max = b
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let group_w = plot_w / b.categories.len().max(1) as f64;
    let bar_w = (group_w * 0.8) / b.series.len().max(1) as f64;
    let y = move |v: f64| TOP + plot_h * (1.0 - v / max);
    let mut shapes = Vec::new();
    for (c, category) in b.categories.iter().enumerate() {
        for (s, (name, values)) in b.series.iter().enumerate() {
            let v = values.get(c).copied().unwrap_or(0.0);
            let x = LEFT + group_w * c as f64 + group_w * 0.1 + bar_w * s as f64;
            let tip = format!("{name}, {category}: {}", (b.format)(v));
            shapes.push(view! {
                <rect x=x y=y(v) width=bar_w.max(1.0) height=(TOP + plot_h - y(v)).max(0.0) fill=color(s)>
                    <title>{tip}</title>
                </rect>
            });
        }
    }
    let labels = b
        .categories
        .iter()
        .enumerate()
        .map(|(c, label)| {
            let x = LEFT + group_w * (c as f64 + 0.5);
            view! { <text x=x y=TOP + plot_h + 14.0 text-anchor="middle" class="tick">{label.clone()}</text> }
        })
        .collect_view();
    let ticks = (0..=4)
        .map(|i| {
            let v = max * f64::from(i) / 4.0;
            view! {
                <line x1=LEFT - 4.0 x2=W - RIGHT y1=y(v) y2=y(v) class="grid" />
                <text x=LEFT - 6.0 y=y(v) + 3.0 text-anchor="end" class="tick">{(b.format)(v)}</text>
            }
        })
        .collect_view();
    let legend = (b.series.len() > 1).then(|| {
        b.series
            .iter()
            .enumerate()
            .map(|(s, (name, _))| {
                let x = LEFT + 90.0 * s as f64;
                view! {
                    <rect x=x y=6.0 width=10.0 height=10.0 fill=color(s) />
                    <text x=x + 14.0 y=15.0 class="tick">{name.clone()}</text>
                }
            })
            .collect_view()
    });
    let body = view! {
        <svg id=b.id xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {W} {H}") role="img" aria-label=b.title.clone()>
            {ticks}
            {shapes}
            {labels}
            {legend}
            <line x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h class="axis" />
            <text x=LEFT + plot_w / 2.0 y=H - 6.0 text-anchor="middle" class="label">{b.x_label.clone()}</text>
            <text x=12.0 y=TOP + plot_h / 2.0 text-anchor="middle" class="label"
                transform=format!("rotate(-90 12 {})", TOP + plot_h / 2.0)>{b.y_label.clone()}</text>
        </svg>
    }
    .into_any();
    figure(b.id, b.title, body)
}

fn percent(v: f64) -> String {
    format!("{v:.1}%")
}

fn bits(v: f64) -> String {
    format!("{v:.2}")
}

fn count(v: f64) -> String {
    thousands(v.round() as u64)
}

/// Tokens per document: each source's share of documents per bin.
fn histogram(report: &Report) -> Bars {
    let sources: Vec<(&String, _)> = report.tokens.sources.iter().collect();
    let bins = sources
        .iter()
        .map(|(_, s)| s.histogram.bins.len())
        .max()
        .unwrap_or(0);
    let categories = (0..bins)
        .map(|k| match k {
            0 => "0".to_string(),
            k => format!("{}", 1u64 << (k - 1)),
        })
        .collect();
    let series = sources
        .iter()
        .map(|(name, s)| {
            let total = s.documents.max(1) as f64;
            let shares = (0..bins)
                .map(|k| {
                    s.histogram
                        .bins
                        .get(k)
                        .map_or(0.0, |b| 100.0 * b.count as f64 / total)
                })
                .collect();
            ((*name).clone(), shares)
        })
        .collect();
    Bars {
        id: "tokens-histogram",
        title: "Tokens per document, by source".into(),
        x_label: "tokens per document (bins from this count to the next, log scale)".into(),
        y_label: "% of the source's documents".into(),
        categories,
        series,
        format: percent,
    }
}

fn entropy(report: &Report) -> Bars {
    let (categories, values): (Vec<String>, Vec<f64>) = report
        .diversity
        .sources
        .iter()
        .map(|(name, d)| (name.clone(), d.pooled_entropy_bits))
        .unzip();
    Bars {
        id: "entropy",
        title: "Entropy by source (pooled token unigrams)".into(),
        x_label: "source".into(),
        y_label: "bits per token".into(),
        categories,
        series: vec![("entropy".into(), values)],
        format: bits,
    }
}

fn cluster_sizes(report: &Report) -> Bars {
    let tally = |clusters: &[corpuscope_core::dedup::Cluster]| {
        let mut by_size: BTreeMap<usize, u64> = BTreeMap::new();
        for c in clusters {
            *by_size.entry(c.members.len()).or_default() += 1;
        }
        by_size
    };
    let (exact, near) = (
        tally(&report.dedup.exact_clusters),
        tally(&report.dedup.near_clusters),
    );
    let mut sizes: Vec<usize> = exact.keys().chain(near.keys()).copied().collect();
    sizes.sort_unstable();
    sizes.dedup();
    let values = |t: &BTreeMap<usize, u64>| {
        sizes
            .iter()
            .map(|s| t.get(s).copied().unwrap_or(0) as f64)
            .collect()
    };
    Bars {
        id: "cluster-sizes",
        title: "Duplicate clusters by size".into(),
        x_label: "documents in the cluster".into(),
        y_label: "clusters".into(),
        categories: sizes.iter().map(ToString::to_string).collect(),
        series: vec![
            ("exact".into(), values(&exact)),
            ("near (MinHash)".into(), values(&near)),
        ],
        format: count,
    }
}

/// Near-duplicate overlap: the share of each row source's documents with a
/// duplicate in the column source.
fn overlap(report: &Report) -> impl IntoView {
    let m = &report.dedup.overlap;
    let n = m.sources.len().max(1);
    let cell = ((W - 120.0) / n as f64).min(56.0);
    let docs = |name: &str| {
        report
            .tokens
            .sources
            .get(name)
            .map_or(1, |s| s.documents.max(1))
    };
    let mut cells = Vec::new();
    for (r, row) in m.sources.iter().enumerate() {
        for (c, col) in m.sources.iter().enumerate() {
            let count = m.near.get(r).and_then(|v| v.get(c)).copied().unwrap_or(0);
            let share = count as f64 / docs(row) as f64;
            let tip = format!(
                "{} of {row}'s documents have a near duplicate in {col} ({:.1}%)",
                thousands(count),
                100.0 * share
            );
            let opacity = if count == 0 {
                0.04
            } else {
                0.15 + 0.85 * share.sqrt()
            };
            cells.push(view! {
                <rect x=110.0 + cell * c as f64 y=TOP + cell * r as f64 width=cell - 2.0 height=cell - 2.0
                    fill=color(0) fill-opacity=format!("{opacity:.3}")>
                    <title>{tip}</title>
                </rect>
                <text x=110.0 + cell * (c as f64 + 0.5) y=TOP + cell * (r as f64 + 0.5) + 3.0 text-anchor="middle" class="tick">
                    {format!("{:.0}%", 100.0 * share)}
                </text>
            });
        }
    }
    let names = m
        .sources
        .iter()
        .enumerate()
        .map(|(i, name)| view! {
            <text x=104.0 y=TOP + cell * (i as f64 + 0.5) + 3.0 text-anchor="end" class="tick">{name.clone()}</text>
            <text x=110.0 + cell * (i as f64 + 0.5) y=TOP - 6.0 text-anchor="middle" class="tick">{name.clone()}</text>
        })
        .collect_view();
    let height = TOP + cell * n as f64 + 24.0;
    let body = view! {
        <svg id="overlap" xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {W} {height}") role="img"
            aria-label="Near-duplicate overlap between sources">
            {names}
            {cells}
            <text x=110.0 y=height - 6.0 class="label">"row: source of the document · column: source of its duplicate"</text>
        </svg>
    }
    .into_any();
    figure(
        "overlap",
        "Near-duplicate overlap between sources".into(),
        body,
    )
}

/// The embedding map: each sampled document on the first two principal
/// axes of the embeddings, coloured by source.
/// Grey for points in no cluster, and for those in smaller clusters.
const UNCLUSTERED: &str = "#b8bcc4";
const OTHER_CLUSTERS: &str = "#6b7079";

/// What the embedding map's colours show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapColour {
    Source,
    Cluster,
}

/// A point's colour and its legend entries: (name, colour, points).
fn map_colours(
    map: &MapPoints,
    by: MapColour,
) -> (Vec<&'static str>, Vec<(String, &'static str, usize)>) {
    match by {
        MapColour::Source => {
            let colours = map
                .points
                .iter()
                .map(|p| color(p.source as usize))
                .collect();
            let mut counts = vec![0usize; map.sources.len()];
            for p in &map.points {
                if let Some(c) = counts.get_mut(p.source as usize) {
                    *c += 1;
                }
            }
            let legend = map
                .sources
                .iter()
                .enumerate()
                .map(|(i, name)| (name.clone(), color(i), counts[i]))
                .collect();
            (colours, legend)
        }
        MapColour::Cluster => {
            let top = map.clusters.len();
            let colour_of = |g: u16| match g as usize {
                0 => UNCLUSTERED,
                g if g <= top => color(g - 1),
                _ => OTHER_CLUSTERS,
            };
            let colours = map.points.iter().map(|p| colour_of(p.cluster)).collect();
            let mut counts = vec![0usize; top + 2];
            for p in &map.points {
                counts[(p.cluster as usize).min(top + 1)] += 1;
            }
            let mut legend: Vec<(String, &'static str, usize)> = map
                .clusters
                .iter()
                .enumerate()
                .map(|(i, size)| (format!("#{} ({size})", i + 1), color(i), counts[i + 1]))
                .collect();
            legend.push(("other clusters".into(), OTHER_CLUSTERS, counts[top + 1]));
            legend.push(("none".into(), UNCLUSTERED, counts[0]));
            (colours, legend)
        }
    }
}

fn embedding_map(map: MapPoints) -> impl IntoView {
    let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for p in &map.points {
        (x0, x1, y0, y1) = (x0.min(p.x), x1.max(p.x), y0.min(p.y), y1.max(p.y));
    }
    let span = |a: f32, b: f32| f64::from((b - a).max(f32::MIN_POSITIVE));
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let px = move |x: f32| LEFT + plot_w * f64::from(x - x0) / span(x0, x1);
    let py = move |y: f32| TOP + plot_h * (1.0 - f64::from(y - y0) / span(y0, y1));
    let by = RwSignal::new(MapColour::Source);
    let count = map.points.len();
    let map = StoredValue::new(map);
    let drawn = move || {
        let by = by.get();
        map.with_value(|map| {
            let (colours, legend) = map_colours(map, by);
            let dots = map
                .points
                .iter()
                .zip(colours)
                .map(|(p, fill)| view! { <circle cx=px(p.x) cy=py(p.y) r=1.6 fill=fill fill-opacity="0.7" /> })
                .collect_view();
            let slot = if by == MapColour::Source { 90.0 } else { 50.0 };
            let legend = legend
                .into_iter()
                .enumerate()
                .map(|(i, (name, fill, points))| {
                    let x = LEFT + slot * i as f64;
                    let short = if by == MapColour::Source { name.clone() } else { name.split(' ').next().unwrap_or("").to_string() };
                    view! {
                        <rect x=x y=6.0 width=10.0 height=10.0 fill=fill><title>{format!("{name}: {points} points")}</title></rect>
                        <text x=x + 14.0 y=15.0 class="tick">{short}</text>
                    }
                })
                .collect_view();
            view! { {legend} {dots} }
        })
    };
    let body = view! {
        <svg id="embedding-map" xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {W} {H}") role="img"
            aria-label="Documents on the first two principal axes of their embeddings">
            {drawn}
            <rect x=LEFT y=TOP width=plot_w height=plot_h class="frame" fill="none" />
            <text x=LEFT + plot_w / 2.0 y=H - 6.0 text-anchor="middle" class="label">"first principal axis"</text>
            <text x=12.0 y=TOP + plot_h / 2.0 text-anchor="middle" class="label"
                transform=format!("rotate(-90 12 {})", TOP + plot_h / 2.0)>"second principal axis"</text>
            <title>{format!("{} documents shown", thousands(count as u64))}</title>
        </svg>
        <label class="map-colour">
            "Colour by "
            <select data-testid="map-colour" on:change=move |ev| by.set(if event_target_value(&ev) == "cluster" { MapColour::Cluster } else { MapColour::Source })>
                <option value="source">"source"</option>
                <option value="cluster">"semantic cluster (the 8 largest)"</option>
            </select>
        </label>
    }
    .into_any();
    figure(
        "embedding-map",
        format!("Embedding map ({} documents)", thousands(count as u64)),
        body,
    )
}

/// The embedding map's place while it is drawn, or why there is none.
fn map_note(text: &str, error: bool) -> AnyView {
    view! {
        <figure class="chart" data-testid="chart-embedding-map">
            <figcaption><span>"Embedding map"</span></figcaption>
            <p class:muted=!error class:error=error data-testid="map-note">{text.to_string()}</p>
        </figure>
    }
    .into_any()
}

/// All the dashboard's charts for `report`.
#[component]
pub fn Charts(report: Report) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="charts" data-testid="charts">
            {bars_view(histogram(&report))}
            {bars_view(entropy(&report))}
            {bars_view(cluster_sizes(&report))}
            {overlap(&report)}
            {move || match (state.map.get(), state.search.get()) {
                (Some(map), _) => embedding_map(map).into_any(),
                (None, SearchStatus::Opening) => map_note("Drawing the embedding map…", false),
                (None, SearchStatus::Failed(why)) => map_note(&format!("No embedding map: {why}"), true),
                (None, _) => map_note("This corpus has no embeddings, so there is no map.", false),
            }}
        </div>
    }
}
