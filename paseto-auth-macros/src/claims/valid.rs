//! Validate: rules across fields, and the payload rules of [`payload`].

use std::collections::HashMap;

use proc_macro2::Span;
use syn::Ident;

use super::ast::{Claim, Input};
use super::payload;
use crate::errors::Errors;

/// How a field reads a claim name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reads {
    Name,
    Alias,
}

impl Reads {
    fn text(self) -> &'static str {
        match self {
            Reads::Name => "name",
            Reads::Alias => "alias",
        }
    }
}

impl Input<'_> {
    /// Records every rule the struct breaks.
    pub(super) fn validate(&self, errors: &mut Errors) {
        self.each_claim_read_once(errors);
        payload::check(self, errors);
    }

    /// Two fields read from the same claim, by name or `#[serde(alias)]`: serde's generated
    /// `match` sends the claim to the first of them only, so the other is always missing.
    /// Reported at the second mention (the field's name, or the alias literal).
    fn each_claim_read_once(&self, errors: &mut Errors) {
        let mut seen: HashMap<String, (&Ident, Reads)> = HashMap::new();
        for claim in &self.claims {
            for (name, span, reads) in names_read(claim) {
                match seen.get(&name) {
                    // A field's alias equal to its own name changes nothing.
                    Some((first, _)) if *first == claim.ident => {}
                    Some((first, first_reads)) => {
                        let (what, fix) = match reads {
                            Reads::Name => ("claim", "rename or remove one of them"),
                            Reads::Alias => ("alias", "remove the alias"),
                        };
                        errors.at(
                            span,
                            format!(
                                "{what} `{name}` is read twice: field `{first}` already has this {}, and serde fills only one of the two fields; {fix}",
                                first_reads.text(),
                            ),
                        );
                    }
                    None => {
                        seen.insert(name, (claim.ident, reads));
                    }
                }
            }
        }
    }
}

/// The names a field reads its claim from, each with where it is written.
fn names_read(claim: &Claim<'_>) -> Vec<(String, Span, Reads)> {
    let aliases = claim
        .aliases
        .iter()
        .map(|alias| (alias.value(), alias.span(), Reads::Alias));
    std::iter::once((claim.name.clone(), claim.span(), Reads::Name))
        .chain(aliases)
        .collect()
}
