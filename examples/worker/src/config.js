// The Worker's settings, read from its vars (wrangler.toml `[vars]`, or the dashboard) and the
// ANTHROPIC_API_KEY secret. Vars may be strings ("a,b", "4096") or JSON values (arrays, numbers).

const DEFAULT_UPSTREAM = 'https://api.anthropic.com';
const DEFAULT_MAX_TOKENS_CAP = 4096;
const DEFAULT_CHAT_MAX_TOKENS = 1024;

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

/** An allow-list where "*" admits everything. */
function allowList(value) {
  const entries = list(value);
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
    origins: allowList(env.ALLOWED_ORIGINS),
    chatModel: env.CHAT_MODEL || models.entries.find((model) => model !== '*') || 'claude-haiku-4-5',
    chatMaxTokens: Math.min(positiveInteger(env.CHAT_MAX_TOKENS, DEFAULT_CHAT_MAX_TOKENS), maxTokensCap),
  };
}
