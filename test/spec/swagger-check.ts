/**
 * @module A small Swagger 2.0 checker for tests: does a request or an answer, as it went over the
 * wire, match an operation of the spec? Each mismatch names the operation, a JSON pointer into
 * the body (or the parameter, header or status) and what is wrong.
 *
 * Checked: the method and path (path parameters: type, lengths, pattern), header and query
 * parameters the spec names (required, lengths, pattern), the request's content type against
 * `consumes` and its Accept against `produces`, the JSON body against the body parameter's
 * schema, an answer's status against the operation's responses (or `default`), the response
 * headers it names, its content type against `produces`, and its body against that response's
 * schema. Schemas: `$ref` (local), `allOf`, type, properties, **properties not in the spec**,
 * required, enum, maxLength/minLength, pattern, format (below), minimum/maximum, readOnly (sent
 * in a request), items, uniqueItems, additionalProperties.
 *
 * Choices where Swagger 2.0 leaves room, each stricter than a validator's default:
 * - A property not declared on an object that declares `properties` is reported (Swagger allows
 *   it unless `additionalProperties: false`): CyberSource may refuse or silently ignore it.
 * - `pattern` must match the whole value (JSON Schema's is unanchored): CyberSource writes them
 *   as character classes (`[a-zA-Z0-9-_]+`), meant for the whole field.
 * - Lengths count Unicode code points, as JSON Schema does.
 *
 * Quirks of CyberSource's 2020 spec this reads the way CyberSource meant it:
 * - A schema with `properties` and no `type` (the Flex v1 key answer) is an object; with
 *   `items` and no `type`, an array.
 * - TMS v1 error answers are declared `type: array` of error objects, while the body (the spec's
 *   own examples, and the SDK's models) is `{"errors": [ … ]}`: such an answer's `errors` is
 *   checked against the array schema.
 * - Two paths are written with a trailing slash (`/pts/v2/reversals/`, `/pts/v2/voids/`) that
 *   the SDK does not send: a trailing slash is ignored when matching a path.
 * - `consumes` and `produces` compare media types without parameters (`application/json`
 *   matches `application/json;charset=utf-8`).
 * - Amounts, counts and codes are strings in the spec (`totalAmount: "10.00"`): there is no
 *   coercion, a JSON number where a string is declared is a mismatch.
 * - The spec has no `enum`: CyberSource lists allowed values in descriptions only, which this
 *   does not read.
 * Formats checked: date-time (RFC 3339), date, int32, int64 and CyberSource's own `MM`, `YYYY`
 * and `YYYY-MM-DD|YYYYMMDD`; any other format is accepted as it is.
 */

export type Json = Record<string, any>;

export interface Mismatch {
  /** `POST /pts/v2/payments` (the spec's template), `request` or `response 201`. */
  where: string;
  /** JSON pointer into the body (`/orderInformation/amountDetails/totalAmount`), or `header x`, `path id`, `status`. */
  pointer: string;
  problem: string;
}

export interface Operation {
  template: string;
  method: string;
  op: Json;
  params: Record<string, string>;
}

export interface WireRequest {
  method: string;
  /** Path plus query as sent. */
  path: string;
  headers: Headers;
  body: string | undefined;
}

export interface WireResponse {
  status: number;
  headers: Headers;
  body: string;
}

const pointerToken = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const trimSlash = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);
const essence = (mediaType: string) => (mediaType.split(';')[0] ?? '').trim().toLowerCase();
const codePoints = (s: string) => [...s].length;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const FORMATS: Record<string, (v: unknown) => boolean> = {
  'date-time': (v) =>
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v) &&
    !Number.isNaN(Date.parse(v)),
  date: (v) => typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(v),
  int32: (v) => typeof v !== 'number' || (v >= -(2 ** 31) && v < 2 ** 31),
  int64: (v) => typeof v !== 'number' || Number.isSafeInteger(v),
  MM: (v) => typeof v === 'string' && /^(0[1-9]|1[0-2])$/.test(v),
  YYYY: (v) => typeof v === 'string' && /^\d{4}$/.test(v),
  'YYYY-MM-DD|YYYYMMDD': (v) =>
    typeof v === 'string' && /^\d{4}-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])$/.test(v),
};

export class SwaggerChecker {
  readonly #doc: Json;
  readonly #patterns = new Map<string, RegExp>();

  constructor(doc: Json) {
    this.#doc = doc;
  }

  /** The spec's path template for a path as sent, whatever the method; undefined if none. */
  template(path: string): string | undefined {
    return this.#match(path)?.template;
  }

  /** The operation a request is for, or undefined when the spec has no such path and method. */
  operation(method: string, path: string): Operation | undefined {
    const m = this.#match(path);
    const op = m && this.#doc.paths[m.template]?.[method.toLowerCase()];
    return m && op
      ? { template: m.template, method: method.toUpperCase(), op, params: m.params }
      : undefined;
  }

