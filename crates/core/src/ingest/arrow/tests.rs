use super::*;

#[test]
fn not_arrow() {
    assert!(is_arrow(b"ARROW1\0\0"));
    assert!(is_arrow(b"\xff\xff\xff\xff\x10\x00\x00\x00"));
    assert!(!is_arrow(b"\xff\xff\xff\xff\x00\x00\x00\x00"));
    assert!(!is_arrow(b"{\"text\": 1}"));
}
