//! The explorer over one open corpus: its stored report, signatures,
//! vectors and texts, and the views computed from them (search results,
//! cluster lists, a cluster's members, a document, the map). The browser's
//! search worker holds one [`Explorer`]; nothing here touches the browser.

#[cfg(test)]
mod tests;
mod views;

pub use views::{ClusterKind, DocumentView, Found, MapPoint, MapPoints, Member};
use views::{
    CLUSTERS_LISTED, MAP_CLUSTERS, MEMBERS_SHOWN, NEIGHBOURS, SNIPPET_CHARS, TOKENS_SHOWN,
};

use crate::cluster_list::{cluster_list, ClusterList};
use crate::dedup::{cluster_buckets, Cluster, DedupParams, SignatureStore};
use crate::inspect::{estimated_jaccard, exact_jaccard, word_diff, Change, DiffPiece, DIFF_CHARS};
use crate::report::Report;
use crate::tokenize::{token_pieces, TokenCounter};
use crate::vectors::snippet::snippet;
use crate::vectors::{
    dot, dup_statuses, CorpusSearch, CorpusVectors, DocInfo, DupStatus, SearchFilter, SearchMode,
    StaticModel, StoredVectors, Vectors,
};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// A stored document as the explorer needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDocument {
    pub text: String,
    pub source: String,
    pub tokens: u32,
}

fn fail(why: impl Into<String>) -> Error {
    Error::View(why.into())
}

/// What the duplicates view needs besides the search.
struct Dedup {
    exact: Vec<Cluster>,
    /// Under `params`: the stored banding, or one previewed.
    near: Vec<Cluster>,
    params: DedupParams,
    signatures: SignatureStore,
    /// The report as stored.
    stored: Report,
}

/// A corpus being opened.
struct Opening {
    documents: usize,
    vectors: Option<CorpusVectors>,
    statuses: Vec<DupStatus>,
    added: Vec<StoredDocument>,
    dedup: Dedup,
}

/// A corpus ready to search.
struct Open {
    search: CorpusSearch,
    texts: Vec<String>,
    dedup: Dedup,
}

/// One open corpus, or one being opened.
#[derive(Default)]
pub struct Explorer {
    opening: Option<Opening>,
    open: Option<Open>,
}

impl Explorer {
    /// Starts opening a corpus of `documents` documents from what was stored
    /// with it: its report, signatures and, when embedded, its vectors and
    /// their index. Its documents follow with [`Explorer::add`]. Vectors
    /// stored under an older semantic-clustering rule are clustered again:
    /// the answer is then what to store in their place.
    pub fn open(
        &mut self,
        documents: u32,
        vectors: Option<(Vectors, StoredVectors)>,
        report: Report,
        signatures: SignatureStore,
    ) -> Result<Option<StoredVectors>> {
        self.open = None;
        let mut upgraded = None;
        let vectors = match vectors {
            Some((rows, stored)) => {
                let current = stored.is_current();
                let vectors = CorpusVectors::from_stored(rows, stored)?;
                if !current {
                    upgraded = Some(vectors.to_stored());
                }
                Some(vectors)
            }
            None => None,
        };
        self.opening = Some(Opening {
            documents: documents as usize,
            vectors,
            statuses: dup_statuses(&report.dedup),
            added: Vec::with_capacity(documents as usize),
            dedup: Dedup {
                exact: report.dedup.exact_clusters.clone(),
                near: report.dedup.near_clusters.clone(),
                params: report.dedup.params,
                signatures,
                stored: report,
            },
        });
        Ok(upgraded)
    }

    /// The next documents of the corpus being opened, in order.
    pub fn add(&mut self, documents: Vec<StoredDocument>) {
        if let Some(opening) = &mut self.opening {
            opening.added.extend(documents);
        }
    }

    /// Ends the opening: every document was added; builds the keyword index.
    pub fn build(&mut self) -> Result<()> {
        let opening = self
            .opening
            .take()
            .ok_or_else(|| fail("no corpus is being opened"))?;
        if opening.added.len() != opening.documents || opening.statuses.len() != opening.documents {
            return Err(fail(format!(
                "the corpus has {} documents, {} were read and the report covers {}",
                opening.documents,
                opening.added.len(),
                opening.statuses.len()
            )));
        }
        let (texts, docs): (Vec<String>, Vec<DocInfo>) = opening
            .added
            .into_iter()
            .zip(opening.statuses)
            .map(|(d, status)| {
                let info = DocInfo {
                    source: d.source,
                    tokens: d.tokens,
                    status,
                };
                (d.text, info)
            })
            .unzip();
        let search = CorpusSearch::new(docs, texts.iter().map(String::as_str), opening.vectors)?;
        self.open = Some(Open {
            search,
            texts,
            dedup: opening.dedup,
        });
        Ok(())
    }

