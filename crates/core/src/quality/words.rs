//! Word splitting as datatrove does it for English.
//!
//! datatrove's `split_into_words(text, "en")` looks English up in its
//! `assets/tokenizer_assignment.csv` and gets `SpaCyTokenizer("en")`:
//! `spacy.blank("en")` (no model, no downloaded data: the rules ship inside the
//! `spacy` package) with a `sentencizer`. Words are the tokenizer's token texts,
//! each stripped, whitespace tokens dropped (`strip_strings`). Sentences (the C4
//! filter's count) are the sentencizer's.
//!
//! This module reproduces spaCy 3.8's English tokenizer in Rust, written from
//! its algorithm (`spacy/tokenizer.pyx`) and its English data
//! (`spacy/lang/punctuation.py`, `lang/en/punctuation.py`,
//! `lang/tokenizer_exceptions.py`, `lang/en/tokenizer_exceptions.py`):
//!
//! 1. Split the text into runs of whitespace and non-whitespace (Python's
//!    `isspace`); a run that is exactly one space is dropped, other whitespace
//!    runs are tokens of their own (they never become words).
//! 2. A run that is a special case (a tokenizer exception: `don't` → `do` `n't`,
//!    `Mr.`, emoticons…) becomes its pieces. Otherwise prefixes and suffixes are
//!    peeled off in turn (stopping at a special case), then what is left is
//!    kept whole if it is a special case or a URL, else split at infixes.
//! 3. Adjacent tokens of one run that spell a special case that affixes would
//!    have split (`x` `.` → `x.`) are merged back, longest first (spaCy's
//!    final special-case matcher).
//!
//! The prefix, suffix and infix rules are matched by hand rather than with
//! spaCy's regular expressions (with lookbehinds), for speed; the character
//! classes they use (spaCy's letters by script, upper and lower case, icons)
//! are its own, generated into [`super::classes`]. Not reproduced: spaCy's
//! exclusion of private IPv4 addresses from URLs (such a URL is kept whole here,
//! spaCy splits it at its infixes), and special cases matched across a space
//! (which spaCy's matcher finds and then leaves as they are). The oracle test (`tests/it/quality.rs`) compares the
//! words with spaCy's on the demo corpus and the adversarial set.

use std::sync::LazyLock;

use super::classes;
use super::text::{is_punct_token, is_sentence_end, is_space};
use regex::Regex;
use rustc_hash::FxHashMap;

/// A token: byte range in the text.
type Span = (usize, usize);

/// spaCy's English tokenizer rules.
struct Rules {
    /// Special cases: the text and its pieces' byte lengths.
    specials: FxHashMap<String, Vec<usize>>,
    /// Special cases that affixes would split, by text: the byte lengths of the
    /// tokens affixes give (the pattern spaCy's final matcher looks for).
    matcher: FxHashMap<String, Vec<usize>>,
    /// The longest matcher pattern, in tokens.
    matcher_max: usize,
    url: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(Rules::english);

/// The words of `text`, as datatrove's `split_into_words(text, "en")`.
pub fn split_into_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut spans = Vec::new();
    for_each_run(text, |start, end, space| {
        if !space {
            spans.clear();
            RULES.tokenize_run(&text[start..end], start, &mut spans);
            words.extend(spans.iter().map(|&(a, b)| &text[a..b]));
        }
    });
    words
}

/// The number of sentences spaCy's sentencizer finds in `text` (datatrove's
/// `len(split_into_sentences(text, "en"))`; 1 for a text without tokens).
pub fn count_sentences(text: &str) -> usize {
    let mut sentences = 1;
    let mut seen_period = false;
    let mut spans = Vec::new();
    let mut any = false;
    for_each_run(text, |start, end, space| {
        spans.clear();
        if space {
            spans.push((start, end));
        } else {
            RULES.tokenize_run(&text[start..end], start, &mut spans);
        }
        for &(a, b) in &spans {
            let token = &text[a..b];
            let mut chars = token.chars();
            let period =
                matches!((chars.next(), chars.next()), (Some(c), None) if is_sentence_end(c));
            if seen_period && !period && !is_punct_token(token) {
                if any {
                    sentences += 1;
                }
                seen_period = false;
            } else if period {
                seen_period = true;
            }
            any = true;
        }
    });
    sentences
}

