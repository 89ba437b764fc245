export { jsonSchemaOutputFormat } from './index.js';
