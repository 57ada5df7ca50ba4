//! Python's string semantics, as datatrove's filters rely on them: `str.isspace`,
//! `strip`, `split()`, `splitlines`, `isalpha`, and lengths in code points.
//! Also datatrove's punctuation sets (`datatrove.utils.text`).

use unicode_categories::UnicodeCategories;

/// Python's `str.isspace` for one character: Unicode White_Space plus the
/// four information separators U+001C..U+001F, which Python also counts.
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\t'..='\r' | ' ' | '\x1c'..='\x1f')
    } else {
        c.is_whitespace()
    }
}

/// Python's `str.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python's `str.lstrip()`.
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// Python's `str.rstrip()`.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Python's `str.split()` without arguments: runs of whitespace, no empty parts.
pub fn split_whitespace(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// Python's `len(s)`: code points.
pub fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The line boundaries of Python's `str.splitlines` (with `\r\n` as one).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.splitlines()`: no final empty line, `\r\n` is one break.
pub fn splitlines(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_line_break(c) {
            lines.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(_, '\n')) = iter.peek() {
                    iter.next();
                    end += 1;
                }
            }
            start = end;
        }
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// Python's `str.isalpha` for one character: general category L*.
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_letter()
    }
}

/// spaCy's `is_punct` for a token: every character of general category P*.
pub fn is_punct_token(s: &str) -> bool {
    s.chars().all(|c| {
        if c.is_ascii() {
            c.is_ascii_punctuation()
                && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~')
        } else {
            c.is_punctuation()
        }
    })
}

/// `datatrove.utils.text.TERMINAL_PUNCTUATION` (datatrove 0.10.1), as sorted code points.
const TERMINAL_PUNCTUATION: [u32; 159] = [
    0x21, 0x2E, 0x3F, 0x589, 0x61D, 0x61E, 0x61F, 0x6D4, 0x700, 0x701, 0x702, 0x7F9, 0x837, 0x839,
    0x83D, 0x83E, 0x964, 0x965, 0x104A, 0x104B, 0x1362, 0x1367, 0x1368, 0x166E, 0x1735, 0x1736,
    0x17D4, 0x17D5, 0x17D6, 0x17D9, 0x17DA, 0x1803, 0x1809, 0x1944, 0x1945, 0x1AA8, 0x1AA9, 0x1AAA,
    0x1AAB, 0x1B5A, 0x1B5B, 0x1B5E, 0x1B5F, 0x1B7D, 0x1B7E, 0x1C3B, 0x1C3C, 0x1C7E, 0x1C7F, 0x203C,
    0x203D, 0x2047, 0x2048, 0x2049, 0x2E2E, 0x2E3C, 0x2E53, 0x2E54, 0x3002, 0xA4FF, 0xA60E, 0xA60F,
    0xA6F3, 0xA6F7, 0xA876, 0xA877, 0xA8CE, 0xA8CF, 0xA92F, 0xA9C8, 0xA9C9, 0xAA5D, 0xAA5E, 0xAA5F,
    0xAAF0, 0xAAF1, 0xABEB, 0xFE52, 0xFE56, 0xFE57, 0xFF01, 0xFF0E, 0xFF1F, 0xFF61, 0x10A56,
    0x10A57, 0x10F55, 0x10F56, 0x10F57, 0x10F58, 0x10F59, 0x10F86, 0x10F87, 0x10F88, 0x10F89,
    0x11047, 0x11048, 0x110BE, 0x110BF, 0x110C0, 0x110C1, 0x11141, 0x11142, 0x11143, 0x111C5,
    0x111C6, 0x111CD, 0x111DE, 0x111DF, 0x11238, 0x11239, 0x1123B, 0x1123C, 0x112A9, 0x1144B,
    0x1144C, 0x115C2, 0x115C3, 0x115C9, 0x115CA, 0x115CB, 0x115CC, 0x115CD, 0x115CE, 0x115CF,
    0x115D0, 0x115D1, 0x115D2, 0x115D3, 0x115D4, 0x115D5, 0x115D6, 0x115D7, 0x11641, 0x11642,
    0x1173C, 0x1173D, 0x1173E, 0x11944, 0x11946, 0x11A42, 0x11A43, 0x11A9B, 0x11A9C, 0x11C41,
    0x11C42, 0x11EF7, 0x11EF8, 0x11F43, 0x11F44, 0x16A6E, 0x16A6F, 0x16AF5, 0x16B37, 0x16B38,
    0x16B44, 0x16E98, 0x1BC9F, 0x1DA88,
];

