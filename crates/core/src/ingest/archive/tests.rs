use super::*;

#[test]
fn containers() {
    assert_eq!(
        container_of(b"PK\x03\x04rest"),
        Some(crate::ingest::Format::Zip)
    );
    assert_eq!(container_of(b"{}"), None);
}
