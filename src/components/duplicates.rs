//! The duplicates view: exact, near (MinHash) and semantic clusters, largest
//! first; a cluster opens with each member's word diff against the
//! representative and their Jaccard similarities; the banding's S-curve.

use crate::app::AppState;
use crate::components::format::thousands;
use crate::search::SearchStatus;
use crate::storage::CorpusRecord;
use corpuscope_core::cluster_list::ClusterKind;
use corpuscope_core::cluster_list::{ClusterList, ClusterRow};
use corpuscope_core::dedup::{banding_threshold, optimal_params, s_curve, Cluster};
use corpuscope_core::explore::Member;
use corpuscope_core::inspect::Change;
use leptos::prelude::*;

/// Totals and the largest clusters of a kind from the stored report, shown
/// until the search worker lists them with their sources.
fn from_report(clusters: &[Cluster]) -> ClusterList {
    corpuscope_core::cluster_list::cluster_list(clusters, 50, |_| "")
}

#[component]
pub fn Duplicates(
    exact: Vec<Cluster>,
    near: Vec<Cluster>,
    /// The corpus, for its stored banding and to keep a new one.
    corpus: Option<CorpusRecord>,
    bands: usize,
    rows: usize,
    num_perm: usize,
    /// Whether near pairs were verified (then they cannot be re-banded).
    verified: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let kind = state.dup_kind;
    let stored = (bands, rows);
    let banding = state.banding;
    let shown = Memo::new(move |_| banding.get().unwrap_or(stored));
    let (exact, near) = (
        StoredValue::new(from_report(&exact)),
        StoredValue::new(from_report(&near)),
    );
    let ready = move || matches!(state.search.get(), SearchStatus::Ready { .. });
    // Ask the search worker for the list (with sources) of the shown kind
    // and banding whenever either changes, once the corpus is open there.
    Effect::new(move |_| {
        let wish = (kind.get(), banding.get().map(|(b, r)| (b as u32, r as u32)));
        state.cluster_wish.set(Some(wish));
        if ready() {
            state.list_clusters();
        }
    });
    let listed = move |k: ClusterKind| -> Option<Result<ClusterList, String>> {
        state.clusters.with(|c| {
            c.as_ref()
                .filter(|(wish, _)| {
                    wish.0 == k
                        && (k != ClusterKind::Near
                            || wish.1.map(|(b, r)| (b as usize, r as usize)) == banding.get())
                })
                .map(|(_, list)| list.clone())
        })
    };
    // The list of a kind: the worker's when it has answered, else the report's.
    let list_of = move |k: ClusterKind| -> Result<ClusterList, String> {
        if let Some(list) = listed(k) {
            return list;
        }
        Ok(match k {
            ClusterKind::Exact => exact.get_value(),
            ClusterKind::Near if banding.get().is_none() => near.get_value(),
            ClusterKind::Near => ClusterList::default(),
            ClusterKind::Semantic => from_report(&state.semantic_clusters.get()),
        })
    };
    let tab = move |k: ClusterKind, label: &'static str| {
        let count = move || {
            let pending = k == ClusterKind::Near && banding.get().is_some() && listed(k).is_none();
            match list_of(k) {
                Ok(_) if pending => format!("{label} (…)"),
                Ok(l) => format!("{label} ({})", thousands(u64::from(l.clusters))),
                Err(_) => label.to_string(),
            }
        };
        view! {
            <button
                class="tab"
                role="tab"
                aria-selected=move || (kind.get() == k).to_string()
                class:selected=move || kind.get() == k
                data-testid=format!("clusters-{}", k.name())
                on:click=move |_| {
                    kind.set(k);
                    state.open_cluster.set(None);
                }
            >
                {count}
            </button>
        }
    };
    let list = move || {
        let k = kind.get();
        let previewing = k == ClusterKind::Near && banding.get().is_some();
        match list_of(k) {
            Err(why) => {
                view! { <p class="error" data-testid="clusters-error">{why}</p> }.into_any()
            }
            Ok(list) if list.rows.is_empty() && previewing && listed(k).is_none() => {
                view! { <p class="muted" data-testid="clusters-loading">"Re-clustering…"</p> }
                    .into_any()
            }
            Ok(list) if list.rows.is_empty() => {
                view! { <p class="muted" data-testid="no-clusters">"No clusters of this kind."</p> }
                    .into_any()
            }
            Ok(list) => {
                let summary = format!(
                    "{} clusters, {} documents{}",
                    thousands(u64::from(list.clusters)),
                    thousands(u64::from(list.documents)),
                    if list.rows.len() < list.clusters as usize {
                        format!(" · the {} largest listed", list.rows.len())
                    } else {
                        String::new()
                    }
                );
                let rows = list
                    .rows
                    .into_iter()
                    .map(|row| cluster_item(k, row, ready))
                    .collect_view();
                view! {
                    <p class="muted" data-testid="clusters-summary">{summary}</p>
                    <ol class="clusters" data-testid="cluster-list">{rows}</ol>
                }
                .into_any()
            }
        }
    };
    view! {
        <section class="duplicates" id="duplicates" data-testid="duplicates">
            <h3>"Duplicates"</h3>
            <div class="tabs" role="tablist" aria-label="Kind of duplicates">
                {tab(ClusterKind::Exact, "Exact")}
                {tab(ClusterKind::Near, "Near, MinHash")}
                {tab(ClusterKind::Semantic, "Semantic")}
            </div>
            <div class="duplicates-body">
                <div class="cluster-column">{list}</div>
                <div class="banding-column">
                    <Banding corpus=corpus stored=stored num_perm=num_perm verified=verified />
                    {move || { let (b, r) = shown.get(); view! { <SCurve bands=b rows=r /> } }}
                </div>
            </div>
            <ClusterDetail />
        </section>
    }
}

