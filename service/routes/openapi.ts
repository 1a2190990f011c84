// GET /api/v1/openapi.json: an OpenAPI 3.1 document of the whole API (issue 16, item 4). Request
// bodies and object fields are the zod schemas that validate them (shared/model.ts,
// shared/protocol.ts, the routes' own), turned into JSON Schema by zod; the test walks the app's
// routes so that a route without an entry here fails it (test/service/openapi.test.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import { activityParams } from '../activity/params.ts';
import { settingsInput } from '../activity/settings.ts';
import { ALLOWED_TYPES, ATTACHMENT_LIMITS, ATTACHMENT_ROLES } from '../../shared/attachments.ts';
import { counter, fieldSchemas, LIMITS, OBJECT_TYPES, uuid } from '../../shared/model.ts';
import { CHOSEN_CLIP_KINDS } from '../../shared/vocabulary.ts';
import { mutation, PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_MUTATIONS, pushRequest } from '../../shared/protocol.ts';
import { cslItemSchema, MAX_IMPORT_ITEMS, MAX_SELECTED_CLIPS } from '../export/citations.ts';
import { EXPORT_FORMATS } from '../export/http.ts';
import { MAX_BODY_BYTES } from '../http/errors.ts';
import { CASE_CLIPS_SHOWN } from '../repos/library-read.ts';
import type { AppEnv } from '../http/env.ts';
import { roleBody, signinBody } from './account.ts';
import { linkBody, shareBody } from './links.ts';

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), describing what a client sends. */
function schemaOf(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string) => ({ description, content: { 'application/json': { schema } } });

const fieldsName = (type: string) => `${type[0]!.toUpperCase()}${type.slice(1)}Fields`;

function components(): Json {
  const schemas: Record<string, Json> = {
    Error: schemaOf(z.object({ error: z.object({ code: z.string(), message: z.string() }) })),
    Id: schemaOf(uuid),
    SigninRequest: schemaOf(signinBody),
    RoleRequest: schemaOf(roleBody),
    CslItem: { ...schemaOf(cslItemSchema), description: 'A CSL-JSON item; fields Casebook has no place for are ignored.' },
    InboxSettings: schemaOf(settingsInput),
    // The body routes/activity.ts validates for POST /me/inbox/read (its schema is not exported).
    InboxRead: schemaOf(z.object({ library: uuid, upTo: counter }).strict()),
  };
  for (const type of OBJECT_TYPES) {
    // A push carries any subset of an object's fields; a new object needs its required ones.
    schemas[fieldsName(type)] = { ...schemaOf(fieldSchemas[type].partial()), description: `Fields of a ${type}; a put carries any subset of them.` };
  }
  const mutationSchema = schemaOf(mutation) as { properties: Record<string, Json> };
  mutationSchema.properties.fields = {
    description: 'The fields of an object of `type` (a put); absent on a delete.',
    anyOf: OBJECT_TYPES.map((type) => ref(fieldsName(type))),
  };
  schemas.Mutation = mutationSchema;
  const push = schemaOf(pushRequest) as { properties: Record<string, Json> };
  push.properties.mutations = { type: 'array', maxItems: PUSH_MAX_MUTATIONS, items: ref('Mutation'), description: `At most ${PUSH_MAX_MUTATIONS} (more answers 413).` };
  schemas.PushRequest = push;
  const change = { type: 'object', properties: { type: { enum: [...OBJECT_TYPES] }, id: ref('Id'), version: { type: 'integer' }, deleted: { type: 'boolean' }, fields: { type: 'object' } }, required: ['type', 'id', 'version', 'deleted', 'fields'] };
  schemas.PushResponse = {
    type: 'object',
    properties: {
      version: { type: 'integer' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            mid: { type: 'number' },
            id: { type: 'string' },
            status: { enum: ['applied', 'conflict', 'rejected'] },
            version: { type: 'integer' },
            current: change,
            error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
          },
          required: ['mid', 'id', 'status'],
        },
      },
    },
    required: ['version', 'results'],
  };
  schemas.PullResponse = { type: 'object', properties: { changes: { type: 'array', items: change }, version: { type: 'integer' }, more: { type: 'boolean' } }, required: ['changes', 'version', 'more'] };
  schemas.ImportReport = {
    type: 'object',
    properties: {
      created: { type: 'integer' },
      added: { type: 'integer' },
      unchanged: { type: 'integer' },
      rejected: { type: 'integer' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            index: { type: 'integer' },
            itemId: { type: ['string', 'number'] },
            clipId: ref('Id'),
            status: { enum: ['created', 'added', 'unchanged', 'duplicate', 'rejected'] },
            error: { type: 'string' },
          },
          required: ['index', 'status'],
        },
      },
    },
    required: ['created', 'added', 'unchanged', 'rejected', 'results'],
  };
  const errorResponse = (description: string) => json(ref('Error'), description);
  return {
    schemas,
    securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'An API token: `casebook token create`, the extension sign-in, or POST /api/v1/tokens.' } },
    responses: {
      BadRequest: errorResponse('invalid input; the message says which field and why'),
      Unauthorized: errorResponse('no token, or a token that is revoked or unknown'),
      Forbidden: errorResponse('not allowed (a reader writing, a member doing an admin’s task)'),
      NotFound: errorResponse('unknown, also another library’s objects'),
      TooLarge: errorResponse(`the body is larger than its bound (${MAX_BODY_BYTES} bytes for the API)`),
      TooMany: errorResponse('rate limited; see Retry-After'),
      Busy: errorResponse('the store cannot take the write now (busy or full); nothing was written; see Retry-After'),
    },
  };
}

