/** Config field schemas the channel types share, with messages that say what to send. */
import { z } from 'zod';
import { isHttpUrl } from './send-http.js';

export const urlField = (what: string) =>
  z
    .string()
    .trim()
    .max(2_000)
    .refine(isHttpUrl, { message: `must be the http(s) URL of ${what}, e.g. https://…` });

export const secretField = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `is required: ${what}` })
    .max(1_000);

export const tagsField = z.array(z.string().trim().min(1).max(100)).max(20);