/// Calls `f(start, end, is_space)` for each token-bearing run of `text`:
/// non-whitespace runs, and whitespace runs other than a single space
/// following a token (spaCy drops that one).
fn for_each_run(text: &str, mut f: impl FnMut(usize, usize, bool)) {
    let mut chars = text.char_indices();
    let Some((_, first)) = chars.next() else {
        return;
    };
    let mut in_ws = is_space(first);
    let mut start = 0;
    for (i, c) in text.char_indices().skip(1) {
        if is_space(c) != in_ws {
            if start < i {
                f(start, i, in_ws);
            }
            start = if c == ' ' { i + 1 } else { i };
            in_ws = !in_ws;
        }
    }
    if start < text.len() {
        f(start, text.len(), in_ws);
    }
}

impl Rules {
    /// Tokenizes one non-whitespace run at byte `offset`, pushing spans.
    fn tokenize_run(&self, run: &str, offset: usize, out: &mut Vec<Span>) {
        // Fast path: a run of ASCII letters only, or digits only, has no
        // prefix, suffix, infix or URL; only a special case can split it.
        let bytes = run.as_bytes();
        if bytes.iter().all(u8::is_ascii_alphabetic) || bytes.iter().all(u8::is_ascii_digit) {
            if !self.push_special(run, offset, out) {
                out.push((offset, offset + run.len()));
            }
            return;
        }
        let first = out.len();
        self.tokenize_affixes(run, offset, true, out);
        if out.len() - first >= 2 && self.matcher_max >= 2 {
            self.merge_specials(run, offset, first, out);
        }
    }

    /// Steps 1–2 for one run; `specials` off gives the pattern of a special case.
    fn tokenize_affixes(&self, run: &str, offset: usize, specials: bool, out: &mut Vec<Span>) {
        if specials && self.push_special(run, offset, out) {
            return;
        }
        let mut string = run;
        let mut start = offset;
        let mut prefixes: Vec<Span> = Vec::new();
        let mut suffixes: Vec<Span> = Vec::new();
        let is_special = |s: &str| specials && self.specials.contains_key(s);
        let mut last_size = usize::MAX;
        while !string.is_empty() && string.len() != last_size {
            if is_special(string) {
                break;
            }
            last_size = string.len();
            let pre = find_prefix(string);
            if pre != 0 && is_special(&string[pre..]) {
                prefixes.push((start, start + pre));
                start += pre;
                string = &string[pre..];
                break;
            }
            let suf = find_suffix(&string[pre..]);
            if suf != 0 && is_special(&string[..string.len() - suf]) {
                let end = start + string.len();
                suffixes.push((end - suf, end));
                string = &string[..string.len() - suf];
                break;
            }
            if pre != 0 && suf != 0 && pre + suf <= string.len() {
                let end = start + string.len();
                prefixes.push((start, start + pre));
                suffixes.push((end - suf, end));
                start += pre;
                string = &string[pre..string.len() - suf];
            } else if pre != 0 {
                prefixes.push((start, start + pre));
                start += pre;
                string = &string[pre..];
            } else if suf != 0 {
                let end = start + string.len();
                suffixes.push((end - suf, end));
                string = &string[..string.len() - suf];
            }
        }
        out.extend(prefixes);
        let special = specials && !string.is_empty() && self.push_special(string, start, out);
        if !string.is_empty() && !special {
            if string.contains('.') && self.url.is_match(string) {
                out.push((start, start + string.len()));
            } else {
                push_infixed(string, start, out);
            }
        }
        out.extend(suffixes.into_iter().rev());
    }