interface Param {
  name: string;
  in: 'path' | 'query';
  description: string;
  schema: Json;
  required?: boolean;
}
interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  public?: boolean;
  params?: Param[];
  body?: { schema: Json; description: string };
  /** A body that is not JSON (media type → media type object). */
  rawBody?: Record<string, Json>;
  ok: Json;
  errors?: Array<'BadRequest' | 'Forbidden' | 'NotFound' | 'TooLarge' | 'Busy'>;
  okStatus?: '200' | '201';
}

const lib: Param = { name: 'lib', in: 'path', required: true, description: 'library id', schema: ref('Id') };
const sha256Param: Param = { name: 'sha256', in: 'path', required: true, description: 'the file’s SHA-256 (64 lower-case hex digits)', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } };
const idParam = (what: string): Param => ({ name: 'id', in: 'path', required: true, description: `${what} id`, schema: ref('Id') });
const query = (name: string, description: string, schema: Json = { type: 'string' }, required = false): Param => ({ name, in: 'query', description, schema, required });
const objectOk = (description: string) => json({ type: 'object' }, description);

/** Query parameters from the zod schema that parses them (only the names given, in that order). */
function queryFrom(schema: z.ZodType, names: string[], descriptions: Record<string, string> = {}): Param[] {
  const properties = (schemaOf(schema) as { properties: Record<string, Json> }).properties;
  return names.map((name) => query(name, descriptions[name] ?? name, properties[name] ?? { type: 'string' }));
}
const ACTIVITY_HELP = { since: 'library version already seen', before: 'page back from this version', limit: 'items per page', case: 'case id', tag: 'a tag', library: 'only this library (id)' };
const L = '/api/v1/libraries/{lib}';

