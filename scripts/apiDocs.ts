// `node --import tsx scripts/apiDocs.ts [--check]`: writes the route tables of the HQ and relay APIs and the
// error table into docs/api.md, between their markers, from the route maps (shared/api/routes.ts) and the
// error table (shared/api/errors.ts); the prose around them is kept as written. `--check` changes nothing and
// exits 1 when the file is not what the maps say (a test runs it, so a route added without docs fails).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRORS } from '../shared/api/errors';
import type { RouteInfo } from '../shared/api/routes';
import { HQ_ROUTES, RELAY_ROUTES } from '../shared/api/routes';

export const API_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/api.md');

const cell = (text: string) => text.replace(/\|/g, '\\|');

function routeTable(routes: readonly RouteInfo[]): string {
  const rows = routes.map((r) => `| \`${r.method} ${r.path}\` | ${cell(r.auth)} | ${r.status ?? 200} | ${cell(r.what)} |`);
  return ['| route | auth | success | what |', '|---|---|---|---|', ...rows].join('\n');
}

function errorTable(): string {
  const rows = Object.values(ERRORS).map((e) => `| \`${e.code}\` | ${e.status} | ${cell(e.message.en)} | ${cell(e.message.es)} |`);
  return ['| code | status | English | Spanish |', '|---|---|---|---|', ...rows].join('\n');
}

/** The generated parts, by marker name. */
function generatedSections(): Record<string, string> {
  return { 'hq-routes': routeTable(HQ_ROUTES), 'relay-routes': routeTable(RELAY_ROUTES), errors: errorTable() };
}

/** `text` with each marked section replaced by its generated content; throws when a marker is missing. */
export function renderApiDoc(text: string): string {
  let out = text;
  for (const [name, body] of Object.entries(generatedSections())) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/api.md has no ${start} ... ${end} section`);
    out = `${out.slice(0, from + start.length)}\n${body}\n${out.slice(to)}`;
  }
  return out;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const current = await readFile(API_DOC, 'utf8');
  const wanted = renderApiDoc(current);
  if (wanted === current) return 0;
  if (check) {
    console.error('docs/api.md is not what the route maps and the error table say: run node --import tsx scripts/apiDocs.ts');
    return 1;
  }
  await writeFile(API_DOC, wanted);
  console.log('docs/api.md updated');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
