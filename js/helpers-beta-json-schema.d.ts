export { betaTool, jsonSchemaOutputFormat as betaJSONSchemaOutputFormat } from './index.js';