function operations(): Operation[] {
  return [
    { method: 'get', path: '/api/v1/health', summary: 'The service is up; which store it runs on', tag: 'account', public: true, ok: json({ type: 'object', properties: { ok: { type: 'boolean' }, store: { enum: ['sqlite', 'postgres'] } } }, 'healthy') },
    { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', tag: 'account', public: true, ok: objectOk('an OpenAPI 3.1 document') },
    {
      method: 'post', path: '/api/v1/tokens', summary: 'Password sign-in for an API token (rate limited per address and account)', tag: 'account', public: true,
      body: { schema: ref('SigninRequest'), description: 'e-mail, password and a label for the token' },
      ok: objectOk('the token (shown once), its id and the user'), okStatus: '201', errors: ['BadRequest'],
    },
    { method: 'delete', path: '/api/v1/tokens/current', summary: 'Sign out: revoke the token of this request', tag: 'account', ok: objectOk('`{ revoked: true }`') },
    { method: 'get', path: '/api/v1/me', summary: 'The signed-in user and their libraries with roles', tag: 'account', ok: objectOk('user and libraries') },
    { method: 'get', path: '/api/v1/libraries', summary: 'The libraries of the signed-in user with their roles', tag: 'account', ok: objectOk('`{ libraries }`') },
    {
      method: 'put', path: `${L}/members/{user}`, summary: 'Change a member’s role (admins; the last admin stays)', tag: 'members',
      params: [lib, { name: 'user', in: 'path', required: true, description: 'user id', schema: ref('Id') }],
      body: { schema: ref('RoleRequest'), description: 'the new role' }, ok: objectOk('`{ userId, role }`'), errors: ['BadRequest', 'Forbidden', 'NotFound'],
    },
    {
      method: 'delete', path: `${L}/members/{user}`, summary: 'Remove a member (admins; the last admin stays)', tag: 'members',
      params: [lib, { name: 'user', in: 'path', required: true, description: 'user id', schema: ref('Id') }], ok: objectOk('`{ removed: true }`'), errors: ['Forbidden', 'NotFound'],
    },
    {
      method: 'post', path: `${L}/sync/push`, summary: 'Apply a batch of mutations in one transaction; each comes back applied, conflict or rejected', tag: 'sync',
      params: [lib], body: { schema: ref('PushRequest'), description: 'client id and mutations (each `mid` once per client)' },
      ok: json(ref('PushResponse'), 'one result per mutation'), errors: ['BadRequest', 'Forbidden', 'TooLarge', 'Busy'],
    },
    {
      method: 'get', path: `${L}/sync/pull`, summary: 'Changes after a library version', tag: 'sync',
      params: [lib, query('since', 'library version already seen', { type: 'integer', minimum: 0, default: 0 }), query('limit', `changes per page (at most ${PULL_MAX_LIMIT})`, { type: 'integer', minimum: 1, default: PULL_DEFAULT_LIMIT })],
      ok: json(ref('PullResponse'), 'changes in version order'), errors: ['BadRequest'],
    },
    {
      method: 'get', path: `${L}/clips`, summary: 'Full-text search of clips with highlighted snippets, filters and cursor paging', tag: 'library',
      params: [
        lib,
        query('q', 'words to search for', { type: 'string', maxLength: 10_000 }),
        query('case', 'case id', ref('Id')),
        query('tag', 'a tag', { type: 'string', maxLength: 1_000 }),
        query('company', 'company id', ref('Id')),
        query('member', 'member id or e-mail'),
        query('kind', 'clip kind', { enum: [...CHOSEN_CLIP_KINDS] }),
        query('cursor', 'nextCursor of the previous page'),
        query('limit', 'clips per page', { type: 'integer', minimum: 1, default: 20 }),
        query('order', 'best match first (title matches, then newest) or newest first', { enum: ['relevance', 'newest'], default: 'relevance' }),
      ],
      ok: objectOk('clips with snippets and nextCursor'), errors: ['BadRequest'],
    },
    { method: 'get', path: `${L}/clips/{id}`, summary: 'One clip', tag: 'library', params: [lib, idParam('clip')], ok: objectOk('`{ clip }`'), errors: ['NotFound'] },
    { method: 'get', path: `${L}/cases`, summary: 'The cases of the library', tag: 'library', params: [lib], ok: objectOk('`{ cases }`') },
    {
      method: 'get', path: `${L}/cases/{id}`, summary: 'A case (with its lessons), its scans and its newest clips', tag: 'library', params: [lib, idParam('case')],
      ok: objectOk(`\`{ case, clips, clipsTotal, clipsMore?, scans }\`: at most ${CASE_CLIPS_SHOWN} clips, newest first, without their text; \`clipsTotal\` counts the case’s live clips; when there are more, \`clipsMore\` is the path of the clip list of the case (\`…/clips?case=ID&order=newest\`) to page through all of them`),
      errors: ['NotFound'],
    },
    { method: 'get', path: `${L}/scans/{id}`, summary: 'A company scan with its answers', tag: 'library', params: [lib, idParam('scan')], ok: objectOk('the scan'), errors: ['NotFound'] },
    {
      method: 'get', path: `${L}/companies`, summary: 'Companies of a site (by registrable domain) with their scans and recent clips', tag: 'library',
      params: [lib, query('domain', 'a host name such as example.nl', { type: 'string', maxLength: 253 }, true)], ok: objectOk('`{ companies }`'), errors: ['BadRequest'],
    },
    { method: 'get', path: `${L}/members`, summary: 'Members with organisations and roles', tag: 'members', params: [lib], ok: objectOk('`{ members }`') },
    {
      method: 'get', path: `${L}/holdings`, summary: 'What the library holds for a site, counted for the extension’s badge', tag: 'library',
      params: [lib, query('domain', 'a host name such as example.nl', { type: 'string', maxLength: 253 }, true)], ok: objectOk('`{ site, clipCount, scanCount, companies, recentClips }`'), errors: ['BadRequest'],
    },
    { method: 'get', path: `${L}/links`, summary: 'Libraries linked with this one (pending or accepted)', tag: 'links', params: [lib], ok: objectOk('`{ links: [{ id, libraryId, name, status, direction }] }`') },
    {
      method: 'post', path: `${L}/links`, summary: 'Ask to link with another library (admins); accepts a standing request from it', tag: 'links',
      params: [lib], body: { schema: schemaOf(linkBody), description: 'the other library’s id' }, ok: objectOk('`{ link }`'), okStatus: '201', errors: ['BadRequest', 'Forbidden', 'NotFound'],
    },
    { method: 'post', path: `${L}/links/{id}/accept`, summary: 'Accept a link the other library asked for (admins of the asked library)', tag: 'links', params: [lib, idParam('link')], ok: objectOk('`{ link }`'), errors: ['Forbidden', 'NotFound'] },
    { method: 'delete', path: `${L}/links/{id}`, summary: 'Unlink (admins of either library)', tag: 'links', params: [lib, idParam('link')], ok: { description: 'unlinked' }, errors: ['Forbidden', 'NotFound'] },
    {
      method: 'get', path: `${L}/links/search`, summary: 'Search this library and the linked ones the user also belongs to, at once', tag: 'links',
      params: [lib, query('q', 'words to search for', { type: 'string', maxLength: 1_000 }, true)], ok: objectOk('`{ libraries: [{ libraryId, name, clips, questions, cases }] }`: clips as the clip search gives them; questions and case summaries as `{ id, title, status, snippet }`, title matches first, at most 10 each'), errors: ['BadRequest'],
    },
    {
      method: 'post', path: `${L}/share`, summary: 'Copy a clip, a question or a case summary into a linked library (members of both), with sharedFrom', tag: 'links',
      params: [lib], body: { schema: schemaOf(shareBody), description: 'what to share and the linked library it goes to' }, ok: objectOk('`{ shared: { id, libraryId, type } }`'), okStatus: '201', errors: ['BadRequest', 'Forbidden', 'NotFound'],
    },
    {
      method: 'get', path: `${L}/export`, summary: 'A streamed export: Markdown (.zip), JSON, scans as CSV, or citations (CSL-JSON, RIS, BibTeX) for Zotero', tag: 'export',
      params: [
        lib,
        query('format', 'what to write', { enum: [...EXPORT_FORMATS] }, true),
        query('case', 'only this case', ref('Id')),
        query('clips', `only these clips (ids separated by commas, at most ${MAX_SELECTED_CLIPS}); citation formats only`, { type: 'string' }),
      ],
      ok: {
        description: 'the export as a download',
        content: {
          'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } },
          'application/json': { schema: { type: 'object' } },
          'text/csv': { schema: { type: 'string' } },
          'application/vnd.citationstyles.csl+json': { schema: { type: 'array', items: ref('CslItem') } },
          'application/x-research-info-systems': { schema: { type: 'string' } },
          'application/x-bibtex': { schema: { type: 'string' } },
        },
      },
      errors: ['BadRequest', 'NotFound'],
    },
    {
      method: 'post', path: `${L}/cases/{id}/import-csl`, summary: `Import CSL-JSON items (e.g. a Zotero export) into a case as link clips; each item is validated like a push and rejected alone; a re-import changes nothing`, tag: 'export',
      params: [lib, idParam('case')],
      body: { schema: { anyOf: [{ type: 'array', items: ref('CslItem'), maxItems: MAX_IMPORT_ITEMS }, { type: 'object', properties: { items: { type: 'array', items: ref('CslItem'), maxItems: MAX_IMPORT_ITEMS } }, required: ['items'] }] }, description: `a CSL-JSON file (at most ${MAX_IMPORT_ITEMS} items)` },
      ok: json(ref('ImportReport'), 'one result per item'), errors: ['BadRequest', 'Forbidden', 'NotFound', 'TooLarge', 'Busy'],
    },
    {
      method: 'get', path: `${L}/activity`, summary: 'What happened in the library (or a case), newest first, read from the objects’ versions', tag: 'activity',
      params: [lib, ...queryFrom(activityParams, ['since', 'before', 'limit', 'case', 'tag'], ACTIVITY_HELP)], ok: objectOk('a page of activity'), errors: ['BadRequest'],
    },
    {
      method: 'get', path: '/api/v1/me/inbox', summary: 'The signed-in member’s inbox per library, with unread counts', tag: 'activity',
      params: queryFrom(activityParams, ['library', 'before', 'limit'], ACTIVITY_HELP), ok: objectOk('`{ unread, libraries }`'), errors: ['BadRequest', 'NotFound'],
    },
    {
      method: 'post', path: '/api/v1/me/inbox/read', summary: 'Mark the inbox of a library read up to a version', tag: 'activity',
      body: { schema: ref('InboxRead'), description: 'library and version' }, ok: objectOk('`{ readVersion }`'), errors: ['BadRequest', 'NotFound'],
    },
    {
      method: 'get', path: '/api/v1/me/inbox/settings', summary: 'Which kinds reach the inbox, and the e-mail digest', tag: 'activity',
      params: [query('library', 'library id', ref('Id'), true)], ok: json(ref('InboxSettings'), 'the settings'), errors: ['BadRequest', 'NotFound'],
    },
    {
      method: 'put', path: '/api/v1/me/inbox/settings', summary: 'Change the inbox kinds and the digest (409 when the service sends no mail)', tag: 'activity',
      params: [query('library', 'library id', ref('Id'), true)], body: { schema: ref('InboxSettings'), description: 'the settings to change' }, ok: json(ref('InboxSettings'), 'the settings'),
      errors: ['BadRequest', 'NotFound'],
    },
    {
      method: 'get', path: `${L}/attachments`, summary: 'The files a clip keeps (token or web session)', tag: 'attachments',
      params: [lib, query('clip', 'clip id', ref('Id'), true)], ok: objectOk('`{ attachments }`'), errors: ['BadRequest', 'NotFound'],
    },
    {
      method: 'put', path: `${L}/attachments/{sha256}`, summary: `Keep a file of a clip: the raw bytes, addressed by their SHA-256; typed by their first bytes (${ATTACHMENT_ROLES.map((role) => `${role}: ${ALLOWED_TYPES[role].join(', ')}, at most ${ATTACHMENT_LIMITS[role]} bytes`).join('; ')}; no SVG)`, tag: 'attachments',
      params: [sha256Param, lib, query('clip', 'the clip that keeps the file', ref('Id'), true), query('role', 'what the file is to the clip', { enum: [...ATTACHMENT_ROLES] }, true)],
      rawBody: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
      ok: objectOk('`{ sha256, contentType, bytes, role, created, linked }` (201 when the bytes are new to the library)'), errors: ['BadRequest', 'Forbidden', 'NotFound', 'TooLarge', 'Busy'],
    },
    {
      method: 'get', path: `${L}/attachments/{sha256}`, summary: 'A kept file, served from this origin with its type, nosniff and the library’s CSP (token or web session)', tag: 'attachments',
      params: [lib, sha256Param],
      ok: { description: 'the file', content: Object.fromEntries([...new Set(Object.values(ALLOWED_TYPES).flat())].map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])) },
      errors: ['NotFound'],
    },
  ];
}

