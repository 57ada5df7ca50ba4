use super::*;
use proptest::prelude::*;
use serde_json::json;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn records(values: &[Value]) -> Vec<Map<String, Value>> {
    values.iter().map(|v| obj(v.clone())).collect()
}

/// Records, then the expected text, source, vector and vector length.
type Case = (
    Vec<Value>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<usize>,
);

#[test]
fn detect_rules() {
    // (records, text, source, vector, vector_dim)
    let cases: Vec<Case> = vec![
        // Known text name beats a longer string.
        (
            vec![json!({"text": "short", "notes": "a far longer string than the text"})],
            Some("text"),
            None,
            None,
            None,
        ),
        // Nested known name.
        (
            vec![json!({"id": "long identifier string", "meta": {"content": "c"}})],
            Some("meta.content"),
            None,
            None,
            None,
        ),
        // No known name: longest mean length.
        (
            vec![
                json!({"a": "xx", "b": "yyyyyy"}),
                json!({"a": "xxxxxxxx", "b": "y"}),
            ],
            Some("a"),
            None,
            None,
            None,
        ),
        // Known source names, top-level and nested.
        (
            vec![json!({"text": "t", "source": "web"})],
            Some("text"),
            Some("source"),
            None,
            None,
        ),
        (
            vec![json!({"text": "t", "meta": {"redpajama_set_name": "RedPajamaBook"}})],
            Some("text"),
            Some("meta.redpajama_set_name"),
            None,
            None,
        ),
        (
            vec![json!({"content": "x = 1", "lang": "Python", "max_stars_repo_name": "a/b"})],
            Some("content"),
            Some("lang"),
            None,
            None,
        ),
        // URL host when no source name.
        (
            vec![json!({"text": "t", "url": "https://news.example.com/a"})],
            Some("text"),
            Some("host:url"),
            None,
            None,
        ),
        // FineWeb: a constant language loses to varied URL hosts.
        (
            vec![
                json!({"text": "t", "language": "en", "url": "https://a.com/1"}),
                json!({"text": "u", "language": "en", "url": "https://b.org/2"}),
            ],
            Some("text"),
            Some("host:url"),
            None,
            None,
        ),
        // A varied language beats one host.
        (
            vec![
                json!({"content": "x", "lang": "Go", "url": "https://github.com/a"}),
                json!({"content": "y", "lang": "C", "url": "https://github.com/b"}),
            ],
            Some("content"),
            Some("lang"),
            None,
            None,
        ),
        // Neither varies: the host.
        (
            vec![json!({"text": "t", "language": "en", "url": "https://a.com/1"})],
            Some("text"),
            Some("host:url"),
            None,
            None,
        ),
        // A named source wins even when constant.
        (
            vec![
                json!({"text": "t", "source": "c4", "metadata": {"url": "https://a.com/1"}}),
                json!({"text": "u", "source": "c4", "metadata": {"url": "https://b.com/1"}}),
            ],
            Some("text"),
            Some("source"),
            None,
            None,
        ),
        // A url that is not a URL: no source.
        (
            vec![json!({"text": "t", "url": "n/a"})],
            Some("text"),
            None,
            None,
            None,
        ),
        // Vector of fixed length.
        (
            vec![
                json!({"text": "t", "emb": [0.1, 0.2, 0.3]}),
                json!({"text": "u", "emb": [1, 2, 3]}),
            ],
            Some("text"),
            None,
            Some("emb"),
            Some(3),
        ),
        // Lengths differ: no vector.
        (
            vec![
                json!({"text": "t", "emb": [0.1, 0.2]}),
                json!({"text": "u", "emb": [1.0]}),
            ],
            Some("text"),
            None,
            None,
            None,
        ),
        // A few broken rows among 20 do not hide a vector column.
        (
            (0..20)
                .map(|i| match i {
                    3 => json!({"text": "t", "emb": [1.0, 2.0]}),
                    7 => json!({"text": "t", "emb": [1.0, "NaN", 0.0]}),
                    _ => json!({"text": "t", "emb": [0.5, 0.25, i]}),
                })
                .collect(),
            Some("text"),
            None,
            Some("emb"),
            Some(3),
        ),
        // Nothing usable.
        (vec![json!({"n": 1, "b": true})], None, None, None, None),
        (vec![], None, None, None, None),
    ];
    for (values, text, source, vector, dim) in cases {
        let found = detect_fields(&records(&values));
        let case = format!("{values:?}");
        assert_eq!(found.text.as_deref(), text, "{case}");
        assert_eq!(found.source.as_deref(), source, "{case}");
        assert_eq!(found.vector.as_deref(), vector, "{case}");
        assert_eq!(found.vector_dim, dim, "{case}");
    }
}

