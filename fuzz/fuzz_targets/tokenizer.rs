//! `tokenizer.json` loading: any bytes give a tokenizer or an error, never a
//! panic; a tokenizer that loads counts, encodes with offsets and cuts a text
//! into pieces without panicking. Seeds: small tokenizers of each model kind
//! (fuzz/seeds/tokenizer).
#![no_main]

use corpuscope_core::tokenize::{token_pieces, TokenCounter};
use libfuzzer_sys::fuzz_target;

const TEXTS: [&str; 4] = ["", "Hello world, hello  wörld!", "a\u{0}b\r\n\t", "日本語 🦀 <unk> [CLS]"];

fuzz_target!(|data: &[u8]| {
    let Ok(counter) = TokenCounter::from_json(data) else {
        return;
    };
    for text in TEXTS {
        let count = counter.count(text);
        let ids = counter.ids(text);
        if let (Ok(count), Ok(ids)) = (&count, &ids) {
            assert_eq!(*count, ids.len(), "{text:?}");
        }
        if let Ok(spans) = counter.ids_with_offsets(text) {
            let pieces = token_pieces(text, &spans);
            let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(joined, text);
        }
    }
});