    /// Pushes the pieces of `s` if it is a special case.
    fn push_special(&self, s: &str, offset: usize, out: &mut Vec<Span>) -> bool {
        let Some(pieces) = self.specials.get(s) else {
            return false;
        };
        let mut at = offset;
        for &len in pieces {
            out.push((at, at + len));
            at += len;
        }
        true
    }

    /// Step 3 on the tokens `out[first..]` of `run`.
    fn merge_specials(&self, run: &str, offset: usize, first: usize, out: &mut Vec<Span>) {
        let tokens = &out[first..];
        let n = tokens.len();
        // (start token, end token) of each match.
        let mut matches: Vec<(usize, usize)> = Vec::new();
        for i in 0..n {
            for j in i + 2..=n.min(i + self.matcher_max) {
                let text = &run[tokens[i].0 - offset..tokens[j - 1].1 - offset];
                if let Some(pattern) = self.matcher.get(text) {
                    let lens = tokens[i..j].iter().map(|&(a, b)| b - a);
                    if pattern.len() == j - i && lens.eq(pattern.iter().copied()) {
                        matches.push((i, j));
                    }
                }
            }
        }
        if matches.is_empty() {
            return;
        }
        // Longest first (then later first), skipping those whose first or last
        // token is already taken, as spaCy's `_filter_special_spans`.
        matches.sort_by_key(|&(i, j)| (j - i, i));
        let mut seen = vec![false; n];
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for &(i, j) in matches.iter().rev() {
            if !seen[i] && !seen[j - 1] {
                kept.push((i, j));
            }
            seen[i..j].iter_mut().for_each(|s| *s = true);
        }
        kept.sort_unstable();
        let old: Vec<Span> = out.drain(first..).collect();
        let mut t = 0;
        for (i, j) in kept {
            out.extend_from_slice(&old[t..i]);
            let (a, b) = (old[i].0, old[j - 1].1);
            if !self.push_special(&run[a - offset..b - offset], a, out) {
                out.extend_from_slice(&old[i..j]);
            }
            t = j;
        }
        out.extend_from_slice(&old[t..]);
    }

    fn english() -> Rules {
        let specials = english_exceptions();
        let mut rules = Rules {
            specials: FxHashMap::default(),
            matcher: FxHashMap::default(),
            matcher_max: 0,
            url: url_regex(),
        };
        let mut matcher = FxHashMap::default();
        let mut tokens = Vec::new();
        for key in specials.keys() {
            if find_prefix(key) != 0 || find_suffix(key) != 0 || has_infix(key) || key.contains(' ')
            {
                tokens.clear();
                rules.tokenize_affixes(key, 0, false, &mut tokens);
                rules.matcher_max = rules.matcher_max.max(tokens.len());
                matcher.insert(key.clone(), tokens.iter().map(|&(a, b)| b - a).collect());
            }
        }
        rules.specials = specials;
        rules.matcher = matcher;
        rules
    }
}

/// Splits `s` (at byte `offset`) at its infixes, as spaCy's `_attach_tokens`:
/// an infix at the very start is not split off.
fn push_infixed(s: &str, offset: usize, out: &mut Vec<Span>) {
    let mut start = 0;
    let mut any = false;
    for_each_infix(s, |a, b| {
        any = true;
        if a == 0 {
            return;
        }
        if a != start {
            out.push((offset + start, offset + a));
        }
        out.push((offset + a, offset + b));
        start = b;
    });
    if !any || start < s.len() {
        out.push((offset + start, offset + s.len()));
    }
}

fn has_infix(s: &str) -> bool {
    let mut any = false;
    for_each_infix(s, |_, _| any = true);
    any
}

// ---- character classes ----------------------------------------------------

/// spaCy's `ALPHA`.
fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        classes::contains(&classes::ALPHA, c)
    }
}