    /// The `k` best documents for `query`, best first.
    pub fn search(
        &self,
        model: Option<&StaticModel>,
        mode: SearchMode,
        query: &str,
        k: usize,
        filter: &SearchFilter,
    ) -> Result<Vec<Found>> {
        let open = self.opened()?;
        let vector = match mode {
            SearchMode::Keyword => None,
            _ if open.search.vectors().is_none() => {
                return Err(fail(
                    "this corpus was loaded without embeddings: use keyword search",
                ))
            }
            _ => {
                let model = model.ok_or_else(|| fail("the embedding model is not loaded"))?;
                Some(model.embed(query)?)
            }
        };
        let hits = open
            .search
            .search(mode, query, vector.as_deref(), k, filter)?;
        let found = hits
            .into_iter()
            .map(|h| {
                let info = open.search.info(h.doc);
                let (snippet, cut_start, cut_end) =
                    snippet(&open.texts[h.doc as usize], query, SNIPPET_CHARS);
                Found {
                    doc: h.doc,
                    score: h.score,
                    semantic: h.semantic,
                    keyword: h.keyword,
                    source: info.source.clone(),
                    tokens: info.tokens,
                    status: info.status,
                    snippet,
                    cut_start,
                    cut_end,
                }
            })
            .collect();
        Ok(found)
    }

