//! Vector search: static embeddings, exact and approximate nearest neighbours,
//! BM25 keyword search, hybrid ranking, semantic dedup and a 2-D map.
//!
//! All vectors searched here are L2-normalised, so cosine similarity is a dot
//! product and higher scores are better.

pub mod bm25;
pub mod corpus;
pub mod exact;
pub mod hnsw;
pub mod hybrid;
pub mod index;
mod kernel;
pub mod matrix;
pub mod model;
pub mod project;
pub mod search;
pub mod semdedup;
pub mod snippet;
pub mod synthetic;

pub use bm25::Bm25;
pub use corpus::{CorpusVectors, StoredVectors};
pub use exact::{top_k, Hit};
pub use hnsw::{Hnsw, HnswParams};
pub use hybrid::{reciprocal_rank_fusion, FusedHit};
pub use index::{SemanticIndex, EF_SEARCH, HNSW_THRESHOLD};
pub use kernel::dot;
pub use matrix::{check_user_vector, VectorFault, Vectors};
pub use model::StaticModel;
pub use project::pca_2d;
pub use search::{
    dup_statuses, CorpusSearch, DocInfo, DupFilter, DupStatus, SearchFilter, SearchHit, SearchMode,
};
pub use semdedup::{
    compare_clusters, semantic_clusters, semantic_clusters_in, ClusterComparison, SemDedupParams,
    SEMANTIC_RULE,
};
