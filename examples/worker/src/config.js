// The Worker's settings, read from its vars (wrangler.toml `[vars]`, or the dashboard) and the
// ANTHROPIC_API_KEY secret. Vars may be strings ("a,b", "4096") or JSON values (arrays, numbers).

const DEFAULT_UPSTREAM = 'https://api.anthropic.com';
const DEFAULT_MAX_TOKENS_CAP = 4096;
const DEFAULT_CHAT_MAX_TOKENS = 1024;
/**
 * The plain Messages API: each field's cost is bounded by the input and `max_tokens`. Left out:
 * fields that buy a pricier tier or region (`service_tier`, `inference_geo`), keep state on the
 * API's side (`container`), reach other servers (`mcp_servers`), or are betas.
 */
const DEFAULT_ALLOWED_FIELDS = [
  'model',
  'messages',
  'max_tokens',
  'system',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_k',
  'top_p',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
];
/** One image at the API's 5 MB limit is 6.7 MB as base64; with the conversation around it, 8 MiB. */
const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A comma-separated string or an array → trimmed, non-empty entries. */
function list(value) {
  const items = Array.isArray(value) ? value : String(value ?? '').split(',');
  return items.map((item) => String(item).trim()).filter(Boolean);
}

/** A positive integer, or `fallback` when unset or not one. */
function positiveInteger(value, fallback) {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

/** An allow-list where "*" admits everything; `value` unset (not empty) means `fallback`. */
function allowList(value, fallback = []) {
  const entries = list(value ?? fallback);
  const any = entries.includes('*');
  return { entries, allows: (item) => any || entries.includes(item) };
}

export function readConfig(env) {
  const models = allowList(env.ALLOWED_MODELS);
  const maxTokensCap = positiveInteger(env.MAX_TOKENS_CAP, DEFAULT_MAX_TOKENS_CAP);
  return {
    apiKey: typeof env.ANTHROPIC_API_KEY === 'string' ? env.ANTHROPIC_API_KEY.trim() : '',
    upstream: String(env.UPSTREAM_BASE_URL || DEFAULT_UPSTREAM).replace(/\/+$/, ''),
    models,
    maxTokensCap,
    fields: allowList(env.ALLOWED_FIELDS, DEFAULT_ALLOWED_FIELDS),
    betas: allowList(env.ALLOWED_BETAS),
    toolTypes: allowList(env.ALLOWED_TOOL_TYPES),
    maxBodyBytes: positiveInteger(env.MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
    origins: allowList(env.ALLOWED_ORIGINS),
    chatModel: env.CHAT_MODEL || models.entries.find((model) => model !== '*') || 'claude-haiku-4-5',
    chatMaxTokens: Math.min(positiveInteger(env.CHAT_MAX_TOKENS, DEFAULT_CHAT_MAX_TOKENS), maxTokensCap),
  };
}
