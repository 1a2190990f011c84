// Who may see or change what, hostile input, and the shape of every error (issue 2, item 8).
import { beforeEach, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../service/app.ts';
import { clipFields, makeWorld, newId, type World } from '../helpers/world.ts';

let w: World;
beforeEach(async () => {
  w = await makeWorld({ signinPerMinute: 3 });
});

const pushPath = (lib: string) => `/api/v1/libraries/${lib}/sync/push`;

describe('access', () => {
  it('asks for a token, and refuses unknown or revoked ones', async () => {
    const none = await w.call(null, 'GET', '/api/v1/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const bad = await w.call({ ...w.member, token: 'cbk_nope' }, 'GET', '/api/v1/me');
    expect(bad.status).toBe(401);
    expect((await w.call(w.member, 'DELETE', '/api/v1/tokens/current')).status).toBe(200);
    expect((await w.call(w.member, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('lists only the libraries a user belongs to', async () => {
    const me = await w.call(w.member, 'GET', '/api/v1/me');
    expect(me.body.user.email).toBe('mo@example.org');
    expect(me.body.libraries).toEqual([{ id: w.libA.id, name: 'Community A', role: 'member' }]);
    const libraries = await w.call(w.outsider, 'GET', '/api/v1/libraries');
    expect(libraries.body.libraries.map((l: { id: string }) => l.id)).toEqual([w.libB.id]);
  });

  it("answers 404 for another library and for another library's objects", async () => {
    const clipId = newId();
    await w.push(w.member, [{ type: 'clip', id: clipId, op: 'put', fields: clipFields() }]);
    for (const path of ['/clips', `/clips/${clipId}`, '/cases', '/sync/pull?since=0']) {
      const reply = await w.call(w.outsider, 'GET', `/api/v1/libraries/${w.libA.id}${path}`);
      expect(reply.status, path).toBe(404);
      expect(reply.body.error.code).toBe('not_found');
    }
    const viaOwn = await w.call(w.outsider, 'GET', `/api/v1/libraries/${w.libB.id}/clips/${clipId}`);
    expect(viaOwn.status).toBe(404);
    const push = await w.push(w.outsider, [{ type: 'clip', id: newId(), op: 'put', fields: clipFields() }], { library: w.libA.id });
    expect(push.status).toBe(404);
  });

  it('lets a reader read but not write: the push changes nothing', async () => {
    const reply = await w.push(w.reader, [{ type: 'case', id: newId(), op: 'put', fields: { title: 'Nope' } }]);
    expect(reply.status).toBe(403);
    expect(reply.body.error?.code).toBe('forbidden');
    expect((await w.pull(w.reader)).body).toEqual({ changes: [], version: 0, more: false });
  });

  it('signs in with a password for a token, rate limited with Retry-After', async () => {
    const ok = await w.call(null, 'POST', '/api/v1/tokens', { email: 'MO@example.org', password: 'correct horse battery', label: 'laptop' });
    expect(ok.status).toBe(201);
    expect(ok.body.token).toMatch(/^cbk_/);
    expect((await w.call({ ...w.member, token: ok.body.token }, 'GET', '/api/v1/me')).status).toBe(200);
    const wrong = await w.call(null, 'POST', '/api/v1/tokens', { email: 'mo@example.org', password: 'wrong' });
    expect(wrong.status).toBe(401);
    await w.call(null, 'POST', '/api/v1/tokens', { email: 'mo@example.org', password: 'wrong' });
    const limited = await w.call(null, 'POST', '/api/v1/tokens', { email: 'mo@example.org', password: 'correct horse battery' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
  });
});

describe('hostile input', () => {
  it('stores clipped HTML sanitized', async () => {
    const id = newId();
    const html = `<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">x</a>
      <img src="x" onerror="alert(3)"><img src="data:image/png;base64,AAAA"><img src="https://img.example.org/a.png">
      <iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name=a></form>
      <svg onload="alert(4)"></svg><style>body{display:none}</style><a href="https://ok.example.org/">ok</a></p>`;
    await w.push(w.member, [{ type: 'clip', id, op: 'put', fields: clipFields({ html }) }]);
    const stored = (await w.call(w.member, 'GET', `/api/v1/libraries/${w.libA.id}/clips/${id}`)).body.clip.html as string;
    for (const bad of ['<script', 'onclick', 'onerror', 'javascript:', '<iframe', '<form', '<input', 'data:image', '<svg', 'onload', '<style']) {
      expect(stored).not.toContain(bad);
    }
    expect(stored).toContain('https://img.example.org/a.png');
    expect(stored).toContain('href="https://ok.example.org/"');
    const pulled = (await w.pull(w.member)).body.changes[0]!.fields.html as string;
    expect(pulled).toBe(stored);
  });

  it('answers malformed JSON with 400 and too many or too large pushes with 413', async () => {
    const malformed = await w.call(w.member, 'POST', pushPath(w.libA.id), '{"clientId": "x", mutations: [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid' });
    const shape = await w.call(w.member, 'POST', pushPath(w.libA.id), { mutations: 'nope' });
    expect(shape.status).toBe(400);

    const many = Array.from({ length: 51 }, (_, i) => ({ mid: i + 1, type: 'case', id: newId(), op: 'put', fields: { title: `C${i}` } }));
    const tooMany = await w.call(w.member, 'POST', pushPath(w.libA.id), { clientId: 'x', mutations: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('too_large');

    const big = 'x'.repeat(1024 * 1024);
    const tooBig = await w.call(w.member, 'POST', pushPath(w.libA.id), { clientId: 'x', mutations: [{ mid: 1, type: 'clip', id: newId(), op: 'put', fields: clipFields({ text: big }) }] });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('too_large');
    expect((await w.pull(w.member)).body.changes).toHaveLength(0);
  });

  it('bounds field sizes', async () => {
    const reply = await w.push(w.member, [
      { type: 'clip', id: newId(), op: 'put', fields: clipFields({ tags: Array.from({ length: 300 }, (_, i) => `t${i}`) }) },
      { type: 'case', id: newId(), op: 'put', fields: { title: 'x'.repeat(501) } },
    ]);
    expect(reply.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const reply = await w.call(w.member, 'GET', '/api/v1/nothing-here');
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('not_found');
  });

  it('allows cross-origin calls from extension pages only, and sets secure headers', async () => {
    const fromExtension = await w.app.request('/api/v1/health', { headers: { origin: 'chrome-extension://abcdefghijklmnop' } });
    expect(fromExtension.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    const preflight = await w.app.request(`/api/v1/libraries/${w.libA.id}/sync/push`, {
      method: 'OPTIONS',
      headers: { origin: 'moz-extension://1234-abcd', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('moz-extension://1234-abcd');
    const fromSite = await w.app.request('/api/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(fromSite.headers.get('access-control-allow-origin')).toBeNull();
    expect(fromSite.headers.get('x-content-type-options')).toBe('nosniff');
    expect(fromSite.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});

describe('logs', () => {
  it('never print a sign-in secret or token found in a path', () => {
    expect(redactSecrets('/signin/link/cbl_Wn7s4LWUwZ9NKij7eHVsVtyYWw2qC79g')).toBe('/signin/link/cbl_…');
    expect(redactSecrets('/api/v1/x/cbk_abc-DEF_123')).toBe('/api/v1/x/cbk_…');
    expect(redactSecrets('/api/v1/libraries/abc/clips')).toBe('/api/v1/libraries/abc/clips');
  });
});