/// Terminal punctuation that spaCy's sentencizer (3.8) does not split on:
/// its `default_punct_chars` are datatrove's set without these.
const NOT_SENTENCIZER: [u32; 31] = [
    0x61D, 0x61E, 0x837, 0x839, 0x83D, 0x83E, 0x17D4, 0x17D5, 0x17D6, 0x17D9, 0x17DA, 0x1B7D,
    0x1B7E, 0x2E53, 0x2E54, 0x10F55, 0x10F56, 0x10F57, 0x10F58, 0x10F59, 0x10F86, 0x10F87, 0x10F88,
    0x10F89, 0x11944, 0x11946, 0x11EF7, 0x11EF8, 0x11F43, 0x11F44, 0x16E98,
];

/// Whether `c` is in datatrove's `TERMINAL_PUNCTUATION`.
pub fn is_terminal_punctuation(c: char) -> bool {
    match c {
        '.' | '!' | '?' => true,
        c if c.is_ascii() => false,
        c => TERMINAL_PUNCTUATION.binary_search(&(c as u32)).is_ok(),
    }
}

/// Whether `c` is one of spaCy's sentencizer's default `punct_chars`.
pub fn is_sentence_end(c: char) -> bool {
    is_terminal_punctuation(c) && NOT_SENTENCIZER.binary_search(&(c as u32)).is_err()
}

/// The non-ASCII characters of datatrove's `PUNCTUATION` string.
const PUNCTUATION_NON_ASCII: &str = "«´»–—’“”„…∶━►、。〈〉《》「」【】！％（），．１：；？～";

/// Whether `c` is in datatrove's `PUNCTUATION_SET`: its `PUNCTUATION` (ASCII
/// punctuation, some typographic and CJK marks, the C0 controls but tab and
/// newline, DEL and the C1 controls) with `TERMINAL_PUNCTUATION`.
pub fn is_datatrove_punctuation(c: char) -> bool {
    let n = c as u32;
    if c.is_ascii() {
        return c.is_ascii_punctuation() || (n < 32 && n != 9 && n != 10) || n == 127;
    }
    (127..160).contains(&n) || PUNCTUATION_NON_ASCII.contains(c) || is_terminal_punctuation(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_like_python() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("a", &["a"]),
            ("a\n", &["a"]),
            ("a\r\nb\rc\n\nd", &["a", "b", "c", "", "d"]),
            ("\n", &[""]),
            ("a\u{2028}b\x0bc", &["a", "b", "c"]),
        ];
        for (text, lines) in cases {
            assert_eq!(splitlines(text), *lines, "{text:?}");
        }
    }

    #[test]
    fn python_whitespace() {
        assert!(is_space('\x1c') && is_space('\u{a0}') && is_space('\u{3000}'));
        assert!(!is_space('\u{200b}'));
        assert_eq!(strip("\x1f a \u{a0}"), "a");
        assert_eq!(
            split_whitespace(" a\x1cb  c ").collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn character_classes() {
        assert!(is_alpha('é') && is_alpha('中') && !is_alpha('\u{0301}') && !is_alpha('1'));
        assert!(
            is_punct_token("...")
                && is_punct_token("«")
                && !is_punct_token("+")
                && !is_punct_token("a.")
        );
        assert!(is_terminal_punctuation('。') && !is_terminal_punctuation(','));
        assert!(is_sentence_end('.') && !is_sentence_end('\u{61D}'));
        assert!(is_datatrove_punctuation('#') && is_datatrove_punctuation('\x00'));
        assert!(!is_datatrove_punctuation('\n') && !is_datatrove_punctuation('a'));
    }
}