/// spaCy's `ALPHA_LOWER`: lower-case letters and uncased scripts.
fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_lowercase()
    } else {
        classes::contains(&classes::ALPHA_LOWER, c)
    }
}

/// spaCy's `ALPHA_UPPER`: upper-case letters and uncased scripts.
fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        classes::contains(&classes::ALPHA_UPPER, c)
    }
}

/// spaCy's icons (`LIST_ICONS`).
fn is_icon(c: char) -> bool {
    !c.is_ascii() && classes::contains(&classes::ICONS, c)
}

/// One-character entries of spaCy's `LIST_PUNCT`.
fn is_list_punct(c: char) -> bool {
    matches!(
        c,
        '…' | ','
            | ':'
            | ';'
            | '!'
            | '?'
            | '¿'
            | '؟'
            | '¡'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '_'
            | '#'
            | '*'
            | '&'
            | '。'
            | '？'
            | '！'
            | '，'
            | '、'
            | '；'
            | '：'
            | '～'
            | '·'
            | '।'
            | '،'
            | '۔'
            | '؛'
            | '٪'
    )
}

/// spaCy's `LIST_QUOTES` (all one character).
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '"'
            | '”'
            | '“'
            | '`'
            | '‘'
            | '´'
            | '’'
            | '‚'
            | ','
            | '„'
            | '»'
            | '«'
            | '「'
            | '」'
            | '『'
            | '』'
            | '（'
            | '）'
            | '〔'
            | '〕'
            | '【'
            | '】'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '\u{2329}'
            | '\u{232a}'
            | '⟦'
            | '⟧'
    )
}

/// One-character entries of spaCy's `LIST_CURRENCY`.
fn is_currency_char(c: char) -> bool {
    matches!(
        c,
        '$' | '£' | '€' | '¥' | '฿' | '﷼' | '\u{20a0}'..='\u{20bf}'
    )
}

fn is_currency(s: &str) -> bool {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => is_currency_char(c),
        _ => matches!(s, "US$" | "C$" | "A$"),
    }
}

/// spaCy's `LIST_UNITS` (one string: `тб` and `كم` run together there).
const UNITS: &str =
    "km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg \
    µg t lb oz m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ \
    дм дм² дм³ см см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб \
    Тб ТБ тбكم كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب";

fn is_unit(s: &str) -> bool {
    static SET: LazyLock<rustc_hash::FxHashSet<&'static str>> =
        LazyLock::new(|| UNITS.split(' ').filter(|u| !u.is_empty()).collect());
    SET.contains(s)
}

/// The characters spaCy allows before a final `.` split off as a suffix:
/// digits, lower-case letters, `%²-+`, its punctuation (with `|`) and quotes
/// (with `(?:)`, written into the class).
fn precedes_suffix_period(c: char) -> bool {
    c.is_ascii_digit()
        || is_lower(c)
        || matches!(c, '%' | '²' | '-' | '+' | '|' | '(' | '?' | ':' | ')')
        || is_list_punct(c)
        || is_quote(c)
}

// ---- affixes --------------------------------------------------------------

/// Byte length of the prefix spaCy splits off `s`, or 0.
fn find_prefix(s: &str) -> usize {
    let mut chars = s.chars();
    let Some(c) = chars.next() else { return 0 };
    let next = chars.next();
    let one = c.len_utf8();
    match c {
        '§' | '%' | '=' | '—' | '–' => one,
        '+' if !next.is_some_and(|n| n.is_ascii_digit()) => one,
        c if is_list_punct(c) => one,
        '.' if next == Some('.') => s.len() - s.trim_start_matches('.').len(),
        c if is_quote(c) => one,
        c if is_currency_char(c) => one,
        'U' if s.starts_with("US$") => 3,
        'C' | 'A' if next == Some('$') => 2,
        c if is_icon(c) => one,
        _ => 0,
    }
}