/// The conversation detection proposes for `values`, as described.
fn detected_conversation(values: &[Value]) -> Option<String> {
    let found = detect_fields(&records(values));
    if found.conversation.is_some() {
        assert_eq!(found.text, None);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    }
    found.conversation.map(|c| c.describe())
}

#[test]
fn conversations_are_detected_in_real_looking_records() {
    let cases: Vec<(Vec<Value>, &str)> = vec![
        // OpenAI fine-tuning / HF `messages`.
        (
            vec![json!({"messages": [
                {"role": "system", "content": "Marv is a sarcastic chatbot."},
                {"role": "user", "content": "What's the capital of France?"},
                {"role": "assistant", "content": "Paris, as if everyone doesn't know."}
            ]})],
            "chat messages (messages: role/content)",
        ),
        // HF messages with content parts (vision datasets), plus an id.
        (
            vec![json!({"id": "abc-123", "messages": [
                {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is shown?"}]},
                {"role": "assistant", "content": [{"type": "text", "text": "A bridge at dusk."}]}
            ], "images": ["img_0001.png"]})],
            "chat messages (messages: role/content)",
        ),
        // ultrachat_200k: prompt, prompt_id and messages.
        (
            vec![
                json!({"prompt": "How are you?", "prompt_id": "9f2c", "messages": [
                    {"role": "user", "content": "How are you?"},
                    {"role": "assistant", "content": "Fine."}
                ]}),
            ],
            "chat messages (messages: role/content)",
        ),
        // ShareGPT_Vicuna_unfiltered: id and conversations of from/value.
        (
            vec![
                json!({"id": "QWJhYvA_0", "conversations": [
                    {"from": "human", "value": "Summarize the main ideas of Jeff Walker's Product Launch Formula."},
                    {"from": "gpt", "value": "Here are the main ideas of Jeff Walker's Product Launch Formula: ..."}
                ]}),
                json!({"id": "i6IyJda_0", "conversations": []}),
                json!({"id": "A5AbcES_0", "conversations": [
                    {"from": "human", "value": "hi"}, {"from": "gpt", "value": "Hello!"}
                ]}),
            ],
            "ShareGPT conversations (conversations: from/value)",
        ),
        // Alpaca.
        (
            vec![
                json!({"instruction": "Give three tips for staying healthy.", "input": "", "output": "1. Eat a balanced diet..."}),
                json!({"instruction": "Translate.", "input": "Hello", "output": "Bonjour"}),
            ],
            "Alpaca instructions (instruction, input, output)",
        ),
        // Dolly 15k.
        (
            vec![json!({
                "instruction": "When did Virgin Australia start operating?",
                "context": "Virgin Australia, the trading name of Virgin Australia Airlines Pty Ltd, ...",
                "response": "Virgin Australia commenced services on 31 August 2000.",
                "category": "closed_qa"
            })],
            "Dolly instructions (instruction, context, response)",
        ),
        // UltraFeedback binarized: prompt, chosen and rejected message lists.
        (
            vec![json!({
                "prompt": "Explain recursion.", "prompt_id": "7c1",
                "chosen": [{"role": "user", "content": "Explain recursion."}, {"role": "assistant", "content": "A function calling itself..."}],
                "rejected": [{"role": "user", "content": "Explain recursion."}, {"role": "assistant", "content": "No."}],
                "messages": [{"role": "user", "content": "Explain recursion."}, {"role": "assistant", "content": "A function calling itself..."}],
                "score_chosen": 8.5, "score_rejected": 3.0
            })],
            "preference pairs (prompt, chosen, rejected)",
        ),
        // Anthropic HH-RLHF: chosen and rejected strings, no prompt.
        (
            vec![
                json!({"chosen": "\n\nHuman: Hi\n\nAssistant: Hello!", "rejected": "\n\nHuman: Hi\n\nAssistant: Go away."}),
            ],
            "preference pairs (chosen, rejected)",
        ),
        // GSM8K.
        (
            vec![
                json!({"question": "Natalia sold clips to 48 of her friends...", "answer": "Natalia sold 48/2 = 24 clips in May. #### 72"}),
            ],
            "prompt and response pairs (question, answer)",
        ),
        (
            vec![json!({"prompt": "Once upon a time", "completion": " there was"})],
            "prompt and response pairs (prompt, completion)",
        ),
    ];
    for (values, want) in cases {
        assert_eq!(
            detected_conversation(&values).as_deref(),
            Some(want),
            "{values:?}"
        );
    }
}

#[test]
fn plain_corpora_are_not_conversations() {
    let cases: Vec<Vec<Value>> = vec![
        // FineWeb.
        vec![
            json!({"text": "The quick brown fox...", "id": "<urn:uuid:1>", "dump": "CC-MAIN-2024-10", "url": "https://a.com/x", "language": "en", "token_count": 812}),
        ],
        // Dolma / RedPajama.
        vec![json!({"text": "Body", "source": "c4", "meta": {"url": "https://b.org"}})],
        vec![json!({"text": "Body", "meta": {"redpajama_set_name": "RedPajamaArXiv"}})],
        // The Stack.
        vec![json!({"content": "fn main() {}", "lang": "Rust", "max_stars_repo_name": "a/b"})],
        // A QA corpus that ships its text.
        vec![json!({"text": "Q: why? A: because.", "question": "why?", "answer": "because."})],
        // SQuAD: answers is an object.
        vec![
            json!({"id": "5733be28", "title": "University_of_Notre_Dame", "context": "Architecturally, the school has a Catholic character.", "question": "To whom did the Virgin Mary appear?", "answers": {"text": ["Saint Bernadette"], "answer_start": [515]}}),
        ],
        // A minority of chat records does not make a chat file.
        vec![
            json!({"text": "a"}),
            json!({"text": "b"}),
            json!({"messages": [{"role": "user", "content": "c"}]}),
        ],
    ];
    for values in cases {
        assert_eq!(detected_conversation(&values), None, "{values:?}");
    }
}

#[test]
fn a_nested_url_gives_the_host() {
    let found = detect_fields(&records(&[
        json!({"text": "t", "meta": {"url": "https://en.wikipedia.org/wiki/A"}}),
        json!({"text": "u", "meta": {"url": "https://de.wikipedia.org/wiki/B"}}),
    ]));
    assert_eq!(found.source.as_deref(), Some("host:meta.url"));
    let choice = found.choice();
    let r = obj(json!({"text": "t", "meta": {"url": "https://EN.wikipedia.org/wiki/A"}}));
    assert_eq!(choice.source_of(&r).as_deref(), Some("en.wikipedia.org"));
}

#[test]
fn field_choices_serialise_and_old_ones_still_read() {
    let old: FieldChoice = serde_json::from_str(r#"{"text": "body", "source": null}"#).unwrap();
    assert_eq!(old.text.as_deref(), Some("body"));
    assert_eq!(old.conversation, None);
    let found = detect_fields(&records(&[
        json!({"conversations": [{"from": "human", "value": "hi"}]}),
    ]));
    let choice = found.choice();
    let json = serde_json::to_string(&choice).unwrap();
    assert_eq!(serde_json::from_str::<FieldChoice>(&json).unwrap(), choice);
    let old: DetectedFields = serde_json::from_str(
        r#"{"text": "t", "source": null, "vector": null, "vector_dim": null, "columns": []}"#,
    )
    .unwrap();
    assert_eq!((old.conversation, old.warnings.len()), (None, 0));
}

#[test]
fn column_summary() {
    let found = detect_fields(&records(&[
        json!({"text": "abcd", "n": 1, "ok": true, "tags": ["a", "b"], "meta": {"x": null}}),
        json!({"text": "ab", "n": 2.5, "ok": false, "tags": ["c"], "meta": {"x": null}}),
    ]));
    let summary: Vec<_> = found
        .columns
        .iter()
        .map(|c| (c.path.as_str(), c.kind, c.mean_length))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("meta", ColumnKind::Object, 0.0),
            ("meta.x", ColumnKind::Null, 0.0),
            ("n", ColumnKind::Number, 0.0),
            ("ok", ColumnKind::Bool, 0.0),
            ("tags", ColumnKind::Strings, 1.5),
            ("text", ColumnKind::String, 3.0),
        ]
    );
    assert_eq!(found.columns[5].example, "abcd");
    assert_eq!(found.choice().text.as_deref(), Some("text"));
}

#[test]
fn examples_are_shortened() {
    let long = "é".repeat(200);
    let found = detect_fields(&records(&[json!({ "text": long })]));
    assert_eq!(found.columns[0].example.chars().count(), 81);
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z.]{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Any JSON objects: detection never panics, and what it proposes reads.
    #[test]
    fn detection_never_panics(values in proptest::collection::vec(arb_json(), 0..8)) {
        let maps: Vec<_> = values.into_iter().filter_map(|v| v.as_object().cloned()).collect();
        let found = detect_fields(&maps);
        let choice = found.choice();
        for m in &maps {
            let _ = choice.text_of(m);
            let _ = choice.source_of(m);
            let _ = FieldChoice::default().text_of(m);
        }
        if let Some(text) = &found.text {
            prop_assert!(found.columns.iter().any(|c| &c.path == text));
        }
    }
}
