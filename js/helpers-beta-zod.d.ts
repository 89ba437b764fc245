import type * as z from 'zod/v4';
import type { AutoParseableOutputFormat, RunnableTool, Tool } from './index.js';

/** Structured outputs from a Zod schema (beta): `messages.parse` gives the validated value. */
export declare function betaZodOutputFormat<Schema extends z.ZodType>(schema: Schema): AutoParseableOutputFormat<z.infer<Schema>>;

/** A runnable tool whose input the Zod schema validates before `run`. */
export declare function betaZodTool<Schema extends z.ZodType>(
  options: {
    name: string;
    inputSchema: Schema;
    description: string;
    run: RunnableTool<z.infer<Schema>>['run'];
  } & Omit<Tool, 'type' | 'name' | 'description' | 'input_schema'>,
): RunnableTool<z.infer<Schema>>;