/// Byte length of the suffix spaCy splits off `s`, or 0: the longest tail
/// that one of its suffix rules matches (its regex finds the leftmost).
fn find_suffix(s: &str) -> usize {
    if s.ends_with("..") {
        return s.len() - s.trim_end_matches('.').len();
    }
    // The last six characters with their byte offsets (units are at most five).
    let mut tail: [(usize, char); 6] = [(0, '\0'); 6];
    let mut n = 0;
    for (i, c) in s.char_indices().rev() {
        tail[n] = (i, c);
        n += 1;
        if n == tail.len() {
            break;
        }
    }
    // tail[k - 1] is where a suffix of k characters starts; tail[k] precedes it.
    for k in (1..n.min(5) + 1).rev() {
        let (at, c) = tail[k - 1];
        let before = (k < n).then(|| tail[k].1);
        let before2 = (k + 1 < n).then(|| tail[k + 1].1);
        let t = &s[at..];
        let after_digit = before.is_some_and(|b| b.is_ascii_digit());
        let matched = match k {
            1 => {
                is_list_punct(c)
                    || is_quote(c)
                    || is_icon(c)
                    || matches!(c, '—' | '–')
                    || (c == '+' && after_digit)
                    || (c == '.'
                        && (before2 == Some('°') && before.is_some_and(|b| "FfCcKk".contains(b))
                            || before.is_some_and(precedes_suffix_period)
                            || (before.is_some_and(is_upper) && before2.is_some_and(is_upper))))
                    || (after_digit && (is_currency(t) || is_unit(t)))
            }
            2 => {
                t == "……"
                    || matches!(t, "'s" | "'S" | "’s" | "’S")
                    || (after_digit && (is_currency(t) || is_unit(t)))
            }
            _ => after_digit && (is_currency(t) || is_unit(t)),
        };
        if matched {
            return s.len() - at;
        }
    }
    0
}

/// Calls `f(start, end)` for each infix of `s`, left to right, as Python's
/// `finditer` over spaCy's English infix alternatives.
fn for_each_infix(s: &str, mut f: impl FnMut(usize, usize)) {
    let mut prev: Option<char> = None;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let len = infix_at(s, i, c, prev, next);
        if len == 0 {
            prev = Some(c);
            continue;
        }
        f(i, i + len);
        // Continue after the match.
        let end = i + len;
        let mut last = c;
        while let Some(&(j, d)) = iter.peek() {
            if j >= end {
                break;
            }
            last = d;
            iter.next();
        }
        prev = Some(last);
    }
}

/// Byte length of the infix starting at byte `i` (char `c`), or 0.
fn infix_at(s: &str, i: usize, c: char, prev: Option<char>, next: Option<char>) -> usize {
    let rest = &s[i..];
    if c == '.' && next == Some('.') {
        return rest.len() - rest.trim_start_matches('.').len();
    }
    if c == '…' || is_icon(c) {
        return c.len_utf8();
    }
    let Some(p) = prev else { return 0 };
    let alpha_after = |len: usize| rest[len..].chars().next().is_some_and(is_alpha);
    if p.is_ascii_digit()
        && matches!(c, '+' | '-' | '*' | '^')
        && next.is_some_and(|n| n.is_ascii_digit() || n == '-')
    {
        return 1;
    }
    if c == '.' && (is_lower(p) || is_quote(p)) && next.is_some_and(|n| is_upper(n) || is_quote(n))
    {
        return 1;
    }
    if c == ',' && is_alpha(p) && next.is_some_and(is_alpha) {
        return 1;
    }
    if is_alpha(p) || p.is_ascii_digit() {
        let candidates: &[&str] = match c {
            '-' => &["-", "--", "---"],
            '–' => &["–"],
            '—' => &["—", "——"],
            '~' => &["~"],
            ':' | '<' | '>' | '=' | '/' => {
                return if alpha_after(1) { 1 } else { 0 };
            }
            _ => &[],
        };
        for h in candidates {
            if rest.starts_with(h) && alpha_after(h.len()) {
                return h.len();
            }
        }
    }
    0
}

