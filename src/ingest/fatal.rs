//! How a file that could not be used at all is described to people (stderr, the summary, the
//! JSON `error` line): the file, its kind and why.

use super::{Fatal, FatalInput};
use crate::i18n::Tr;
use std::fmt;

impl fmt::Display for FatalInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        let kind = self.kind.label();
        let text = match &self.fatal {
            Fatal::Unreadable { reason } => {
                crate::tr!("{path}（{kind}）：{reason}", "{path} ({kind}): {reason}")
            }
            Fatal::MissingColumns { missing, tried, .. } => {
                let parts: Vec<String> = missing
                    .iter()
                    .map(|m| {
                        let aliases = tried
                            .iter()
                            .find(|t| t.0 == *m)
                            .map(|t| t.1.join(Tr::new("、", ", ").get()))
                            .unwrap_or_default();
                        crate::tr!("{}（試した見出し：{aliases}）", "{} (tried: {aliases})"; m.label())
                    })
                    .collect();
                let parts = parts.join(Tr::new("／", "; ").get());
                crate::tr!(
                    "{path}（{kind}）：IN003 必須の列がありません：{parts}",
                    "{path} ({kind}): IN003 required column missing: {parts}"
                )
            }
        };
        f.write_str(&text)
    }
}