/// One cluster of the list: its size, sources and representative.
fn cluster_item(
    k: ClusterKind,
    row: ClusterRow,
    ready: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = row.id;
    let label = format!(
        "{} documents · representative: document {}",
        thousands(u64::from(row.size)),
        thousands(u64::from(row.representative) + 1)
    );
    let sources = (!row.sources.is_empty()).then(|| {
        row.sources
            .iter()
            .map(|(s, n)| format!("{s} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    view! {
        <li>
            <button
                class="link"
                data-testid="cluster"
                data-cluster=id
                disabled=move || !ready()
                on:click=move |_| state.show_cluster(k, id)
            >
                {label}
            </button>
            {sources.map(|s| view! { <span class="muted cluster-sources" data-testid="cluster-sources">" · " {s}</span> })}
        </li>
    }
}

/// The threshold slider and bands × rows: moving them re-clusters the
/// stored signatures at once (a preview); "Keep" stores the new banding.
#[component]
fn Banding(
    corpus: Option<CorpusRecord>,
    stored: (usize, usize),
    num_perm: usize,
    verified: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let banding = state.banding;
    let shown = move || banding.get().unwrap_or(stored);
    let threshold = RwSignal::new(banding_threshold(stored.0, stored.1));
    let set = move |b: usize, r: usize| {
        let b = b.clamp(1, num_perm);
        let r = r.clamp(1, num_perm / b);
        banding.set(((b, r) != stored).then_some((b, r)));
        if state.dup_kind.get_untracked() == ClusterKind::Near {
            state.open_cluster.set(None);
        }
    };
    let slide = move |ev| {
        let Ok(t) = event_target_value(&ev).parse::<f64>() else {
            return;
        };
        threshold.set(t);
        let (b, r) = optimal_params(t, num_perm, 0.5, 0.5);
        set(b, r);
    };
    let typed = move |which: usize| {
        move |ev| {
            let Ok(v) = event_target_value(&ev).parse::<usize>() else {
                return;
            };
            let (b, r) = shown();
            let (b, r) = if which == 0 { (v, r) } else { (b, v) };
            set(b, r);
            let (b, r) = shown();
            threshold.set(banding_threshold(b, r));
        }
    };
    let keep = move |_| {
        if let (Some((bands, rows)), Some(corpus)) = (banding.get_untracked(), corpus.clone()) {
            state.recompute(corpus, crate::recompute::Change::Banding { bands, rows });
        }
    };
    let back = move |_| {
        banding.set(None);
        threshold.set(banding_threshold(stored.0, stored.1));
    };
    if verified {
        return view! {
            <p class="muted" data-testid="banding-verified">
                "Near pairs were verified by exact Jaccard, so they cannot be re-clustered from the stored signatures."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="banding" data-testid="banding">
            <label>
                "Threshold "
                <input type="range" min="0.3" max="0.95" step="0.01" data-testid="threshold"
                    aria-label="Jaccard threshold"
                    prop:value=move || format!("{:.2}", threshold.get())
                    on:input=slide />
                <output data-testid="threshold-value">{move || format!("{:.2}", threshold.get())}</output>
            </label>
            <label>
                "Bands "
                <input type="number" min="1" max=num_perm data-testid="bands" prop:value=move || shown().0.to_string() on:change=typed(0) />
            </label>
            <label>
                "Rows "
                <input type="number" min="1" max=num_perm data-testid="rows" prop:value=move || shown().1.to_string() on:change=typed(1) />
            </label>
            <span class="muted">{move || { let (b, r) = shown(); format!("{} of {num_perm} hash values", b * r) }}</span>
            {move || banding.get().map(|(b, r)| view! {
                <p class="preview" data-testid="banding-preview">
                    {format!("Preview with {b} bands × {r} rows (stored: {} × {}). ", stored.0, stored.1)}
                    <button class="button secondary" data-testid="banding-keep" on:click=keep.clone()>"Keep this banding"</button>
                    " "
                    <button class="link" data-testid="banding-back" on:click=back>"Back to stored"</button>
                </p>
            })}
        </div>
    }
    .into_any()
}

/// The probability of becoming a candidate pair against Jaccard similarity.
#[component]
fn SCurve(bands: usize, rows: usize) -> impl IntoView {
    let (w, h, pad) = (260.0, 150.0, 28.0);
    let x = move |s: f64| pad + s * (w - 2.0 * pad);
    let y = move |p: f64| h - pad - p * (h - 2.0 * pad);
    let points: Vec<String> = (0..=100)
        .map(|i| {
            let s = f64::from(i) / 100.0;
            format!("{:.1},{:.1}", x(s), y(s_curve(s, bands, rows)))
        })
        .collect();
    let threshold = banding_threshold(bands, rows);
    view! {
        <figure class="s-curve" data-testid="s-curve">
            <svg viewBox=format!("0 0 {w} {h}") width=w height=h role="img"
                aria-label=format!("Probability of becoming a candidate pair against Jaccard similarity, {bands} bands of {rows} rows")>
                <line x1=x(0.0) y1=y(0.0) x2=x(1.0) y2=y(0.0) class="axis" />
                <line x1=x(0.0) y1=y(0.0) x2=x(0.0) y2=y(1.0) class="axis" />
                <line x1=x(threshold) y1=y(0.0) x2=x(threshold) y2=y(1.0) class="marker" />
                <polyline points=points.join(" ") class="curve" />
                <text x=x(0.5) y=h - 4.0 text-anchor="middle">"Jaccard similarity"</text>
                <text x=x(0.0) y=y(0.0) + 12.0 text-anchor="middle">"0"</text>
                <text x=x(1.0) y=y(0.0) + 12.0 text-anchor="middle">"1"</text>
                <text x=4.0 y=y(1.0) + 4.0>"1"</text>
                <text x=x(threshold) + 4.0 y=y(1.0) + 10.0>{format!("≈ {threshold:.2}")}</text>
                <title>{format!("P(candidate) = 1 − (1 − s^{rows})^{bands}")}</title>
            </svg>
            <figcaption>{format!("P(candidate) with {bands} bands × {rows} rows")}</figcaption>
        </figure>
    }
}

/// The open cluster's members.
#[component]
fn ClusterDetail() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.open_cluster.get().map(|(kind, id, members)| match members {
            Err(why) => view! { <p class="error">{why}</p> }.into_any(),
            Ok(members) => view! {
                <div class="cluster-detail" data-testid="cluster-detail">
                    <h4>{format!("{} cluster {id}: {} members shown, differences from the representative", kind.name(), members.len())}</h4>
                    {members.into_iter().enumerate().map(|(i, m)| member_view(i == 0, m)).collect_view()}
                </div>
            }
            .into_any(),
        })
    }
}

fn member_view(representative: bool, m: Member) -> impl IntoView {
    let mut facts = vec![
        format!("document {}", thousands(u64::from(m.doc) + 1)),
        m.source.clone(),
        format!("{} tokens", thousands(u64::from(m.tokens))),
    ];
    if representative {
        facts.push("representative".into());
    } else {
        facts.push(format!(
            "Jaccard {:.3} estimated, {:.3} exact",
            m.estimated_jaccard, m.exact_jaccard
        ));
        if let Some(c) = m.cosine {
            facts.push(format!("cosine {c:.3}"));
        }
    }
    if m.cut {
        facts.push("compared on its first 20,000 characters".into());
    }
    let pieces = m
        .diff
        .into_iter()
        .map(|p| match p.change {
            Change::Same => view! { <span>{p.text}</span> }.into_any(),
            Change::Added => view! { <ins>{p.text}</ins> }.into_any(),
            Change::Removed => view! { <del>{p.text}</del> }.into_any(),
        })
        .collect_view();
    let state = expect_context::<AppState>();
    let doc = m.doc;
    view! {
        <article class="member" data-testid="member" data-doc=m.doc>
            <p class="muted" data-testid="member-facts">
                {facts.join(" · ")} " · "
                <button class="link" data-testid="member-open" on:click=move |_| state.show_document(doc)>"open"</button>
            </p>
            <p class="diff">{pieces}</p>
        </article>
    }
}