/// spaCy's `URL_MATCH` (`lang/tokenizer_exceptions.py`) without its private
/// IPv4 exclusions; `{lower}` is its `ALPHA_LOWER` (the top-level domain).
const URL_PATTERN: &str = concat!(
    r"^(?:[\w+\-.]{2,}://)?",
    r"(?:\S+(?::\S*)?@)?",
    r"(?:",
    r"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))",
    r"|",
    r"(?:(?:[A-Za-z0-9\x{a1}-\x{ffff}][A-Za-z0-9\x{a1}-\x{ffff}_-]{0,62})?[A-Za-z0-9\x{a1}-\x{ffff}]\.)+",
    r"(?:[{lower}]{2,63})",
    r")",
    r"(?::\d{2,5})?",
    r"(?:[/?#]\S*)?$",
);

/// The URL pattern with spaCy's lower-case letters written in.
fn url_regex() -> Regex {
    let lower: String = std::iter::once("a-z".to_string())
        .chain(
            classes::ALPHA_LOWER
                .iter()
                .filter(|&&(lo, _)| lo > 0x7f)
                .map(|&(lo, hi)| format!("\\x{{{lo:x}}}-\\x{{{hi:x}}}")),
        )
        .collect();
    Regex::new(&URL_PATTERN.replace("{lower}", &lower)).expect("the URL pattern compiles")
}

// ---- special cases --------------------------------------------------------

