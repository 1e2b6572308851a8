#!/usr/bin/env node
// The `caja` CLI entry: registers tsx so the TypeScript sources run as they are (no build step for Node code).
import { register } from 'tsx/esm/api';
register();
await import('../scripts/caja.ts');
