//! Exploring one open corpus in the search worker: opening it from what
//! was stored, then searches, cluster lists, clusters, documents, the map.

use corpuscope_core::cluster_list::{ClusterKind, ClusterList};
use corpuscope_core::explore::{DocumentView, Found, MapPoints, Member, StoredDocument};
use corpuscope_core::vectors::{SearchFilter, SearchMode, StoredVectors};
use serde::{Deserialize, Serialize};

/// Prepare to explore a corpus of `documents` documents from what was
/// stored with it: its vectors (little-endian f32 rows of `dim` values)
/// and index, its report (the stored JSON) and its MinHash signatures
/// (`SignatureStore::to_bytes`). The answer, when the stored vectors were
/// of an older clustering rule, is what to store in their place.
#[derive(Debug, Serialize, Deserialize)]
pub struct Open {
    pub documents: u32,
    pub vectors: Option<(u32, serde_bytes::ByteBuf, StoredVectors)>,
    pub report_json: String,
    #[serde(with = "serde_bytes")]
    pub signatures: Vec<u8>,
}

/// The next documents of the corpus being opened, in order.
#[derive(Debug, Serialize, Deserialize)]
pub struct Add {
    pub documents: Vec<StoredDocument>,
}

/// All documents were added: build the keyword index.
#[derive(Debug, Serialize, Deserialize)]
pub struct Build;

/// The `k` best documents for `query`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Search {
    pub mode: SearchMode,
    pub query: String,
    pub k: u32,
    pub filter: SearchFilter,
}

/// Search results, best first, and the milliseconds the search took.
#[derive(Debug, Serialize, Deserialize)]
pub struct Hits {
    pub hits: Vec<Found>,
    pub millis: f64,
}

/// One document with its token boundaries (under the tokenizer the worker
/// holds), its clusters and nearest neighbours.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document {
    pub doc: u32,
}

/// Up to `max` points of the 2-D map, evenly sampled.
#[derive(Debug, Serialize, Deserialize)]
pub struct Map {
    pub max: u32,
}

/// The members of one cluster, each beside the cluster's representative.
#[derive(Debug, Serialize, Deserialize)]
pub struct Cluster {
    pub kind: ClusterKind,
    pub id: u32,
}

/// The largest clusters of `kind` with their sources; near duplicates
/// re-clustered under `banding` (bands, rows) first when it is given.
#[derive(Debug, Serialize, Deserialize)]
pub struct Clusters {
    pub kind: ClusterKind,
    pub banding: Option<(u32, u32)>,
}

/// The open corpus's report (JSON) with its near duplicates found again
/// under `bands` × `rows` of its signatures, to be stored.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reband {
    pub bands: u32,
    pub rows: u32,
}

super::role!(Explorer {
    open: Open => Option<StoredVectors>,
    add: Add => (),
    build: Build => (),
    search: Search => Hits,
    document: Document => Box<DocumentView>,
    map: Map => MapPoints,
    cluster: Cluster => Vec<Member>,
    clusters: Clusters => ClusterList,
    reband: Reband => String,
});
