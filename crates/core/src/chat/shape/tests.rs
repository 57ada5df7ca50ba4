use super::*;
use serde_json::json;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

/// A turn read: role, branch, content.
type ReadTurn = (Role, Option<Branch>, String);

/// The shape detected in `record` and the turns read.
fn read(record: Value) -> (Option<ChatFields>, Vec<ReadTurn>) {
    let record = obj(record);
    let fields = ChatFields::detect(&record);
    let turns = fields
        .as_ref()
        .and_then(|f| f.read(&record).ok())
        .map(|(text, conv)| {
            conv.turns_in(&text)
                .map(|(t, c)| (t.role, t.branch, c.to_string()))
                .collect()
        })
        .unwrap_or_default();
    (fields, turns)
}

fn turns(list: &[(Role, &str)]) -> Vec<ReadTurn> {
    list.iter()
        .map(|(r, c)| (*r, None, c.to_string()))
        .collect()
}

#[test]
fn openai_messages() {
    let (fields, got) = read(json!({"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "2+2?"},
        {"role": "assistant", "content": null, "tool_calls": [{"type": "function", "function": {"name": "add", "arguments": "{}"}}]},
        {"role": "tool", "content": "4"},
        {"role": "assistant", "content": "4."}
    ]}));
    let fields = fields.unwrap();
    assert_eq!(fields.shape(), ChatShape::ChatMessages);
    assert_eq!(fields.describe(), "chat messages (messages: role/content)");
    assert_eq!(
        got,
        turns(&[
            (Role::System, "Be brief."),
            (Role::User, "2+2?"),
            (Role::Assistant, ""),
            (Role::Tool, "4"),
            (Role::Assistant, "4.")
        ])
    );
}

#[test]
fn content_parts_keep_text_and_count_the_rest() {
    let record = obj(json!({"messages": [
        {"role": "user", "content": [
            {"type": "image", "url": "x.png"},
            {"type": "text", "text": "What is this?"},
            {"type": "text", "text": "Be precise."}
        ]},
        {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]}
    ]}));
    let fields = ChatFields::detect(&record).unwrap();
    let (text, conv) = fields.read(&record).unwrap();
    assert_eq!(text, "What is this?\n\nBe precise.\n\nA cat.");
    assert_eq!(conv.skipped_parts, 1);
    assert_eq!(conv.turns.len(), 2);
}

#[test]
fn sharegpt_with_a_system_field() {
    let (fields, got) = read(json!({
        "id": "QWJhYvA_0",
        "system": "You are helpful.",
        "conversations": [
            {"from": "human", "value": "Hi"},
            {"from": "gpt", "value": "Hello."},
            {"from": "function_call", "value": "{\"name\": \"f\"}"},
            {"from": "observation", "value": "ok"},
            {"from": "narrator", "value": "…"}
        ]
    }));
    let fields = fields.unwrap();
    assert_eq!(
        fields.describe(),
        "ShareGPT conversations (conversations: from/value, system)"
    );
    assert_eq!(
        got,
        turns(&[
            (Role::System, "You are helpful."),
            (Role::User, "Hi"),
            (Role::Assistant, "Hello."),
            (Role::Assistant, "{\"name\": \"f\"}"),
            (Role::Tool, "ok"),
            (Role::Other, "…")
        ])
    );
}

#[test]
fn instruction_shapes() {
    let (fields, got) =
        read(json!({"instruction": "Translate.", "input": "chat", "output": "cat", "text": null}));
    assert_eq!(fields.unwrap().shape(), ChatShape::Alpaca);
    assert_eq!(
        got,
        turns(&[(Role::User, "Translate.\n\nchat"), (Role::Assistant, "cat")])
    );
    let (_, got) = read(json!({"instruction": "Name a colour.", "input": "", "output": "Red"}));
    assert_eq!(
        got,
        turns(&[(Role::User, "Name a colour."), (Role::Assistant, "Red")])
    );
    let (fields, _) = read(json!({
        "instruction": "When did it open?", "context": "The museum opened in 1901.",
        "response": "1901.", "category": "closed_qa"
    }));
    assert_eq!(fields.unwrap().shape(), ChatShape::Dolly);
    let (fields, got) = read(json!({"prompt": "Q?", "completion": "A."}));
    assert_eq!(fields.unwrap().shape(), ChatShape::PromptResponse);
    assert_eq!(got, turns(&[(Role::User, "Q?"), (Role::Assistant, "A.")]));
    let (fields, _) = read(json!({"question": "Q?", "answer": "A."}));
    assert!(fields.is_some());
}

