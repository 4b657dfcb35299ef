/** Request fields shared by setup, login and invite acceptance. */
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../../auth/passwords.js';

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address such as ops@example.com' }))
  .transform((v) => v.toLowerCase());

export const newPassword = z
  .string()
  .min(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` })
  .max(PASSWORD_MAX, { message: `must be at most ${PASSWORD_MAX} characters` });

export const personName = z.string().trim().min(1, { message: 'is required' }).max(100);

export const organizationName = z.string().trim().min(1, { message: 'is required' }).max(100);