/// spaCy's English tokenizer exceptions, with its typographic-apostrophe
/// copies: text → pieces' byte lengths.
fn english_exceptions() -> FxHashMap<String, Vec<usize>> {
    let mut exc: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let mut add = |pieces: &[&str]| {
        exc.insert(
            pieces.concat(),
            pieces.iter().map(|p| p.to_string()).collect(),
        );
    };
    // Base exceptions shared by all languages.
    for single in [
        "\\t", "\\n", "—", "'", "\\\")", "<space>", "''", "C++", "ä.", "ö.", "ü.",
    ] {
        add(&[single]);
    }
    for letter in 'a'..='z' {
        add(&[&format!("{letter}.")]);
    }
    for emoticon in EMOTICONS.split(' ').filter(|e| !e.is_empty()) {
        add(&[emoticon]);
    }
    for unit in ["c", "f", "k", "C", "F", "K"] {
        add(&["°", unit, "."]);
    }
    // Contractions of pronouns, w-words and verbs, lower case and titled.
    let title = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let both = |w: &str| [w.to_string(), title(w)];
    for orth in both("i") {
        add(&[&orth, "'m"]);
        add(&[&orth, "m"]);
        add(&[&orth, "'m", "a"]);
        add(&[&orth, "m", "a"]);
    }
    let will_would: &[&[&str]] = &[
        &["'ll"],
        &["ll"],
        &["'ll", "'ve"],
        &["ll", "ve"],
        &["'d"],
        &["d"],
        &["'d", "'ve"],
        &["d", "ve"],
    ];
    for pron in ["i", "you", "he", "she", "it", "we", "they"] {
        for orth in both(pron) {
            for tail in will_would {
                let mut pieces = vec![orth.as_str()];
                pieces.extend_from_slice(tail);
                add(&pieces);
            }
        }
    }
    for pron in ["i", "you", "we", "they"] {
        for orth in both(pron) {
            add(&[&orth, "'ve"]);
            add(&[&orth, "ve"]);
        }
    }
    for pron in ["you", "we", "they"] {
        for orth in both(pron) {
            add(&[&orth, "'re"]);
            add(&[&orth, "re"]);
        }
    }
    for pron in ["he", "she", "it"] {
        for orth in both(pron) {
            add(&[&orth, "'s"]);
            add(&[&orth, "s"]);
        }
    }
    for (word, plural, singular) in [
        ("who", false, false),
        ("what", false, false),
        ("when", false, false),
        ("where", false, false),
        ("why", false, false),
        ("how", false, false),
        ("there", false, false),
        ("that", false, true),
        ("this", false, true),
        ("these", true, false),
        ("those", true, false),
    ] {
        for orth in both(word) {
            if !plural {
                add(&[&orth, "'s"]);
                add(&[&orth, "s"]);
            }
            add(&[&orth, "'ll"]);
            add(&[&orth, "ll"]);
            add(&[&orth, "'ll", "'ve"]);
            add(&[&orth, "ll", "ve"]);
            if !singular {
                add(&[&orth, "'re"]);
                add(&[&orth, "re"]);
                add(&[&orth, "'ve"]);
                add(&[&orth, "ve"]);
            }
            add(&[&orth, "'d"]);
            add(&[&orth, "d"]);
            add(&[&orth, "'d", "'ve"]);
            add(&[&orth, "d", "ve"]);
        }
    }
    for verb in [
        "ca", "could", "do", "does", "did", "had", "may", "might", "must", "need", "ought", "sha",
        "should", "wo", "would",
    ] {
        for orth in both(verb) {
            add(&[&orth, "n't"]);
            add(&[&orth, "nt"]);
            add(&[&orth, "n't", "'ve"]);
            add(&[&orth, "nt", "ve"]);
        }
    }
    for verb in ["could", "might", "must", "should", "would"] {
        for orth in both(verb) {
            add(&[&orth, "'ve"]);
            add(&[&orth, "ve"]);
        }
    }
    for verb in ["ai", "are", "is", "was", "were", "have", "has", "dare"] {
        for orth in both(verb) {
            add(&[&orth, "n't"]);
            add(&[&orth, "nt"]);
        }
    }
    for word in ["doin", "goin", "nothin", "nuthin", "ol", "somethin"] {
        for orth in both(word) {
            add(&[&orth]);
            add(&[&format!("{orth}'")]);
        }
    }
    for word in ["em", "ll", "nuff"] {
        add(&[word]);
        add(&[&format!("'{word}")]);
    }
    for hour in 1..=12 {
        for period in ["a.m.", "am", "p.m.", "pm"] {
            add(&[&hour.to_string(), period]);
        }
    }
    for pieces in [
        &["y'", "all"][..],
        &["y", "all"],
        &["how", "'d", "'y"],
        &["How", "'d", "'y"],
        &["not", "'ve"],
        &["not", "ve"],
        &["Not", "'ve"],
        &["Not", "ve"],
        &["can", "not"],
        &["Can", "not"],
        &["gon", "na"],
        &["Gon", "na"],
        &["got", "ta"],
        &["Got", "ta"],
        &["let", "'s"],
        &["Let", "'s"],
        &["c'm", "on"],
        &["C'm", "on"],
    ] {
        add(pieces);
    }
    for single in ENGLISH_SINGLES.split(' ').filter(|e| !e.is_empty()) {
        add(&[single]);
    }
    for excluded in [
        "Ill", "ill", "Its", "its", "Hell", "hell", "Shell", "shell", "Shed", "shed", "were",
        "Were", "Well", "well", "Whore", "whore",
    ] {
        exc.remove(excluded);
    }
    // Every exception with `'` also with `’`.
    let typographic: Vec<(String, Vec<String>)> = exc
        .iter()
        .filter(|(k, _)| k.contains('\''))
        .map(|(k, v)| {
            (
                k.replace('\'', "’"),
                v.iter().map(|p| p.replace('\'', "’")).collect(),
            )
        })
        .collect();
    exc.extend(typographic);
    exc.into_iter()
        .map(|(k, v)| (k, v.iter().map(String::len).collect()))
        .collect()
}

