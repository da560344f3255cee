/**
 * The Swagger 2.0 checker (swagger-check.ts) on a small spec written for it: each rule it
 * applies catches what it should, and the 2020 CyberSource spec's quirks read as documented.
 */
import { describe, expect, it } from 'vitest';
import { type Json, SwaggerChecker } from './swagger-check.ts';

const doc: Json = {
  swagger: '2.0',
  basePath: '/',
  consumes: ['application/json;charset=utf-8'],
  produces: ['application/hal+json;charset=utf-8'],
  definitions: {
    Amount: { type: 'object', properties: { totalAmount: { type: 'string', maxLength: 19 } } },
  },
  paths: {
    '/things/{id}/parts': {
      post: {
        parameters: [
          { name: 'id', in: 'path', required: true, type: 'string', maxLength: 5 },
          { name: 'profile-id', in: 'header', required: true, type: 'string', maxLength: 36 },
          {
            name: 'body',
            in: 'body',
            required: true,
            schema: {
              type: 'object',
              required: ['code'],
              properties: {
                code: { type: 'string', minLength: 2, pattern: '[a-z]+' },
                amount: { $ref: '#/definitions/Amount' },
                kind: { type: 'string', enum: ['a', 'b'] },
                when: { type: 'string', format: 'date-time' },
                month: { type: 'string', format: 'MM' },
                count: { type: 'integer', minimum: 1, maximum: 3 },
                tags: { type: 'array', uniqueItems: true, items: { type: 'string', maxLength: 2 } },
                id: { type: 'string', readOnly: true },
                free: { type: 'object' },
              },
            },
          },
        ],
        responses: {
          '201': {
            headers: { uniqueTransactionID: { type: 'string' } },
            schema: { properties: { id: { type: 'string' } } },
          },
          '404': {
            schema: {
              type: 'array',
              items: { type: 'object', properties: { type: { type: 'string' } } },
            },
          },
        },
      },
    },
    '/voids/': { post: { parameters: [], responses: { '201': {} } } },
  },
};

const checker = new SwaggerChecker(doc);
const op = (path = '/things/abc/parts') => {
  const o = checker.operation('POST', path);
  if (!o) throw new Error('no operation');
  return o;
};
const request = (body: unknown, headers: Record<string, string> = {}, path = '/things/abc/parts') =>
  checker.checkRequest(op(path), {
    method: 'POST',
    path,
    headers: new Headers({
      'content-type': 'application/json',
      'profile-id': 'p',
      ...headers,
    }),
    body: JSON.stringify(body),
  });
const problems = (ms: { pointer: string; problem: string }[]) =>
  ms.map((m) => `${m.pointer}: ${m.problem}`);

describe('requests', () => {
  it('accepts a body that fits', () => {
    expect(request({ code: 'ab', amount: { totalAmount: '10.00' }, free: { x: 1 } })).toEqual([]);
  });

  it('reports each kind of mismatch with its JSON pointer', () => {
    expect(
      problems(
        request({
          amount: { totalAmount: 10, extra: true },
          code: 'A1',
          kind: 'c',
          when: '2020-01-01 10:00',
          month: '13',
          count: 4,
          tags: ['abc', 'abc'],
          id: 'x',
          'a/b': 1,
        }),
      ),
    ).toEqual([
      '/amount/totalAmount: expected string, got integer 10',
      '/amount/extra: property not in the spec',
      '/code: "A1" does not match pattern [a-z]+',
      '/kind: "c" is not one of ["a","b"]',
      '/when: "2020-01-01 10:00" is not format date-time',
      '/month: "13" is not format MM',
      '/count: 4 is above maximum 3',
      '/tags/0: 3 characters, maxLength 2',
      '/tags/1: 3 characters, maxLength 2',
      '/tags: items are not unique',
      '/id: read-only property sent in a request',
      '/a~1b: property not in the spec',
    ]);
  });

  it('names a required property that is missing', () => {
    expect(problems(request({}))).toEqual([': required property "code" missing']);
  });

  it('checks path and header parameters, content type and Accept', () => {
    expect(
      problems(
        request({ code: 'ab' }, { 'profile-id': '', accept: 'text/html' }, '/things/abcdef/parts'),
      ),
    ).toEqual([
      'path id: 6 characters, maxLength 5',
      'header accept: "text/html" accepts none of produces ["application/hal+json;charset=utf-8"]',
    ]);
    const noHeader = checker.checkRequest(op(), {
      method: 'POST',
      path: '/things/abc/parts?x=1',
      headers: new Headers({ 'content-type': 'text/plain' }),
      body: '{"code":"ab"}',
    });
    expect(problems(noHeader)).toEqual([
      'header profile-id: required header parameter missing',
      'query x: query parameter not in the spec',
      'header content-type: "text/plain" is not among consumes ["application/json;charset=utf-8"]',
    ]);
  });

  it('ignores a trailing slash in either the spec or the path sent', () => {
    expect(checker.operation('POST', '/voids')?.template).toBe('/voids/');
    expect(checker.operation('GET', '/voids')).toBeUndefined();
    expect(checker.template('/nothing')).toBeUndefined();
  });
});

describe('responses', () => {
  const response = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    checker.checkResponse(op(), {
      status,
      headers: new Headers({ 'content-type': 'application/hal+json', ...headers }),
      body: JSON.stringify(body),
    });

  it('reads a schema with properties and no type as an object', () => {
    expect(problems(response(201, { id: 'x' }, { uniqueTransactionID: 'u' }))).toEqual([]);
    expect(problems(response(201, { id: 1, more: 1 }))).toEqual([
      'header uniqueTransactionID: response header named by the spec missing',
      '/id: expected string, got integer 1',
      '/more: property not in the spec',
    ]);
  });

  it('checks a TMS-style error array under `errors`, and refuses a status the spec does not list', () => {
    expect(problems(response(404, { errors: [{ type: 'notFound', message: 'x' }] }))).toEqual([
      '/errors/0/message: property not in the spec',
    ]);
    expect(problems(response(500, {}))).toEqual([
      'status: status 500 not in the spec (it lists 201, 404)',
    ]);
  });
});
