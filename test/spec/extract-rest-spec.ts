/**
 * @module The part of CyberSource's 2020 REST spec (API-FACTS §7, SPEC2020) that the conformance
 * test checks traffic against, extracted into `test/fixtures/cybersource-rest-spec-2020.subset.json`.
 *
 * The full file (4 MB) lives beside the project, not in it (`../shared/cybersource/`). The
 * extract keeps the paths the stub calls that the spec covers (`KEPT`), and of each operation
 * and schema only what a check reads: types, properties, required, lengths, patterns, formats,
 * bounds, readOnly, items, parameters, response codes and headers, consumes and produces.
 * Descriptions, examples and titles are dropped; nothing is renamed or added.
 *
 *   npx tsx test/spec/extract-rest-spec.ts [path to cybersource-rest-spec-2020.json]
 *
 * rewrites the fixture; the conformance test re-runs `extractRestSpec` and compares whenever the
 * full file is there, so the fixture cannot drift from its source.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURE = resolve(HERE, '../fixtures/cybersource-rest-spec-2020.subset.json');
/** Where the maintainers keep the full spec (README "How it fits together"). */
export const FULL_SPEC = resolve(
  HERE,
  '../../../shared/cybersource/cybersource-rest-spec-2020.json',
);

/** API-FACTS §7: blob 581319ae… of NODE `generator/cybersource-rest-spec.json` at 9ec14e58. */
export const SOURCE = {
  repository: 'github.com/CyberSource/cybersource-rest-client-node',
  path: 'generator/cybersource-rest-spec.json',
  commit: '9ec14e58964343f5ed2761a879c7c9b945ffe3d8',
  sha256: '0abd2ac7ebd1f839791528e4cdff22d0cd03c3d7a870184de3d6734d29104a07',
};

/**
 * The spec's paths the stub calls (server-stub/cybersource/): a new call to another covered path
 * fails the conformance test until it is added here (`allPaths` lists every one).
 */
const KEPT = new Set([
  '/pts/v2/payments',
  '/pts/v2/payments/{id}/reversals',
  '/pts/v2/payments/{id}/refunds',
  '/pts/v2/payments/{id}/voids',
  '/pts/v2/reversals/',
  '/pts/v2/voids/',
  '/tss/v2/transactions/{id}',
  '/tss/v2/searches',
  '/flex/v1/keys',
  '/tms/v1/instrumentidentifiers/{tokenId}',
]);

/** Schema keywords a check reads; everything else (description, example, title, xml) goes. */
const SCHEMA_KEYS = new Set([
  '$ref',
  'type',
  'format',
  'required',
  'enum',
  'maxLength',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
  'readOnly',
  'uniqueItems',
  'allOf',
]);
const PARAMETER_KEYS = new Set([
  'name',
  'in',
  'required',
  'type',
  'format',
  'maxLength',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
]);
const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);

type Json = Record<string, any>;

function schema(s: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (SCHEMA_KEYS.has(k)) out[k] = k === 'allOf' ? v.map(schema) : v;
    else if (k === 'properties')
      out.properties = Object.fromEntries(
        Object.entries(v as Json).map(([name, p]) => [name, schema(p)]),
      );
    else if (k === 'items') out.items = schema(v);
    else if (k === 'additionalProperties') out[k] = typeof v === 'object' ? schema(v) : v;
  }
  return out;
}

function operation(op: Json): Json {
  const out: Json = {};
  if (op.consumes) out.consumes = op.consumes;
  if (op.produces) out.produces = op.produces;
  out.parameters = (op.parameters ?? []).map((p: Json) => {
    const kept: Json = {};
    for (const [k, v] of Object.entries(p)) if (PARAMETER_KEYS.has(k)) kept[k] = v;
    if (p.schema) kept.schema = schema(p.schema);
    return kept;
  });
  out.responses = Object.fromEntries(
    Object.entries(op.responses as Json).map(([code, r]) => {
      const kept: Json = {};
      if (r.headers)
        kept.headers = Object.fromEntries(
          Object.entries(r.headers as Json).map(([name, h]) => [name, { type: h.type }]),
        );
      if (r.schema) kept.schema = schema(r.schema);
      return [code, kept];
    }),
  );
  return out;
}

/**
 * The definitions the kept paths `$ref` (none in the 2020 file: its schemas are all inline),
 * and the ones those refer to.
 */
function referencedDefinitions(paths: Json, all: Json): Json {
  const out: Json = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const ref = (node as Json).$ref;
      const name = typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;
      if (name && !(name in out) && all[name]) {
        out[name] = schema(all[name]);
        visit(out[name]);
      }
      Object.values(node).forEach(visit);
    }
  };
  visit(paths);
  return out;
}

export function extractRestSpec(full: Json): Json {
  const paths: Json = {};
  for (const [path, item] of Object.entries(full.paths as Json)) {
    if (!KEPT.has(path)) continue;
    paths[path] = Object.fromEntries(
      Object.entries(item as Json)
        .filter(([m]) => METHODS.has(m))
        .map(([m, op]) => [m, operation(op)]),
    );
  }
  return {
    about:
      "An extract of CyberSource's 2020 merged REST spec (swagger 2.0) for the conformance test: the paths the stub calls, validation keywords only. Made by test/spec/extract-rest-spec.ts; do not edit by hand.",
    source: SOURCE,
    swagger: full.swagger,
    basePath: full.basePath,
    consumes: full.consumes,
    produces: full.produces,
    paths,
    /** Every path of the full spec with its methods, to tell "not extracted" from "not covered". */
    allPaths: Object.fromEntries(
      Object.entries(full.paths as Json).map(([path, item]) => [
        path,
        Object.keys(item as Json).filter((m) => METHODS.has(m)),
      ]),
    ),
    definitions: referencedDefinitions(paths, full.definitions ?? {}),
  };
}

/** The full spec's text, checked against API-FACTS §7's hash; undefined when it is not there. */
export function readFullSpec(
  path = process.env.CYBERSOURCE_REST_SPEC ?? FULL_SPEC,
): Json | undefined {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch {
    return undefined;
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (sha256 !== SOURCE.sha256)
    throw new Error(`${path}: sha256 ${sha256}, not the 2020 spec's ${SOURCE.sha256}`);
  return JSON.parse(text.toString('utf8'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const full = readFullSpec(process.argv[2]);
  if (!full) throw new Error(`no spec at ${process.argv[2] ?? FULL_SPEC}`);
  writeFileSync(FIXTURE, `${JSON.stringify(extractRestSpec(full), null, 2)}\n`);
}
