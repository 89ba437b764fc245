//! The models this server answers as, and `GET /v1/models[/{id}]`.

use anthropic_wasm_core::types::{JsonMap, ModelInfo};

use crate::apierror::ApiError;
use crate::http::{Request, Response};
use crate::page::paginate;

/// One model.
#[derive(Debug)]
pub struct Model {
    pub id: &'static str,
    /// Other names the API resolves to this model.
    pub aliases: &'static [&'static str],
    pub display_name: &'static str,
    pub created_at: &'static str,
    pub max_tokens: u32,
    pub max_input_tokens: u64,
    /// A final assistant turn (prefill) is answered with a 400.
    pub rejects_prefill: bool,
    /// Released after Opus 4.6: `temperature` other than 1, `top_p` below 0.99 and any `top_k`
    /// are refused (the OpenAPI spec's deprecation notes).
    pub fixed_sampling: bool,
}

/// Newest first, the order `GET /v1/models` lists them in.
pub const MODELS: &[Model] = &[
    Model {
        id: "claude-opus-4-7",
        aliases: &[],
        display_name: "Claude Opus 4.7",
        created_at: "2026-04-16T00:00:00Z",
        max_tokens: 128_000,
        max_input_tokens: 1_000_000,
        rejects_prefill: true,
        fixed_sampling: true,
    },
    Model {
        id: "claude-mythos-preview",
        aliases: &[],
        display_name: "Claude Mythos Preview",
        created_at: "2026-04-07T00:00:00Z",
        max_tokens: 128_000,
        max_input_tokens: 1_000_000,
        rejects_prefill: true,
        fixed_sampling: true,
    },
    Model {
        id: "claude-sonnet-4-6",
        aliases: &[],
        display_name: "Claude Sonnet 4.6",
        created_at: "2026-02-17T00:00:00Z",
        max_tokens: 64_000,
        max_input_tokens: 1_000_000,
        rejects_prefill: true,
        fixed_sampling: false,
    },
    Model {
        id: "claude-opus-4-6",
        aliases: &[],
        display_name: "Claude Opus 4.6",
        created_at: "2026-02-05T00:00:00Z",
        max_tokens: 128_000,
        max_input_tokens: 1_000_000,
        rejects_prefill: true,
        fixed_sampling: false,
    },
    Model {
        id: "claude-opus-4-5-20251101",
        aliases: &["claude-opus-4-5"],
        display_name: "Claude Opus 4.5",
        created_at: "2025-11-24T00:00:00Z",
        max_tokens: 64_000,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
    Model {
        id: "claude-haiku-4-5-20251001",
        aliases: &["claude-haiku-4-5"],
        display_name: "Claude Haiku 4.5",
        created_at: "2025-10-15T00:00:00Z",
        max_tokens: 64_000,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
    Model {
        id: "claude-sonnet-4-5-20250929",
        aliases: &["claude-sonnet-4-5"],
        display_name: "Claude Sonnet 4.5",
        created_at: "2025-09-29T00:00:00Z",
        max_tokens: 64_000,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
    Model {
        id: "claude-opus-4-1-20250805",
        aliases: &["claude-opus-4-1"],
        display_name: "Claude Opus 4.1",
        created_at: "2025-08-05T00:00:00Z",
        max_tokens: 32_000,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
    Model {
        id: "claude-opus-4-20250514",
        aliases: &["claude-opus-4-0"],
        display_name: "Claude Opus 4",
        created_at: "2025-05-22T00:00:00Z",
        max_tokens: 32_000,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
    Model {
        id: "claude-sonnet-4-20250514",
        aliases: &["claude-sonnet-4-0"],
        display_name: "Claude Sonnet 4",
        created_at: "2025-05-22T00:00:00Z",
        max_tokens: 64_000,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
    Model {
        id: "claude-3-haiku-20240307",
        aliases: &[],
        display_name: "Claude Haiku 3",
        created_at: "2024-03-07T00:00:00Z",
        max_tokens: 4_096,
        max_input_tokens: 200_000,
        rejects_prefill: false,
        fixed_sampling: false,
    },
];

/// The model with that id or alias.
pub fn find(name: &str) -> Option<&'static Model> {
    MODELS
        .iter()
        .find(|model| model.id == name || model.aliases.contains(&name))
}

/// The API's 404 for a model it does not know.
pub fn unknown_model(name: &str) -> ApiError {
    ApiError::not_found(format!("model: {name}"))
}

impl Model {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: self.id.into(),
            kind: "model".into(),
            display_name: self.display_name.into(),
            created_at: self.created_at.into(),
            max_input_tokens: Some(self.max_input_tokens),
            max_tokens: Some(u64::from(self.max_tokens)),
            capabilities: None,
            extra: JsonMap::new(),
        }
    }
}

/// `GET /v1/models`.
pub fn list(request: &Request) -> Result<Response, ApiError> {
    let infos: Vec<ModelInfo> = MODELS.iter().map(Model::info).collect();
    let page = paginate(request, &infos, |info| info.id.as_str())?;
    Ok(Response::json(200, &page))
}

/// `GET /v1/models/{id}` (aliases resolve to the model).
pub fn retrieve(id: &str) -> Result<Response, ApiError> {
    let model = find(id).ok_or_else(|| unknown_model(id))?;
    Ok(Response::json(200, &model.info()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_id_and_alias() {
        assert_eq!(
            find("claude-sonnet-4-5").unwrap().id,
            "claude-sonnet-4-5-20250929"
        );
        assert!(find("claude-opus-4-7").unwrap().rejects_prefill);
        assert!(!find("claude-haiku-4-5").unwrap().rejects_prefill);
        assert!(find("claude-nonexistent").is_none());
        let prefill_rejecters: Vec<&str> = MODELS
            .iter()
            .filter(|m| m.rejects_prefill)
            .map(|m| m.id)
            .collect();
        assert_eq!(
            prefill_rejecters,
            [
                "claude-opus-4-7",
                "claude-mythos-preview",
                "claude-sonnet-4-6",
                "claude-opus-4-6"
            ]
        );
    }

    #[test]
    fn listed_newest_first() {
        assert!(MODELS
            .windows(2)
            .all(|pair| pair[0].created_at >= pair[1].created_at));
    }
}