#[test]
fn preference_with_message_lists_shares_the_prompt() {
    let (fields, got) = read(json!({
        "prompt": "Say hi",
        "prompt_id": "ab12",
        "chosen": [{"role": "user", "content": "Say hi"}, {"role": "assistant", "content": "Hi!"}],
        "rejected": [{"role": "user", "content": "Say hi"}, {"role": "assistant", "content": "No."}],
        "score_chosen": 8.0
    }));
    assert_eq!(fields.unwrap().shape(), ChatShape::Preference);
    assert_eq!(
        got,
        vec![
            (Role::User, None, "Say hi".to_string()),
            (Role::Assistant, Some(Branch::Chosen), "Hi!".to_string()),
            (Role::Assistant, Some(Branch::Rejected), "No.".to_string()),
        ]
    );
}

#[test]
fn preference_with_strings() {
    let (_, got) = read(json!({
        "system": "S", "question": "Q", "chosen": "good", "rejected": "bad"
    }));
    assert_eq!(
        got,
        vec![
            (Role::System, None, "S".to_string()),
            (Role::User, None, "Q".to_string()),
            (Role::Assistant, Some(Branch::Chosen), "good".to_string()),
            (Role::Assistant, Some(Branch::Rejected), "bad".to_string()),
        ]
    );
}

#[test]
fn plain_records_are_not_conversations() {
    let plain = [
        json!({"text": "Some article.", "url": "https://a.org", "id": "1"}),
        json!({"text": "Q and A", "question": "Q?", "answer": "A."}),
        json!({"content": "fn main() {}", "lang": "Rust"}),
        json!({"messages": "not a list"}),
        json!({"messages": [1, 2]}),
        json!({"conversations": [{"speaker": "a", "text": "b"}]}),
        json!({"title": "T", "body": "B"}),
    ];
    for record in plain {
        assert_eq!(ChatFields::detect(&obj(record.clone())), None, "{record}");
    }
}

#[test]
fn broken_conversations_are_reasons() {
    let fields = ChatFields::Messages {
        list: "messages".into(),
        role: "role".into(),
        content: "content".into(),
        system: None,
    };
    let cases = [
        (json!({}), "no field \"messages\" in this record"),
        (json!({"messages": []}), "the conversation has no turns"),
        (
            json!({"messages": [{"content": "x"}]}),
            "messages[0] has no string \"role\"",
        ),
        (
            json!({"messages": ["x"]}),
            "messages[0] is not a message object",
        ),
        (
            json!({"messages": [{"role": "user", "content": 3}]}),
            "messages[0].content is neither text nor a list of parts",
        ),
    ];
    for (record, reason) in cases {
        assert_eq!(fields.read(&obj(record)).unwrap_err(), reason);
    }
}

#[test]
fn fields_serialise_with_a_shape_tag() {
    let fields = ChatFields::Instruction {
        system: None,
        instruction: "instruction".into(),
        input: Some("input".into()),
        output: "output".into(),
    };
    let json = serde_json::to_value(&fields).unwrap();
    assert_eq!(json["shape"], "instruction");
    let back: ChatFields = serde_json::from_value(
        json!({"shape": "instruction", "instruction": "instruction", "output": "output"}),
    )
    .unwrap();
    assert!(back.same_shape(&fields));
    assert_eq!(
        fields.describe(),
        "Alpaca instructions (instruction, input, output)"
    );
}