    /// The members of cluster `id` of `kind`, each beside the representative.
    pub fn cluster(&self, kind: ClusterKind, id: u32) -> Result<Vec<Member>> {
        let open = self.opened()?;
        let d = &open.dedup;
        let clusters: &[Cluster] = match kind {
            ClusterKind::Exact => &d.exact,
            ClusterKind::Near => &d.near,
            ClusterKind::Semantic => open.search.vectors().map_or(&[], |v| v.semantic.as_slice()),
        };
        let cluster = clusters
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| fail(format!("no cluster {id}")))?;
        let rep = cluster.representative;
        let rep_text = &open.texts[rep as usize];
        let signature = |doc: u32| {
            let doc = doc as usize;
            (doc < d.signatures.len()).then(|| d.signatures.get(doc))
        };
        let members = std::iter::once(rep)
            .chain(cluster.members.iter().copied().filter(|&m| m != rep))
            .take(MEMBERS_SHOWN)
            .map(|doc| {
                let info = open.search.info(doc);
                let own = &open.texts[doc as usize];
                let (diff, cut) = if doc == rep {
                    (
                        vec![DiffPiece {
                            change: Change::Same,
                            text: own.chars().take(DIFF_CHARS).collect(),
                        }],
                        own.chars().count() > DIFF_CHARS,
                    )
                } else {
                    word_diff(rep_text, own)
                };
                let cosine = open.search.vectors().map(|v| {
                    let rows = v.index.vectors();
                    dot(rows.row(rep as usize), rows.row(doc as usize))
                });
                Member {
                    doc,
                    source: info.source.clone(),
                    tokens: info.tokens,
                    estimated_jaccard: match (signature(rep), signature(doc)) {
                        (Some(a), Some(b)) => estimated_jaccard(a, b),
                        _ => 0.0,
                    },
                    exact_jaccard: exact_jaccard(rep_text, own, &d.params.minhash),
                    cosine,
                    diff,
                    cut,
                }
            })
            .collect();
        Ok(members)
    }

    /// The largest clusters of `kind` with their sources. For near
    /// duplicates, `banding` re-clusters the stored signatures first (a
    /// preview: the stored report is unchanged); later cluster and document
    /// requests see the new clusters.
    pub fn clusters(
        &mut self,
        kind: ClusterKind,
        banding: Option<(u32, u32)>,
    ) -> Result<ClusterList> {
        let open = self
            .open
            .as_mut()
            .ok_or_else(|| fail("no corpus is open"))?;
        let d = &mut open.dedup;
        if let (ClusterKind::Near, Some((bands, rows))) = (kind, banding) {
            let (bands, rows) = (bands as usize, rows as usize);
            let now = d.params.minhash;
            if (bands, rows) != (now.bands, now.rows) {
                if d.params.verify_threshold.is_some() {
                    return Err(fail(
                        "this corpus's near duplicates were verified by exact Jaccard; they cannot be re-clustered from signatures alone",
                    ));
                }
                d.near = cluster_buckets(&d.signatures, bands, rows)?.clusters;
                d.params.minhash.bands = bands;
                d.params.minhash.rows = rows;
            }
        }
        let search = &open.search;
        let clusters: &[Cluster] = match kind {
            ClusterKind::Exact => &d.exact,
            ClusterKind::Near => &d.near,
            ClusterKind::Semantic => search.vectors().map_or(&[], |v| v.semantic.as_slice()),
        };
        Ok(cluster_list(clusters, CLUSTERS_LISTED, |doc| {
            search.info(doc).source.as_str()
        }))
    }

    /// Up to `max` points of the map, every n-th document, with their
    /// sources and semantic clusters.
    pub fn map(&self, max: usize) -> Result<MapPoints> {
        let open = self.opened()?;
        let vectors = open
            .search
            .vectors()
            .ok_or_else(|| fail("this corpus has no embeddings"))?;
        let n = vectors.map.len();
        let mut sources: Vec<String> = (0..n as u32)
            .map(|d| open.search.info(d).source.clone())
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let largest = cluster_list(&vectors.semantic, MAP_CLUSTERS, |_| "");
        let mut group = vec![0u16; n];
        for c in &vectors.semantic {
            let rank = largest
                .rows
                .iter()
                .position(|r| r.id == c.id)
                .unwrap_or(largest.rows.len());
            for &m in &c.members {
                if let Some(g) = group.get_mut(m as usize) {
                    *g = rank as u16 + 1;
                }
            }
        }
        let step = n.div_ceil(max.max(1)).max(1);
        let points = (0..n)
            .step_by(step)
            .map(|d| {
                let [x, y] = vectors.map[d];
                let source = &open.search.info(d as u32).source;
                MapPoint {
                    x,
                    y,
                    source: sources.binary_search(source).unwrap_or(0) as u16,
                    cluster: group[d],
                }
            })
            .collect();
        Ok(MapPoints {
            sources,
            clusters: largest.rows.iter().map(|r| r.size).collect(),
            points,
        })
    }

    /// Document `doc` with its first [`TOKENS_SHOWN`] tokens' boundaries,
    /// the clusters it is in and its nearest neighbours by embedding.
    pub fn document(&self, doc: u32, counter: &TokenCounter) -> Result<DocumentView> {
        let open = self.opened()?;
        let text = open
            .texts
            .get(doc as usize)
            .ok_or_else(|| fail(format!("no document {doc}")))?;
        let info = open.search.info(doc);
        let spans = counter.ids_with_offsets(text)?;
        let shown = spans.len().min(TOKENS_SHOWN);
        let end = spans.get(shown).map_or(text.len(), |s| s.start);
        let pieces = token_pieces(&text[..end], &spans[..shown]);
        let mut clusters = Vec::new();
        let d = &open.dedup;
        let kinds: [(ClusterKind, &[Cluster]); 3] = [
            (ClusterKind::Exact, &d.exact),
            (ClusterKind::Near, &d.near),
            (
                ClusterKind::Semantic,
                open.search.vectors().map_or(&[], |v| v.semantic.as_slice()),
            ),
        ];
        for (kind, list) in kinds {
            if let Some(c) = list.iter().find(|c| c.members.contains(&doc)) {
                clusters.push((kind, c.id, c.members.len() as u32));
            }
        }
        let neighbours = match open.search.vectors() {
            Some(v) => v
                .index
                .search(v.index.vectors().row(doc as usize), NEIGHBOURS + 1, |d| {
                    d != doc
                })?
                .into_iter()
                .take(NEIGHBOURS)
                .map(|h| (h.index, h.score, open.search.info(h.index).source.clone()))
                .collect(),
            None => Vec::new(),
        };
        Ok(DocumentView {
            doc,
            source: info.source.clone(),
            tokens: spans.len() as u32,
            bytes: text.len() as u64,
            status: info.status,
            pieces,
            cut: shown < spans.len(),
            clusters,
            neighbours,
        })
    }

    /// The stored report with its near duplicates found again under
    /// `bands` × `rows` of the stored signatures (see [`Report::rebanded`]),
    /// to be stored in its place.
    pub fn rebanded(&self, bands: usize, rows: usize) -> Result<Report> {
        let open = self.opened()?;
        let sources: Vec<&str> = (0..open.texts.len() as u32)
            .map(|doc| open.search.info(doc).source.as_str())
            .collect();
        let d = &open.dedup;
        d.stored.rebanded(bands, rows, &sources, &d.signatures)
    }

    fn opened(&self) -> Result<&Open> {
        self.open.as_ref().ok_or_else(|| fail("no corpus is open"))
    }
}