/// spaCy's base emoticons.
const EMOTICONS: &str =
    ":) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: [= =] :o) (o: :} :-} \
    8) 8-) (-8 ;) ;-) (; (-; :( :-( :(( :-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/ \
    =| :| :-| ]= =[ :1 :P :-P :p :-p :O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X \
    :x :-x :D :-D ;D ;-D =D xD XD xDD XDD 8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v \
    V.V v_v V_V o_o o_O O_o O_O 0_o o_0 0_0 o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3 (^_^) \
    (-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ) ¯\\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>";

/// spaCy's English one-piece exceptions: abbreviations and spellings.
const ENGLISH_SINGLES: &str = "'S 's ‘S ‘s and/or w/o 're 'Cause 'cause 'cos 'Cos 'coz 'Coz 'cuz \
    'Cuz 'bout ma'am Ma'am o'clock O'clock lovin' Lovin' lovin Lovin havin' Havin' havin Havin \
    doin' Doin' doin Doin goin' Goin' goin Goin Mt. Ak. Ala. Apr. Ariz. Ark. Aug. Calif. Colo. \
    Conn. Dec. Del. Feb. Fla. Ga. Ia. Id. Ill. Ind. Jan. Jul. Jun. Kan. Kans. Ky. La. Mar. Mass. \
    Mich. Minn. Miss. N.C. N.D. N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Nov. Oct. Okla. Ore. Pa. S.C. \
    Sep. Sept. Tenn. Va. Wash. Wis. 'd a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. \
    Gov. i.e. I.e. I.E. Inc. Jr. Ltd. Md. Messrs. Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Prof. Rep. \
    Rev. Sen. St. vs. v.s.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_as_spacy_splits_them() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Don't stop (Mr. Smith's) e.g., U.S. 10km. hello... ok!?",
                &[
                    "Do", "n't", "stop", "(", "Mr.", "Smith", "'s", ")", "e.g.", ",", "U.S.", "10",
                    "km", ".", "hello", "...", "ok", "!", "?",
                ],
            ),
            (
                "http://example.com/foo, a--b 3-4 I'm",
                &[
                    "http://example.com/foo",
                    ",",
                    "a",
                    "--",
                    "b",
                    "3",
                    "-",
                    "4",
                    "I",
                    "'m",
                ],
            ),
            (
                "$5 US$5 5km² x.Y foo.Bar co.uk/x",
                &[
                    "$", "5", "US$", "5", "5", "km²", "x.", "Y", "foo", ".", "Bar", "co.uk/x",
                ],
            ),
            (
                "..a a..b 2-a ab—cd a——b --a a~b :) dont Ill its hes 1am",
                &[
                    "..", "a", "a", "..", "b", "2", "-", "a", "ab", "—", "cd", "a", "——", "b",
                    "--a", "a", "~", "b", ":)", "do", "nt", "Ill", "its", "he", "s", "1", "am",
                ],
            ),
            (
                "’s don’t (don’t) x)(y A. AB. °C. e.g.)",
                &[
                    "’s", "do", "n’t", "(", "do", "n’t", ")", "x)(y", "A.", "AB", ".", "°", "C",
                    ".", "e.g.", ")",
                ],
            ),
            ("  a\n\n b\t", &["a", "b"]),
            (
                "لِنَذْهَبْ-إِلَى नमस्ते-दुनिया ⅰ-x ა-x ß-x",
                &[
                    "لِنَذْهَبْ-إِلَى",
                    "नमस्ते",
                    "-",
                    "दुनिया",
                    "ⅰ-x",
                    "ა-x",
                    "ß",
                    "-",
                    "x",
                ],
            ),
        ];
        for (text, words) in cases {
            assert_eq!(split_into_words(text), *words, "{text:?}");
        }
    }

    #[test]
    fn sentences_as_the_sentencizer_counts_them() {
        let cases = [
            ("One sentence here", 1),
            ("One. Two! Three?", 3),
            ("Ends with a period.", 1),
            ("Wait... what?! Yes.", 2),
            ("", 1),
        ];
        for (text, n) in cases {
            assert_eq!(count_sentences(text), n, "{text:?}");
        }
    }
}
