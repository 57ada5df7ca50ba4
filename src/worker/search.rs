//! The search worker's state: one open corpus, its texts for snippets, and
//! the engine's [`CorpusSearch`] over them.

use super::SearchDocument;
use corpuscope_core::cluster_list::{cluster_list, ClusterList};
use corpuscope_core::dedup::{cluster_buckets, Cluster, DedupParams, SignatureStore};
use corpuscope_core::inspect::{estimated_jaccard, exact_jaccard, word_diff, DiffPiece};
use corpuscope_core::report::Report;
use corpuscope_core::tokenize::{token_pieces, TokenCounter, TokenPiece};
use corpuscope_core::vectors::snippet::{snippet, Piece};
use corpuscope_core::vectors::{
    dup_statuses, CorpusSearch, CorpusVectors, DocInfo, DupStatus, SearchFilter, SearchMode,
    StaticModel, StoredVectors, Vectors,
};
use serde::{Deserialize, Serialize};

/// Characters of text shown per result.
const SNIPPET_CHARS: usize = 240;

/// One result as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    /// Position of the document in its corpus.
    pub doc: u32,
    pub score: f32,
    /// Rank and score in the semantic and keyword rankings.
    pub semantic: Option<(u32, f32)>,
    pub keyword: Option<(u32, f32)>,
    pub source: String,
    pub tokens: u32,
    pub status: DupStatus,
    pub snippet: Vec<Piece>,
    pub cut_start: bool,
    pub cut_end: bool,
}

/// Semantic clusters the map colours one by one; the others share a colour.
const MAP_CLUSTERS: usize = 8;

/// Sampled points of the 2-D embedding map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPoints {
    /// Source names, sorted.
    pub sources: Vec<String>,
    /// Sizes of the largest semantic clusters, largest first.
    pub clusters: Vec<u32>,
    pub points: Vec<MapPoint>,
}

/// One document on the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub x: f32,
    pub y: f32,
    /// Index of its source in `MapPoints::sources`.
    pub source: u16,
    /// 0: in no semantic cluster; k ≤ `clusters.len()`: in the k-th
    /// largest; above: in a smaller one.
    pub cluster: u16,
}

/// Tokens of a document shown with their boundaries.
const TOKENS_SHOWN: usize = 4000;
/// Nearest neighbours listed in the document view.
const NEIGHBOURS: usize = 10;

/// One document as the document view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    pub doc: u32,
    pub source: String,
    pub tokens: u32,
    pub bytes: u64,
    pub status: DupStatus,
    /// The text cut at token boundaries, up to [`TOKENS_SHOWN`] tokens.
    pub pieces: Vec<TokenPiece>,
    /// Whether more tokens follow than are shown.
    pub cut: bool,
    /// The clusters the document is in: kind, id, size.
    pub clusters: Vec<(ClusterKind, u32, u32)>,
    /// Its nearest neighbours by embedding: document, cosine, source.
    pub neighbours: Vec<(u32, f32, String)>,
}

/// Clusters listed per kind.
const CLUSTERS_LISTED: usize = 50;

/// Members of a cluster shown at most.
const MEMBERS_SHOWN: usize = 50;

pub use corpuscope_core::cluster_list::ClusterKind;

/// A cluster member beside its representative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub doc: u32,
    pub source: String,
    pub tokens: u32,
    /// MinHash estimate and exact shingle-set Jaccard with the representative.
    pub estimated_jaccard: f64,
    pub exact_jaccard: f64,
    /// Embedding cosine with the representative, when embedded.
    pub cosine: Option<f32>,
    /// The representative → this member, word by word (the representative's
    /// own text for itself); `cut` when a long text was compared on its start.
    pub diff: Vec<DiffPiece>,
    pub cut: bool,
}

/// What the duplicates view needs besides the search.
struct Dedup {
    exact: Vec<Cluster>,
    near: Vec<Cluster>,
    params: DedupParams,
    signatures: SignatureStore,
}

/// A corpus being opened.
struct Opening {
    documents: usize,
    vectors: Option<CorpusVectors>,
    statuses: Vec<DupStatus>,
    added: Vec<SearchDocument>,
    dedup: Dedup,
}

/// A corpus ready to search.
struct Open {
    search: CorpusSearch,
    texts: Vec<String>,
    dedup: Dedup,
}

#[derive(Default)]
pub struct SearchState {
    opening: Option<Opening>,
    open: Option<Open>,
}

fn text(e: corpuscope_core::Error) -> String {
    e.to_string()
}

