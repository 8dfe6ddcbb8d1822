//! Text from a file, made safe to print on a terminal: a cell can hold an escape sequence
//! (`ESC [2J` clears the staff member's screen, `ESC ]0;…` retitles it) or bidirectional
//! controls that show text in another order than it is. Each such character is shown as `?`
//! (as many as its UTF-8 bytes, so spans into the text stay valid). Tabs and newlines stay.

use std::borrow::Cow;

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_as_question_marks() {
        assert_eq!(printable("\u{1b}[2J山田"), "?[2J山田");
        assert_eq!(printable("a\u{7}b\rc\u{0}"), "a?b?c?");
        assert_eq!(printable("x\u{202E}y"), "x???y");
        assert_eq!(printable("\u{85}"), "??");
        for s in ["山田　太郎", "a\tb\nc", ""] {
            assert_eq!(printable(s), s);
        }
        for s in ["\u{1b}]0;t\u{7}", "\u{202E}", "\u{9b}"] {
            assert_eq!(printable(s).len(), s.len());
        }
    }
}
