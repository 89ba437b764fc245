// `client.beta`: SDK 1.15's beta resources (`messages` with its `batches`, `models`) over the
// same requests as the plain ones. `betas` in a call's params goes as the `anthropic-beta`
// header (with the beta a method needs, as 1.15 adds it), and the deprecated `output_format` as
// `output_config.format`; the rest is the plain resource's.
import { AnthropicError } from '../core/errors.js';
import { entriesOf } from '../core/request.js';

/** The beta each method adds to the caller's, as in SDK 1.15. */
const ADDED = { countTokens: 'token-counting-2024-11-01', parse: 'structured-outputs-2025-12-15' };

/** The params and options of a beta call, as the plain resource takes them. */
function betaArguments(method, params, options) {
  let { betas, ...rest } = params ?? {};
  if (rest.output_format) {
    if (rest.output_config?.format) {
      throw new AnthropicError(
        'Both output_format and output_config.format were provided. Please use only output_config.format (output_format is deprecated).',
      );
    }
    const { output_format, ...others } = rest;
    rest = { ...others, output_config: { ...rest.output_config, format: output_format } };
  }
  betas = [...(betas ?? []), ...(ADDED[method] ? [ADDED[method]] : [])];
  if (!betas.length) return [rest, options];
  return [rest, { ...options, headers: [['anthropic-beta', betas.toString()], ...entriesOf(options?.headers ?? [])] }];
}

/** `resource` with beta arguments: its params come first, or after an id. */
export function betaResource(resource) {
  return new Proxy(resource, {
    get(target, name, beta) {
      const value = target[name];
      if (typeof value !== 'function') return value && typeof value === 'object' ? betaResource(value) : value;
      // The runner keeps `betas` in its params and makes each request through this resource.
      if (name === 'toolRunner') return (...args) => value.apply(beta, args);
      return (...args) => {
        const at = typeof args[0] === 'string' ? 1 : 0;
        [args[at], args[at + 1]] = betaArguments(name, args[at], args[at + 1]);
        return value.apply(target, args);
      };
    },
  });
}
