import type * as z from 'zod/v4';
import type { AutoParseableOutputFormat } from './index.js';

/** Structured outputs from a Zod schema: `messages.parse` gives the validated value. */
export declare function zodOutputFormat<Schema extends z.ZodType>(schema: Schema): AutoParseableOutputFormat<z.infer<Schema>>;
