// Issue 16, item 4: the OpenAPI 3.1 document at /api/v1/openapi.json, fetched from a real
// listening server, is valid (checked by an OpenAPI schema validator), lists every /api/v1 route
// the app serves and nothing it does not, and carries the bounds of the zod schemas that
// validate requests.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../service/export/http.ts';
import { clipFields, LIMITS } from '../../shared/model.ts';
import { PUSH_MAX_MUTATIONS } from '../../shared/protocol.ts';
import { makeWorld, type World } from '../helpers/world.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let w: World;
let base: string;
let server: ReturnType<typeof serve>;
let doc: Json;
let response: Response;

beforeAll(async () => {
  w = await makeWorld();
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // No token: the document is public, like /health.
  response = await fetch(`${base}/api/v1/openapi.json`);
  doc = (await response.clone().json()) as Json;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The app's own routes under /api/v1 (Hono's route table; middleware entries are `ALL`). */
function appRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const route of w.app.routes) {
    if (route.method === 'ALL' || !route.path.startsWith('/api/v1/')) continue;
    routes.add(`${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  }
  return routes;
}

function documented(): Set<string> {
  const operations = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Json)) for (const method of Object.keys(item)) operations.add(`${method} ${path}`);
  return operations;
}

describe('OpenAPI document', () => {
  it('is served without a token as JSON, over HTTP', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Every $ref points at something the document holds.
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/[^"]+"/g) ?? [];
    for (const found of refs) {
      const [, kind, name] = /#\/components\/([^/]+)\/([^"]+)/.exec(found)!;
      expect(doc.components[kind!]?.[name!], found).toBeDefined();
    }
  });

  it('lists every /api/v1 route the app serves, and none it does not', () => {
    const routes = appRoutes();
    const operations = documented();
    expect(routes.size).toBeGreaterThan(15);
    expect([...routes].filter((route) => !operations.has(route))).toEqual([]);
    expect([...operations].filter((operation) => !routes.has(operation))).toEqual([]);
    // Each path parameter is declared on its operation.
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item as Json)) {
        const declared = ((operation as Json).parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual(names.sort());
      }
    }
  });

  it('is generated from the request schemas: their bounds and choices are in it', () => {
    const schemas = doc.components.schemas as Json;
    expect(schemas.ClipFields.properties.title.maxLength).toBe(LIMITS.shortText);
    expect(schemas.ClipFields.properties.html.maxLength).toBe(LIMITS.html);
    expect(schemas.ClipFields.properties.kind.enum).toEqual(clipFields.shape.kind.options);
    expect(schemas.CaseFields.properties.status.enum).toEqual(['open', 'closed']);
    expect(schemas.Mutation.properties.op.enum).toEqual(['put', 'delete']);
    expect(schemas.Mutation.additionalProperties).toBe(false);
    expect(schemas.PushRequest.properties.mutations.maxItems).toBe(PUSH_MAX_MUTATIONS);
    expect(schemas.SigninRequest.properties.password.maxLength).toBe(1024);
    expect(schemas.CslItem.properties.URL.maxLength).toBe(LIMITS.url);
    const exportFormat = doc.paths['/api/v1/libraries/{lib}/export'].get.parameters.find((p: Json) => p.name === 'format');
    expect(exportFormat.schema.enum).toEqual([...EXPORT_FORMATS]);
    expect(exportFormat.schema.enum).toEqual(expect.arrayContaining(['csl-json', 'ris', 'bibtex']));
  });

  it('says which routes need a token, and they do', async () => {
    const library = `/api/v1/libraries/${w.libA.id}/cases`;
    expect(doc.paths['/api/v1/libraries/{lib}/cases'].get.security).toBeUndefined();
    expect(doc.security).toEqual([{ token: [] }]);
    expect((await fetch(`${base}${library}`)).status).toBe(401);
    expect(doc.paths['/api/v1/health'].get.security).toEqual([]);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
  });
});
