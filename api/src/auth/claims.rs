//! Which claims of a token say who the user is. Identity providers put them in different
//! places: Microsoft Entra ID's application roles are in `roles`, Keycloak's realm roles in
//! `realm_access.roles`, and an organisation or partnership is whatever claim the provider's
//! administrators map it to. Where to look is configured, for every kind of token key.

use super::verifier::TokenError;
use casetrail_domain::{Actor, OrgSlug, PartnershipSlug, Role};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;

/// A claim's place in a token: a claim name, or a dotted path into nested objects
/// (`realm_access.roles`). Parsed once at start: no segment is empty or holds white space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPath(String);

impl ClaimPath {
    /// Parses a claim name or dotted path (the claim settings' value parser).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a claim name is required, e.g. roles or realm_access.roles".to_owned());
        }
        if text.split('.').any(str::is_empty) {
            return Err(format!(
                "{text:?} has an empty part: a claim name, or names joined by single dots"
            ));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("{text:?} holds white space: claim names have none"));
        }
        Ok(Self(text.to_owned()))
    }

    /// The name or path as configured.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value at this place. A claim of exactly this name comes first, as a name may hold
    /// dots itself (`https://casetrail.example/roles`); else the path is followed.
    fn find<'a>(&self, claims: &'a Value) -> Option<&'a Value> {
        if let Some(value) = claims.get(&self.0) {
            return Some(value);
        }
        self.0
            .split('.')
            .try_fold(claims, |value, segment| value.get(segment))
    }
}

impl fmt::Display for ClaimPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the actor's roles, organisation, partnership and name are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    /// The roles: an array of role names (`CASETRAIL_JWT_ROLES_CLAIM`).
    pub roles: ClaimPath,
    /// The organisation's slug (`CASETRAIL_JWT_ORG_CLAIM`).
    pub org: ClaimPath,
    /// The partnership's slug (`CASETRAIL_JWT_PARTNERSHIP_CLAIM`).
    pub partnership: ClaimPath,
    /// The user's display name (`CASETRAIL_JWT_NAME_CLAIM`).
    pub name: ClaimPath,
}

impl Default for ClaimNames {
    /// The claims of api.md, which development tokens carry.
    fn default() -> Self {
        let path = |name: &str| ClaimPath(name.to_owned());
        Self {
            roles: path("roles"),
            org: path("org"),
            partnership: path("partnership"),
            name: path("name"),
        }
    }
}

impl ClaimNames {
    /// The actor a verified token's claims describe. `sub` is fixed: it is the subject in
    /// every identity provider's tokens.
    pub(super) fn actor(&self, claims: &Value) -> Result<Actor, TokenError> {
        let partnership = PartnershipSlug::parse(text(claims, &self.partnership, "partnership")?)
            .map_err(|_| TokenError::BadClaim("partnership"))?;
        let org = OrgSlug::parse(text(claims, &self.org, "org")?)
            .map_err(|_| TokenError::BadClaim("org"))?;
        let roles = self
            .roles
            .find(claims)
            .and_then(Value::as_array)
            .ok_or(TokenError::BadClaim("roles"))?;
        // Unknown role names are ignored rather than refused, so an identity provider can carry
        // roles for other systems in the same token.
        let roles: BTreeSet<Role> = roles
            .iter()
            .filter_map(|r| r.as_str().and_then(Role::parse))
            .collect();
        Ok(Actor {
            user: text(claims, &ClaimPath("sub".to_owned()), "sub")?.to_owned(),
            name: text(claims, &self.name, "name")?.to_owned(),
            partnership,
            org,
            roles,
        })
    }
}

/// A non-blank string claim; `what` names it in the refusal (logged at most).
fn text<'a>(
    claims: &'a Value,
    path: &ClaimPath,
    what: &'static str,
) -> Result<&'a str, TokenError> {
    path.find(claims)
        .and_then(Value::as_str)
        .filter(|v| !v.trim().is_empty())
        .ok_or(TokenError::BadClaim(what))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_with_empty_parts_or_white_space_are_refused() {
        for bad in [
            "",
            " ",
            ".",
            "realm_access.",
            ".roles",
            "a..b",
            "realm roles",
        ] {
            assert!(ClaimPath::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ClaimPath::parse(" realm_access.roles ").unwrap().as_str(),
            "realm_access.roles"
        );
    }

    #[test]
    fn a_path_reaches_into_nested_objects_and_a_dotted_name_is_matched_first() {
        let claims = json!({"realm_access": {"roles": ["notifier"]},
                            "https://casetrail.example/roles": ["auditor"]});
        let nested = ClaimPath::parse("realm_access.roles").unwrap();
        assert_eq!(nested.find(&claims), Some(&json!(["notifier"])));
        let dotted = ClaimPath::parse("https://casetrail.example/roles").unwrap();
        assert_eq!(dotted.find(&claims), Some(&json!(["auditor"])));
        let absent = ClaimPath::parse("resource_access.casetrail.roles").unwrap();
        assert_eq!(absent.find(&claims), None);
    }

    #[test]
    fn mapped_claims_become_the_actor() {
        let names = ClaimNames {
            roles: ClaimPath::parse("realm_access.roles").unwrap(),
            org: ClaimPath::parse("casetrail.org").unwrap(),
            partnership: ClaimPath::parse("tenant").unwrap(),
            name: ClaimPath::parse("preferred_username").unwrap(),
        };
        let claims = json!({"sub": "u-1", "preferred_username": "a.worker", "tenant": "southend",
                            "casetrail": {"org": "essex-police"},
                            "realm_access": {"roles": ["partner_decision_maker", "offline_access"]}});
        let actor = names.actor(&claims).unwrap();
        assert_eq!(actor.org.as_str(), "essex-police");
        assert_eq!(actor.name, "a.worker");
        assert_eq!(
            actor.roles.into_iter().collect::<Vec<_>>(),
            vec![Role::PartnerDecisionMaker]
        );
        // The default names find none of them.
        assert!(ClaimNames::default().actor(&claims).is_err());
    }
}
