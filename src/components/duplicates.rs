//! The duplicates view: exact, near (MinHash) and semantic clusters, largest
//! first; a cluster opens with each member's word diff against the
//! representative and their Jaccard similarities; the banding's S-curve.

use crate::app::AppState;
use crate::components::format::thousands;
use crate::search::SearchStatus;
use crate::worker::{ClusterKind, Member};
use corpuscope_core::dedup::Cluster;
use corpuscope_core::inspect::{candidate_probability, Change};
use leptos::prelude::*;

/// Clusters listed per kind.
const LISTED: usize = 50;

fn kind_name(kind: ClusterKind) -> &'static str {
    match kind {
        ClusterKind::Exact => "exact",
        ClusterKind::Near => "near",
        ClusterKind::Semantic => "semantic",
    }
}

/// The largest clusters first (then by first member).
fn largest(clusters: &[Cluster]) -> Vec<Cluster> {
    let mut sorted = clusters.to_vec();
    sorted.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members[0].cmp(&b.members[0]))
    });
    sorted.truncate(LISTED);
    sorted
}

#[component]
pub fn Duplicates(
    exact: Vec<Cluster>,
    near: Vec<Cluster>,
    bands: usize,
    rows: usize,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let kind = RwSignal::new(ClusterKind::Near);
    let (exact_n, near_n) = (exact.len(), near.len());
    let (exact, near) = (
        StoredValue::new(largest(&exact)),
        StoredValue::new(largest(&near)),
    );
    let semantic = Memo::new(move |_| largest(&state.semantic_clusters.get()));
    let ready = move || matches!(state.search.get(), SearchStatus::Ready { .. });
    let tab = move |k: ClusterKind, label: String| {
        view! {
            <button
                class="tab"
                class:selected=move || kind.get() == k
                data-testid=format!("clusters-{}", kind_name(k))
                on:click=move |_| {
                    kind.set(k);
                    state.open_cluster.set(None);
                }
            >
                {label}
            </button>
        }
    };
    let list = move || {
        let k = kind.get();
        let clusters = match k {
            ClusterKind::Exact => exact.get_value(),
            ClusterKind::Near => near.get_value(),
            ClusterKind::Semantic => semantic.get(),
        };
        if clusters.is_empty() {
            return view! { <p class="muted" data-testid="no-clusters">"No clusters of this kind."</p> }.into_any();
        }
        clusters
            .into_iter()
            .map(|c| {
                let id = c.id;
                let label = format!(
                    "{} documents · representative: document {}",
                    thousands(c.members.len() as u64),
                    thousands(u64::from(c.representative) + 1)
                );
                view! {
                    <li>
                        <button
                            class="link"
                            data-testid="cluster"
                            disabled=move || !ready()
                            on:click=move |_| state.show_cluster(k, id)
                        >
                            {label}
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="duplicates" data-testid="duplicates">
            <h3>"Duplicates"</h3>
            <div class="tabs" role="tablist">
                {tab(ClusterKind::Exact, format!("Exact ({})", thousands(exact_n as u64)))}
                {tab(ClusterKind::Near, format!("Near, MinHash ({})", thousands(near_n as u64)))}
                {move || tab(ClusterKind::Semantic, format!("Semantic ({})", thousands(state.semantic_clusters.get().len() as u64)))}
            </div>
            <div class="duplicates-body">
                <ol class="clusters" data-testid="cluster-list">{list}</ol>
                <SCurve bands=bands rows=rows />
            </div>
            <ClusterDetail />
        </section>
    }
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
            format!(
                "{:.1},{:.1}",
                x(s),
                y(candidate_probability(s, bands, rows))
            )
        })
        .collect();
    let threshold = (1.0 / bands as f64).powf(1.0 / rows as f64);
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
                    <h4>{format!("{} cluster {id}: {} members shown, differences from the representative", kind_name(kind), members.len())}</h4>
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
