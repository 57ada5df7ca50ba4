//! What a share link carries: where the data comes from, the settings it is
//! analysed with, and the view open on it. The app writes it into the page's
//! query string and reads it back; unknown keys and bad values are ignored,
//! so an old or hand-edited link still opens what it can.

use crate::cluster_list::ClusterKind;
use crate::vectors::SearchMode;

/// The views of an open corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Overview,
    Duplicates,
    Search,
    Document,
}

impl View {
    pub const ALL: [View; 4] = [
        Self::Overview,
        Self::Duplicates,
        Self::Search,
        Self::Document,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Duplicates => "duplicates",
            Self::Search => "search",
            Self::Document => "document",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// The state a link reproduces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewState {
    /// The data file's URL, for a corpus loaded from one.
    pub data: Option<String>,
    /// The corpus's id in this browser's library (a local file's corpus
    /// can only be reopened where it was loaded).
    pub corpus: Option<String>,
    pub tokenizer: Option<String>,
    /// LSH bands and rows.
    pub banding: Option<(usize, usize)>,
    pub view: View,
    /// The duplicates view's tab and open cluster.
    pub clusters: Option<ClusterKind>,
    pub cluster: Option<u32>,
    /// The search box's query and mode.
    pub query: Option<String>,
    pub mode: Option<SearchMode>,
    /// The document open in the document view (its position, from 0).
    pub doc: Option<u32>,
}

impl ViewState {
    /// Key–value pairs for a query string, in a fixed order, the empty ones
    /// left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut put = |key: &'static str, value: Option<String>| {
            if let Some(v) = value {
                pairs.push((key, v));
            }
        };
        put("data", self.data.clone());
        put("corpus", self.corpus.clone());
        put("tokenizer", self.tokenizer.clone());
        put("bands", self.banding.map(|b| b.0.to_string()));
        put("rows", self.banding.map(|b| b.1.to_string()));
        put(
            "view",
            (self.view != View::Overview).then(|| self.view.name().to_string()),
        );
        put("clusters", self.clusters.map(|k| k.name().to_string()));
        put("cluster", self.cluster.map(|c| c.to_string()));
        put("q", self.query.clone().filter(|q| !q.is_empty()));
        put("mode", self.mode.map(|m| m.name().to_string()));
        put("doc", self.doc.map(|d| d.to_string()));
        pairs
    }

    /// The state of a query string's pairs (already percent-decoded).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut state = Self::default();
        let (mut bands, mut rows) = (None, None);
        let text = |v: &str| (!v.is_empty()).then(|| v.to_string());
        for (key, value) in pairs {
            match key {
                "data" => state.data = text(value),
                "corpus" => state.corpus = text(value),
                "tokenizer" => state.tokenizer = text(value),
                "bands" => bands = value.parse().ok().filter(|&b: &usize| b > 0),
                "rows" => rows = value.parse().ok().filter(|&r: &usize| r > 0),
                "view" => state.view = View::from_name(value).unwrap_or_default(),
                "clusters" => state.clusters = ClusterKind::from_name(value),
                "cluster" => state.cluster = value.parse().ok(),
                "q" => state.query = text(value),
                "mode" => state.mode = SearchMode::from_name(value),
                "doc" => state.doc = value.parse().ok(),
                _ => {}
            }
        }
        state.banding = bands.zip(rows);
        state
    }

    /// Whether the link names data to load or a corpus to open.
    pub fn has_data(&self) -> bool {
        self.data.is_some() || self.corpus.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs_of(state: &ViewState) -> Vec<(&'static str, String)> {
        state.to_pairs()
    }

    #[test]
    fn a_full_state_reads_back() {
        let state = ViewState {
            data: Some("https://example.org/a b.jsonl?x=1&y=2".into()),
            corpus: None,
            tokenizer: Some("cl100k_base".into()),
            banding: Some((28, 4)),
            view: View::Duplicates,
            clusters: Some(ClusterKind::Near),
            cluster: Some(17),
            query: Some("rust & wasm".into()),
            mode: Some(SearchMode::Keyword),
            doc: Some(0),
        };
        let pairs = pairs_of(&state);
        assert_eq!(pairs[0].0, "data");
        assert_eq!(pairs[2], ("bands", "28".to_string()));
        let back = ViewState::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, state);
    }

    #[test]
    fn bad_values_and_unknown_keys_are_ignored() {
        let state = ViewState::from_pairs([
            ("view", "nowhere"),
            ("bands", "0"),
            ("rows", "8"),
            ("cluster", "-3"),
            ("mode", "fuzzy"),
            ("utm_source", "x"),
            ("doc", "12"),
        ]);
        assert_eq!(
            state,
            ViewState {
                doc: Some(12),
                ..ViewState::default()
            }
        );
        assert!(!state.has_data());
        assert!(ViewState::default().to_pairs().is_empty());
    }

    proptest! {
        #[test]
        fn every_state_reads_back(
            data in proptest::option::of(".{1,40}"),
            corpus in proptest::option::of("[a-z0-9-]{1,20}"),
            tokenizer in proptest::option::of("[a-z0-9_.]{1,20}"),
            banding in proptest::option::of((1usize..200, 1usize..200)),
            view in 0usize..4,
            clusters in proptest::option::of(0usize..3),
            cluster in proptest::option::of(any::<u32>()),
            query in proptest::option::of(".{1,40}"),
            mode in proptest::option::of(0usize..3),
            doc in proptest::option::of(any::<u32>()),
        ) {
            let state = ViewState {
                data, corpus, tokenizer, banding,
                view: View::ALL[view],
                clusters: clusters.map(|k| ClusterKind::ALL[k]),
                cluster,
                query,
                mode: mode.map(|m| SearchMode::ALL[m]),
                doc,
            };
            let pairs = state.to_pairs();
            let back = ViewState::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(back, state);
        }
    }
}
