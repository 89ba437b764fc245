//! The JS shell's error classes, as SDK 1.15 picks them: one class per HTTP status it knows,
//! and one per `error.details.error_code` of the APIs this package serves. The shell makes the
//! code classes from [`code_classes_json`] at load (naming each after its code) and asks
//! [`class_of`] which class a failed response gets, so both lists live here alone.

use crate::prelude::*;

use crate::text;

/// SDK 1.15's class of an HTTP status (`STATUS_ERROR_CLASSES`; any other 5xx is an
/// `InternalServerError`, anything else an `APIError`). 501, 503, 504 and 529 are subclasses of
/// `InternalServerError` there, as in the shell.
pub fn status_class(status: u16) -> &'static str {
    const CLASSES: [(u16, &str); 17] = [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (402, "PaymentRequiredError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (408, "RequestTimeoutError"),
        (409, "ConflictError"),
        (412, "PreconditionFailedError"),
        (413, "ContentTooLargeError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (431, "RequestHeaderFieldsTooLargeError"),
        (499, "ClientClosedRequestError"),
        (501, "NotImplementedError"),
        (503, "ServiceUnavailableError"),
        (504, "GatewayTimeoutError"),
        (529, "OverloadedError"),
    ];
    match CLASSES.iter().find(|(s, _)| *s == status) {
        Some((_, class)) => class,
        None if (500..=599).contains(&status) => "InternalServerError",
        None => "APIError",
    }
}

/// The `error_code`s that SDK 1.15 gives a class of their own (`ERROR_CODE_CLASSES`), for the
/// Messages, Files and beta APIs, user profiles and the codes any API may send (not the Admin
/// API's), by status. The class is a subclass of its status's; the shell names it after the
/// code in PascalCase (`cmek` and `gcp` in capitals) then `Error`, after `Beta` where the code is
/// marked `~` (SDK 1.15's names, tests/node/errors-sdk.test.mjs).
const CODE_CLASSES: [(u16, &str); 9] = [
    (
        400,
        "available_tools_limit_exceeded claude_code_key_creator_not_member \
         claude_code_version_too_old cmek_key_disabled cmek_key_network_blocked \
         ~cmek_not_approved compaction_block_ambiguous \
         compaction_block_misplaced compaction_content_mismatch \
         compaction_incomplete_turn compaction_nothing_to_summarize \
         compaction_signature_invalid compaction_too_many_tool_references \
         compaction_tool_changes_mismatch ~external_key_not_found \
         ~external_key_provider_mismatch file_not_downloadable \
         ~gcp_project_not_verified image_dimensions_too_large \
         ~organization_not_enrolled_in_beta organization_on_hold \
         organization_type_not_supported parent_organization_required \
         ~region_not_supported request_body_encoding_invalid \
         request_body_encoding_unsupported ~request_body_timeout \
         ~storage_not_approved storage_quota_exceeded thread_already_continued \
         thread_continue_in_flight thread_fingerprint_mismatch \
         thread_unsupported_request tool_name_conflict \
         tool_reference_unresolved ~unsupported_charset user_profile_not_found \
         user_profile_required workspace_human_review_disabled",
    ),
    (
        402,
        "linked_organization_billing_unavailable \
         linked_organization_spend_limit_reached",
    ),
    (
        403,
        "sandbox_egress_restricted user_profile_billing_not_authorized \
         user_profile_not_billable",
    ),
    (404, "file_expired thread_not_found"),
    (
        409,
        "~gcp_project_controlled_by_another_organization ~storage_in_use",
    ),
    (413, "request_body_too_large_after_decoding"),
    (
        429,
        "contract_spend_limit_reached enforced_spend_limit_reached \
         ramp_limit_exceeded",
    ),
    (503, "cmek_context_unavailable cmek_key_unreachable"),
    (529, "compaction_unavailable"),
];

/// Each code class: its status, its code (`~` first for a beta class).
fn code_classes() -> impl Iterator<Item = (u16, &'static str)> {
    CODE_CLASSES
        .iter()
        .flat_map(|&(status, codes)| text::split_on(codes, b' ').map(move |code| (status, code)))
}

/// The class of a failed response with `status` and the body's `error_code`: the code's own
/// class where SDK 1.15 has one for that status (named by its entry in [`CODE_CLASSES`], `~`
/// included), else the status's class name.
pub fn class_of(status: u16, error_code: Option<&str>) -> &'static str {
    let wanted = error_code.unwrap_or_default();
    code_classes()
        .find(|&(s, code)| s == status && code.strip_prefix('~').unwrap_or(code) == wanted)
        .map_or_else(|| status_class(status), |(_, code)| code)
}

/// The code classes for the shell to make: `[["ParentName", "code code …"], …]`.
pub fn code_classes_json() -> String {
    let mut out = String::from("[");
    for (k, (status, codes)) in CODE_CLASSES.iter().enumerate() {
        text!(into &mut out;
            if k > 0 { "," } else { "" },
            "[\"", status_class(*status), "\",\"", codes, "\"]"
        );
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_get_sdk_1_15_classes() {
        assert_eq!(status_class(529), "OverloadedError");
        assert_eq!(status_class(402), "PaymentRequiredError");
        assert_eq!(status_class(502), "InternalServerError");
        assert_eq!(status_class(418), "APIError");
        assert_eq!(status_class(0), "APIError");
    }

    #[test]
    fn a_code_gets_its_class_only_with_its_status() {
        assert_eq!(
            class_of(400, Some("compaction_block_ambiguous")),
            "compaction_block_ambiguous"
        );
        assert_eq!(
            class_of(400, Some("cmek_not_approved")),
            "~cmek_not_approved"
        );
        assert_eq!(
            class_of(529, Some("compaction_unavailable")),
            "compaction_unavailable"
        );
        assert_eq!(
            class_of(500, Some("compaction_unavailable")),
            "InternalServerError"
        );
        assert_eq!(class_of(400, Some("no_such_code")), "BadRequestError");
        assert_eq!(class_of(400, Some("")), "BadRequestError");
        assert_eq!(class_of(404, None), "NotFoundError");
    }

    #[test]
    fn every_code_is_listed_once_under_its_status_class() {
        let json = code_classes_json();
        assert!(json.starts_with(r#"[["BadRequestError","available_tools_limit_exceeded "#));
        assert!(json.ends_with(r#"["OverloadedError","compaction_unavailable"]]"#));
        let mut codes: Vec<&str> = code_classes()
            .map(|(_, c)| c.trim_start_matches('~'))
            .collect();
        assert_eq!(codes.len(), 55);
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 55);
    }
}
