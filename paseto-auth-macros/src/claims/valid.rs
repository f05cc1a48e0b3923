//! Validate: rules across fields.

use std::collections::HashMap;

use super::ast::Input;
use crate::errors::Errors;

impl Input<'_> {
    /// Two fields read from the same claim: serde would fill only the first, and the second would
    /// always be missing. Reported at the second field.
    pub(super) fn validate(&self, errors: &mut Errors) {
        let mut seen = HashMap::new();
        for claim in &self.claims {
            if let Some(first) = seen.insert(claim.name.as_str(), claim.ident) {
                errors.at(
                    claim.span(),
                    format!(
                        "claim `{}` is read twice: field `{first}` already has this name",
                        claim.name
                    ),
                );
            }
        }
    }
}