/** The document, built from the schemas above; every part is plain JSON. */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations()) {
    const responses: Record<string, unknown> = { [op.okStatus ?? '200']: op.ok };
    if (!op.public) responses['401'] = { $ref: '#/components/responses/Unauthorized' };
    const codes = { BadRequest: '400', Forbidden: '403', NotFound: '404', TooLarge: '413', Busy: '503' } as const;
    for (const error of op.errors ?? []) responses[codes[error]] = { $ref: `#/components/responses/${error}` };
    if (!op.public) responses['429'] = { $ref: '#/components/responses/TooMany' };
    const operation: Json = {
      operationId: `${op.method}${op.path.replace(/^\/api\/v1/, '').replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      ...(op.params?.length ? { parameters: op.params } : {}),
      ...(op.body ? { requestBody: { required: true, description: op.body.description, content: { 'application/json': { schema: op.body.schema } } } } : {}),
      ...(op.rawBody ? { requestBody: { required: true, content: op.rawBody } } : {}),
      responses,
      ...(op.public ? { security: [] } : {}),
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Casebook API',
      version: '1',
      description:
        'JSON over HTTP with `Authorization: Bearer <token>`. Errors are `{ "error": { "code", "message" } }`. ' +
        `Every request body is bounded (${MAX_BODY_BYTES} bytes); texts are well-formed Unicode without NUL, at most ${LIMITS.longText} characters for long texts. ` +
        'Request bodies and object fields here are generated from the zod schemas the service validates with.',
    },
    servers: [{ url: '/' }],
    security: [{ token: [] }],
    tags: ['account', 'members', 'sync', 'library', 'export', 'activity', 'attachments'].map((name) => ({ name })),
    paths,
    components: components(),
  };
}

let cached: string | undefined;

export const openapiRoutes = new Hono<AppEnv>().get('/openapi.json', (c) => {
  cached ??= JSON.stringify(openApiDocument());
  c.header('Cache-Control', 'public, max-age=300');
  return c.body(cached, 200, { 'Content-Type': 'application/json; charset=utf-8' });
});
