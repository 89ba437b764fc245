// `anthropic-wasm/helpers/beta/json-schema`, as SDK 1.15's (the package's own helpers).
export { betaTool, jsonSchemaOutputFormat as betaJSONSchemaOutputFormat } from 'anthropic-wasm';
