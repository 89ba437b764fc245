// `anthropic-wasm/helpers/json-schema`, as SDK 1.15's (the package's own helper).
export { jsonSchemaOutputFormat } from 'anthropic-wasm';
