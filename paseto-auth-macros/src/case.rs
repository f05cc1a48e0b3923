//! serde's `rename_all` rules, applied to field names exactly as serde_derive applies them
//! (`serde_derive/src/internals/case.rs`, `RenameRule::apply_to_field`).

/// A `#[serde(rename_all = "...")]` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

const RULES: [(&str, RenameRule); 8] = [
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    /// The rule serde knows by this name.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        RULES
            .iter()
            .find(|(rule_name, _)| *rule_name == name)
            .map(|(_, rule)| *rule)
    }

    /// The name serde reads a field from under this rule. Field names are snake_case, so
    /// `lowercase` and `snake_case` leave them as they are (as serde does).
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::with_capacity(field.len());
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule::{self, *};

    /// serde_derive's own `rename_fields` table.
    #[test]
    fn same_names_as_serde() {
        for (original, upper, pascal, camel, screaming, kebab, screaming_kebab) in [
            (
                "outcome", "OUTCOME", "Outcome", "outcome", "OUTCOME", "outcome", "OUTCOME",
            ),
            (
                "very_tasty",
                "VERY_TASTY",
                "VeryTasty",
                "veryTasty",
                "VERY_TASTY",
                "very-tasty",
                "VERY-TASTY",
            ),
            ("a", "A", "A", "a", "A", "a", "A"),
            ("z42", "Z42", "Z42", "z42", "Z42", "z42", "Z42"),
        ] {
            assert_eq!(Lower.apply_to_field(original), original);
            assert_eq!(Upper.apply_to_field(original), upper);
            assert_eq!(Pascal.apply_to_field(original), pascal);
            assert_eq!(Camel.apply_to_field(original), camel);
            assert_eq!(Snake.apply_to_field(original), original);
            assert_eq!(ScreamingSnake.apply_to_field(original), screaming);
            assert_eq!(Kebab.apply_to_field(original), kebab);
            assert_eq!(ScreamingKebab.apply_to_field(original), screaming_kebab);
        }
    }

    #[test]
    fn odd_field_names_do_not_panic() {
        for rule in super::RULES.map(|(_, rule)| rule) {
            for field in [
                "",
                "_",
                "__",
                "_leading",
                "trailing_",
                "ünïcode_näme",
                "userID",
            ] {
                let _ = rule.apply_to_field(field);
            }
        }
        assert_eq!(Camel.apply_to_field("_"), "");
        assert_eq!(Camel.apply_to_field("_user_id"), "userId");
        // serde leaves field names alone under `lowercase`.
        assert_eq!(Lower.apply_to_field("userID"), "userID");
    }

    #[test]
    fn rule_names() {
        // serde's names, as written in `#[serde(rename_all = "...")]`.
        for (name, rule) in [
            ("lowercase", Lower),
            ("UPPERCASE", Upper),
            ("PascalCase", Pascal),
            ("camelCase", Camel),
            ("snake_case", Snake),
            ("SCREAMING_SNAKE_CASE", ScreamingSnake),
            ("kebab-case", Kebab),
            ("SCREAMING-KEBAB-CASE", ScreamingKebab),
        ] {
            assert_eq!(RenameRule::from_name(name), Some(rule), "{name}");
        }
        assert_eq!(RenameRule::from_name("camelcase"), None);
        assert_eq!(RenameRule::from_name("Title Case"), None);
    }
}
