export { Stream } from './index.js';