impl SearchState {
    pub fn open(
        &mut self,
        documents: u32,
        vectors: Option<(u32, serde_bytes::ByteBuf, StoredVectors)>,
        report_json: &str,
        signatures: &[u8],
    ) -> Result<(), String> {
        self.open = None;
        let report: Report = serde_json::from_str(report_json)
            .map_err(|e| format!("the stored report is damaged: {e}"))?;
        let vectors = match vectors {
            Some((dim, bytes, stored)) => {
                let values = bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                let rows = Vectors::from_flat(dim as usize, values).map_err(text)?;
                Some(CorpusVectors::from_stored(rows, stored).map_err(text)?)
            }
            None => None,
        };
        let signatures = SignatureStore::from_bytes(signatures).map_err(text)?;
        self.opening = Some(Opening {
            documents: documents as usize,
            vectors,
            statuses: dup_statuses(&report.dedup),
            added: Vec::with_capacity(documents as usize),
            dedup: Dedup {
                exact: report.dedup.exact_clusters,
                near: report.dedup.near_clusters,
                params: report.dedup.params,
                signatures,
            },
        });
        Ok(())
    }

    pub fn add(&mut self, documents: Vec<SearchDocument>) {
        if let Some(opening) = &mut self.opening {
            opening.added.extend(documents);
        }
    }

    pub fn build(&mut self) -> Result<(), String> {
        let opening = self.opening.take().ok_or("no corpus is being opened")?;
        if opening.added.len() != opening.documents || opening.statuses.len() != opening.documents {
            return Err(format!(
                "the corpus has {} documents, {} were read and the report covers {}",
                opening.documents,
                opening.added.len(),
                opening.statuses.len()
            ));
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
        let search = CorpusSearch::new(docs, texts.iter().map(String::as_str), opening.vectors)
            .map_err(text)?;
        self.open = Some(Open {
            search,
            texts,
            dedup: opening.dedup,
        });
        Ok(())
    }

    /// Results and the milliseconds the search took (embedding included).
    pub fn search(
        &self,
        model: Option<&StaticModel>,
        mode: SearchMode,
        query: &str,
        k: usize,
        filter: &SearchFilter,
    ) -> Result<(Vec<Found>, f64), String> {
        let open = self.open.as_ref().ok_or("no corpus is open for search")?;
        let start = super::now_ms();
        let vector = match mode {
            SearchMode::Keyword => None,
            _ if open.search.vectors().is_none() => {
                return Err("this corpus was loaded without embeddings: use keyword search".into())
            }
            _ => {
                let model = model.ok_or("the embedding model is not loaded")?;
                Some(model.embed(query).map_err(text)?)
            }
        };
        let hits = open
            .search
            .search(mode, query, vector.as_deref(), k, filter)
            .map_err(text)?;
        let millis = super::now_ms() - start;
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
        Ok((found, millis))
    }

    /// The members of cluster `id` of `kind`, each beside the representative.
    pub fn cluster(&self, kind: ClusterKind, id: u32) -> Result<Vec<Member>, String> {
        let open = self.open.as_ref().ok_or("no corpus is open")?;
        let d = &open.dedup;
        let clusters: &[Cluster] = match kind {
            ClusterKind::Exact => &d.exact,
            ClusterKind::Near => &d.near,
            ClusterKind::Semantic => open.search.vectors().map_or(&[], |v| v.semantic.as_slice()),
        };
        let cluster = clusters
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| format!("no cluster {id}"))?;
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
                            change: corpuscope_core::inspect::Change::Same,
                            text: own
                                .chars()
                                .take(corpuscope_core::inspect::DIFF_CHARS)
                                .collect(),
                        }],
                        own.chars().count() > corpuscope_core::inspect::DIFF_CHARS,
                    )
                } else {
                    word_diff(rep_text, own)
                };
                let cosine = open.search.vectors().map(|v| {
                    let rows = v.index.vectors();
                    corpuscope_core::vectors::dot(rows.row(rep as usize), rows.row(doc as usize))
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
    ) -> Result<ClusterList, String> {
        let open = self.open.as_mut().ok_or("no corpus is open")?;
        let d = &mut open.dedup;
        if let (ClusterKind::Near, Some((bands, rows))) = (kind, banding) {
            let (bands, rows) = (bands as usize, rows as usize);
            let now = d.params.minhash;
            if (bands, rows) != (now.bands, now.rows) {
                if d.params.verify_threshold.is_some() {
                    return Err(
                        "this corpus's near duplicates were verified by exact Jaccard; they cannot be re-clustered from signatures alone".into(),
                    );
                }
                d.near = cluster_buckets(&d.signatures, bands, rows)
                    .map_err(text)?
                    .clusters;
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
    pub fn map(&self, max: usize) -> Result<MapPoints, String> {
        let open = self.open.as_ref().ok_or("no corpus is open")?;
        let vectors = open
            .search
            .vectors()
            .ok_or("this corpus has no embeddings")?;
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
    pub fn document(&self, doc: u32, counter: &TokenCounter) -> Result<DocumentView, String> {
        let open = self.open.as_ref().ok_or("no corpus is open")?;
        let text = open
            .texts
            .get(doc as usize)
            .ok_or_else(|| format!("no document {doc}"))?;
        let info = open.search.info(doc);
        let spans = counter.ids_with_offsets(text).map_err(|e| e.to_string())?;
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
                })
                .map_err(|e| e.to_string())?
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
}
