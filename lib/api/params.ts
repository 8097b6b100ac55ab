import { z } from 'zod';
import { nameSchema, parameterKeySchema, versionSchema } from '#domain/core/names.ts';

/** Path parameters shared by several route groups. */
export const envPathSchema = z.strictObject({ env: nameSchema });
export type EnvPath = z.infer<typeof envPathSchema>;

export const bundlePathSchema = z.strictObject({ name: nameSchema, version: versionSchema });
export type BundlePath = z.infer<typeof bundlePathSchema>;

export const servicePathSchema = z.strictObject({ env: nameSchema, service: nameSchema });
export type ServicePath = z.infer<typeof servicePathSchema>;

export const flagPathSchema = z.strictObject({ env: nameSchema, key: parameterKeySchema });
export type FlagPath = z.infer<typeof flagPathSchema>;

export const idPathSchema = z.strictObject({ id: nameSchema });
export type IdPath = z.infer<typeof idPathSchema>;
