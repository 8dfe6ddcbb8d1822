//! The last line of defence for 特定個人情報: any run of 12 or more digits (ASCII or
//! full-width) in text shown to anyone is masked to its last 4. Rendered rows hold the
//! member's whole record, My Number cell included; messages are built from last-4 values
//! already, but a stray long number in any column is masked too. Masking keeps every byte
//! length (an ASCII digit becomes `*`, a full-width one `＊`), so spans stay valid.

use std::borrow::Cow;

const KEEP: usize = 4;
const MIN_RUN: usize = 12;

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

pub fn mask_digit_runs(text: &str) -> Cow<'_, str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_digit(chars[i].1) {
            let start = i;
            while i < chars.len() && is_digit(chars[i].1) {
                i += 1;
            }
            if i - start >= MIN_RUN {
                runs.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    if runs.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut masked = vec![false; chars.len()];
    for (s, e) in runs {
        for m in masked.iter_mut().take(e - KEEP).skip(s) {
            *m = true;
        }
    }
    for (k, (_, c)) in chars.iter().enumerate() {
        if masked[k] {
            out.push(if c.is_ascii() { '*' } else { '＊' });
        } else {
            out.push(*c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_digit_runs_keep_only_their_last_four() {
        assert_eq!(mask_digit_runs("a,123456789018,b"), "a,********9018,b");
        assert_eq!(
            mask_digit_runs("１２３４５６７８９０１８"),
            "＊＊＊＊＊＊＊＊９０１８"
        );
        assert_eq!(mask_digit_runs("12345678901234"), "**********1234");
    }

    #[test]
    fn shorter_runs_and_separated_digits_are_left_alone() {
        for s in [
            "1001,12,00",
            "19540801",
            "12345678901",
            "1234-5678-9012",
            "0600001",
        ] {
            assert_eq!(mask_digit_runs(s), s);
        }
    }

    #[test]
    fn byte_lengths_are_preserved() {
        for s in ["x123456789018y", "１２３４５６７８９０１８"] {
            assert_eq!(mask_digit_runs(s).len(), s.len());
        }
    }
}