  #match(rawPath: string): { template: string; params: Record<string, string> } | undefined {
    const base = this.#doc.basePath && this.#doc.basePath !== '/' ? this.#doc.basePath : '';
    const path = trimSlash((rawPath.split('?')[0] ?? '').slice(base.length));
    const sent = path.split('/');
    for (const template of Object.keys(this.#doc.paths)) {
      const parts = trimSlash(template).split('/');
      if (parts.length !== sent.length) continue;
      const params: Record<string, string> = {};
      const ok = parts.every((part, i) => {
        const value = sent[i] ?? '';
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (name === undefined) return part === value;
        if (value === '') return false;
        params[name] = decodeURIComponent(value);
        return true;
      });
      if (ok) return { template, params };
    }
    return undefined;
  }

  /** Everything about a request that the operation's parameters and `consumes` say. */
  checkRequest(o: Operation, req: WireRequest): Mismatch[] {
    const where = `${o.method} ${o.template} request`;
    const out: Mismatch[] = [];
    const add = (pointer: string, problem: string) => out.push({ where, pointer, problem });
    const query = new URLSearchParams(req.path.split('?')[1] ?? '');
    const params: Json[] = o.op.parameters ?? [];
    for (const p of params) {
      if (p.in === 'body') continue;
      const value =
        p.in === 'path'
          ? o.params[p.name]
          : p.in === 'header'
            ? (req.headers.get(p.name) ?? undefined)
            : p.in === 'query'
              ? (query.get(p.name) ?? undefined)
              : undefined;
      const label = `${p.in} ${p.name}`;
      if (value === undefined) {
        if (p.required) add(label, `required ${p.in} parameter missing`);
        continue;
      }
      // Path, header and query values are text; a declared number must read as one.
      const typed =
        (p.type === 'integer' || p.type === 'number') && /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : p.type === 'boolean' && /^(true|false)$/.test(value)
            ? value === 'true'
            : value;
      for (const m of this.checkValue(p, typed, '', 'request')) add(label, m.problem);
    }
    for (const name of query.keys())
      if (!params.some((p) => p.in === 'query' && p.name === name))
        add(`query ${name}`, 'query parameter not in the spec');

    const bodyParam = params.find((p) => p.in === 'body');
    if (req.body === undefined) {
      if (bodyParam?.required) add('', 'required body missing');
      return out;
    }
    if (!bodyParam) {
      add('', 'a body is sent; the spec gives this operation none');
      return out;
    }
    const consumes: string[] = o.op.consumes ?? this.#doc.consumes ?? [];
    const contentType = req.headers.get('content-type') ?? '';
    if (consumes.length > 0 && !consumes.some((c) => essence(c) === essence(contentType)))
      add(
        'header content-type',
        `"${contentType}" is not among consumes ${JSON.stringify(consumes)}`,
      );
    const accept = req.headers.get('accept');
    const produces: string[] = o.op.produces ?? this.#doc.produces ?? [];
    if (accept && produces.length > 0 && !acceptsAny(accept, produces))
      add('header accept', `"${accept}" accepts none of produces ${JSON.stringify(produces)}`);
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      add('', 'body is not JSON');
      return out;
    }
    for (const m of this.checkValue(bodyParam.schema ?? {}, body, '', 'request'))
      add(m.pointer, m.problem);
    return out;
  }

  /** An answer against the operation's response for its status (or `default`). */
  checkResponse(o: Operation, res: WireResponse): Mismatch[] {
    const where = `${o.method} ${o.template} response ${res.status}`;
    const out: Mismatch[] = [];
    const add = (pointer: string, problem: string) => out.push({ where, pointer, problem });
    const responses: Json = o.op.responses ?? {};
    const spec = responses[String(res.status)] ?? responses.default;
    if (!spec) {
      add(
        'status',
        `status ${res.status} not in the spec (it lists ${Object.keys(responses).join(', ')})`,
      );
      return out;
    }
    for (const name of Object.keys(spec.headers ?? {}))
      if (!res.headers.has(name))
        add(`header ${name}`, 'response header named by the spec missing');
    if (!spec.schema) return out;
    if (res.body === '') {
      add('', 'body missing; the spec gives this answer a schema');
      return out;
    }
    const produces: string[] = o.op.produces ?? this.#doc.produces ?? [];
    const contentType = res.headers.get('content-type') ?? '';
    const anyType = produces.some((p) => essence(p) === '*/*');
    if (
      produces.length > 0 &&
      !anyType &&
      !produces.some((p) => essence(p) === essence(contentType))
    )
      add(
        'header content-type',
        `"${contentType}" is not among produces ${JSON.stringify(produces)}`,
      );
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      add('', 'body is not JSON');
      return out;
    }
    const schema: Json = spec.schema;
    let value = body;
    let pointer = '';
    // Quirk: TMS errors are declared as the array that the body carries under `errors`.
    if (
      this.#resolve(schema).type === 'array' &&
      typeOf(body) === 'object' &&
      'errors' in (body as Json)
    ) {
      const { errors, ...rest } = body as Json;
      for (const k of Object.keys(rest)) add(`/${pointerToken(k)}`, 'property not in the spec');
      value = errors;
      pointer = '/errors';
    }
    for (const m of this.checkValue(schema, value, pointer, 'response')) add(m.pointer, m.problem);
    return out;
  }

  /** A value against a schema; `pointer` is where the value sits in its body. */
  checkValue(
    schemaIn: Json,
    value: unknown,
    pointer: string,
    direction: 'request' | 'response',
  ): { pointer: string; problem: string }[] {
    const out: { pointer: string; problem: string }[] = [];
    const add = (problem: string, at = pointer) => out.push({ pointer: at, problem });
    const schema = this.#resolve(schemaIn);
    for (const part of schema.allOf ?? [])
      out.push(...this.checkValue(part, value, pointer, direction));

    const type: string | undefined =
      schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
    const actual = typeOf(value);
    if (type !== undefined) {
      const fits = actual === type || (type === 'number' && actual === 'integer');
      if (!fits) {
        add(
          `expected ${type}, got ${actual}${actual === 'number' || actual === 'integer' || actual === 'string' ? ` ${JSON.stringify(value)}` : ''}`,
        );
        return out;
      }
    }
    if (schema.enum && !schema.enum.some((e: unknown) => e === value))
      add(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);

    if (typeof value === 'string') {
      const n = codePoints(value);
      if (schema.maxLength !== undefined && n > schema.maxLength)
        add(`${n} characters, maxLength ${schema.maxLength}`);
      if (schema.minLength !== undefined && n < schema.minLength)
        add(`${n} characters, minLength ${schema.minLength}`);
      if (schema.pattern !== undefined && !this.#pattern(schema.pattern).test(value))
        add(`${JSON.stringify(value)} does not match pattern ${schema.pattern}`);
    }
    if (typeof value === 'number') {
      if (schema.minimum !== undefined && value < schema.minimum)
        add(`${value} is below minimum ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum)
        add(`${value} is above maximum ${schema.maximum}`);
    }
    const format = schema.format && FORMATS[schema.format];
    if (format && !format(value)) add(`${JSON.stringify(value)} is not format ${schema.format}`);

    if (Array.isArray(value)) {
      if (schema.items)
        value.forEach((item, i) => {
          out.push(...this.checkValue(schema.items, item, `${pointer}/${i}`, direction));
        });
      if (schema.uniqueItems) {
        const seen = new Set(value.map((v) => JSON.stringify(v)));
        if (seen.size !== value.length) add('items are not unique');
      }
    } else if (actual === 'object') {
      const obj = value as Json;
      const props: Json | undefined = schema.properties;
      for (const name of schema.required ?? [])
        if (!(name in obj)) add(`required property "${name}" missing`);
      for (const [name, v] of Object.entries(obj)) {
        const at = `${pointer}/${pointerToken(name)}`;
        const prop = props?.[name];
        if (prop) {
          if (direction === 'request' && this.#resolve(prop).readOnly)
            add('read-only property sent in a request', at);
          out.push(...this.checkValue(prop, v, at, direction));
        } else if (typeof schema.additionalProperties === 'object') {
          out.push(...this.checkValue(schema.additionalProperties, v, at, direction));
        } else if (props && schema.additionalProperties !== true) {
          add('property not in the spec', at);
        }
      }
    }
    return out;
  }

  #resolve(schema: Json, seen = new Set<string>()): Json {
    const ref = schema?.$ref;
    if (typeof ref !== 'string') return schema ?? {};
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    const name = ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
    const target = name === undefined ? undefined : this.#doc.definitions?.[name];
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    return this.#resolve(target, seen);
  }

  #pattern(source: string): RegExp {
    let re = this.#patterns.get(source);
    if (!re) {
      re = new RegExp(`^(?:${source})$`);
      this.#patterns.set(source, re);
    }
    return re;
  }
}

/** Whether an Accept header takes at least one of the media types (q=0 excluded). */
function acceptsAny(accept: string, produces: string[]): boolean {
  const ranges = accept
    .split(',')
    .map((r) => r.trim())
    .filter((r) => !/;\s*q=0(\.0*)?\s*($|;)/.test(r))
    .map(essence);
  return produces.some((p) => {
    const [type] = essence(p).split('/');
    return ranges.some(
      (r) => r === '*/*' || r === essence(p) || r === `${type}/*` || essence(p) === '*/*',
    );
  });
}
