/**
 * @module Named prepared statements for the embedded database. PGlite's `query` sends every
 * statement unnamed (Parse, Describe, Bind, Describe, Execute, Sync: six calls into its
 * WebAssembly), so PostgreSQL parses and plans it again each time: 1.6 ms of planning for each
 * of a payment's two large statements on this project's CI machine (EXPLAIN ANALYZE), more
 * than the statements' execution. Here a statement is parsed once under a name (its plan
 * then cached by PostgreSQL's plan cache, PostgreSQL docs "PREPARE", Notes) and each run is
 * one call: Bind, Describe, Execute, Sync (frontend messages: PostgreSQL docs, "Message
 * Formats"). Values are serialized and rows parsed with the instance's own serializers and
 * parsers, by the types PostgreSQL reports, as `query` does, so callers see the same rows.
 */
import { type PGlite, types } from '@electric-sql/pglite';
import type { QueryResult } from './database.ts';

const encoder = new TextEncoder();

const cString = (s: string) => encoder.encode(`${s}\0`);

function int16(n: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setInt16(0, n);
  return b;
}

function int32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One frontend message: type byte, Int32 length (itself included), body. */
function message(type: string, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  return concat([Uint8Array.of(type.charCodeAt(0)), int32(4 + body.length), body]);
}

const SYNC = message('S');
const EXECUTE = message('E', cString(''), int32(0));
const DESCRIBE_PORTAL = message('D', encoder.encode('P'), cString(''));

interface Statement {
  name: string;
  /** Parameter type oids, from ParameterDescription. */
  paramTypes: number[];
}

interface Field {
  name: string;
  dataTypeID: number;
}

/** The parts of PGlite's parsed backend messages read here. */
type Backend =
  | { name: 'parameterDescription'; dataTypeIDs: number[] }
  | { name: 'rowDescription'; fields: Field[] }
  | { name: 'dataRow'; fields: (string | null)[] }
  | { name: 'commandComplete'; text: string }
  | { name: string };

export class PreparedStatements {
  readonly #db: PGlite;
  readonly #statements = new Map<string, Statement>();
  readonly #max: number;
  #counter = 0;

  /**
   * `max`: how many statements stay prepared. The stub's SQL is fixed text (the decline caps'
   * statement has a few shapes), so it never comes near; past it a statement runs unnamed, as
   * PGlite's `query` would, rather than grow the cache without bound.
   */
  constructor(db: PGlite, max = 256) {
    this.#db = db;
    this.#max = max;
  }

  /**
   * Runs `sql` with `params`. The caller holds PGlite's query lock (`_runExclusiveQuery`),
   * and its transaction lock outside a transaction, as PGlite's own `query` does.
   */
  async run(sql: string, params: unknown[]): Promise<QueryResult> {
    const statement = this.#statements.get(sql) ?? (await this.#prepare(sql));
    try {
      return await this.#execute(statement, params);
    } catch (err) {
      // "cached plan must not change result type": a table the statement reads changed under
      // it (a migration after its first run). Prepared again, it runs against the new shape;
      // inside a transaction the failed run has already aborted it, so the retry fails with the
      // transaction (25P02). Migrations run at start-up, before any statement is prepared.
      if ((err as { code?: string }).code !== '0A000') throw err;
      this.#statements.delete(sql);
      await this.#close(statement.name);
      return this.#execute(await this.#prepare(sql), params);
    }
  }

  /** Releases a named statement in PostgreSQL (a Close message). */
  async #close(name: string): Promise<void> {
    if (!name) return;
    await this.#db.execProtocol(concat([message('C', encoder.encode('S'), cString(name)), SYNC]), {
      syncToFs: false,
      throwOnError: false,
    });
  }

  async #prepare(sql: string): Promise<Statement> {
    const keep = this.#statements.size < this.#max;
    // The unnamed statement lasts until the next Parse, and this caller holds the query lock.
    const name = keep ? `stub_${++this.#counter}` : '';
    const { messages } = await this.#db.execProtocol(
      concat([
        message('P', cString(name), cString(sql), int16(0)),
        message('D', encoder.encode('S'), cString(name)),
        SYNC,
      ]),
      { syncToFs: false },
    );
    const description = (messages as Backend[]).find((m) => m.name === 'parameterDescription');
    const statement = {
      name,
      paramTypes: description && 'dataTypeIDs' in description ? description.dataTypeIDs : [],
    };
    if (keep) this.#statements.set(sql, statement);
    return statement;
  }

  async #execute(statement: Statement, params: unknown[]): Promise<QueryResult> {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return int32(-1);
      const serialize = this.#db.serializers[statement.paramTypes[i] ?? 0];
      const text = serialize ? serialize(value) : String(value);
      const bytes = encoder.encode(text);
      return concat([int32(bytes.length), bytes]);
    });
    const bind = message(
      'B',
      cString(''),
      cString(statement.name),
      int16(0),
      int16(values.length),
      ...values,
      int16(0),
    );
    const { messages } = await this.#db.execProtocol(
      concat([bind, DESCRIBE_PORTAL, EXECUTE, SYNC]),
      { syncToFs: false },
    );
    return this.#rows(messages as Backend[]);
  }

  /** Rows and affected rows as PGlite's `query` reports them (its `parseResults`). */
  #rows(messages: Backend[]): QueryResult {
    let fields: Field[] = [];
    const rows: Record<string, unknown>[] = [];
    let affectedRows = 0;
    for (const m of messages) {
      if (m.name === 'rowDescription' && 'fields' in m) {
        fields = (m.fields as Field[]).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
      } else if (m.name === 'dataRow' && 'fields' in m) {
        const values = m.fields as (string | null)[];
        rows.push(
          Object.fromEntries(
            fields.map((f, i) => [
              f.name,
              types.parseType(values[i] ?? null, f.dataTypeID, this.#db.parsers),
            ]),
          ),
        );
      } else if (m.name === 'commandComplete' && 'text' in m) {
        const words = m.text.split(' ');
        if (/^(INSERT|UPDATE|DELETE|COPY|MERGE)$/.test(words[0] ?? '')) {
          affectedRows += Number.parseInt(words.at(-1) ?? '0', 10) || 0;
        }
      }
    }
    return { rows, affectedRows };
  }
}
