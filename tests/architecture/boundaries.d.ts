// Types of boundaries.js (plain JavaScript so that eslint.config.js can load it without a TypeScript loader).
import type { ESLint } from 'eslint';

export type Runtime = 'pure' | 'node' | 'browser' | 'electron sandbox' | 'none';

export interface Part {
  name: string;
  folder: string;
  runtime: Runtime;
  /** Other parts, or `node`, `electron`, `npm`, or `*` for anything. */
  mayImport: string[];
  what: string;
}

export interface KnownException {
  from: string;
  to: string;
  typeOnly?: boolean;
  why: string;
}

export const ROOT: string;
export const PARTS: Part[];
export const TOOLING: { name: string; mayImport: string[] };
export const NODE_ONLY_PACKAGES: string[];
export const KNOWN_EXCEPTIONS: KnownException[];
export function isTestFile(rel: string): boolean;
export function partOf(rel: string): Part | null;
export function classifyImport(fromRel: string, specifier: string): { kind: string; target: string; nodeOnly?: boolean };
export function checkImport(fromRel: string, specifier: string, options?: { typeOnly?: boolean; exceptions?: boolean }): string | null;
export const plugin: ESLint.Plugin;
