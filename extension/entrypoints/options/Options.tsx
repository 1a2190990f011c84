// Sign-in form: server URL, then email + password (exchanged for a token) or a pasted token.
// The host permission for the server is asked here, inside the click that signs in; the keyboard
// shortcuts shown are the ones the browser actually applies (commands.getAll), not the defaults.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '../../lib/messages.ts';
import { normaliseServerUrl, serverOriginPattern } from '../../lib/settings.ts';
import type { SessionView } from '../../lib/types.ts';
import { Header } from '../../ui/header.tsx';
import { SyncFooter, useSyncStatus } from '../../ui/sync-status.tsx';

type Access = 'unknown' | 'granted' | 'declined';

/** The server's host-permission pattern, or null while the field holds no valid address. */
function serverPattern(serverUrl: string): string | null {
  try { return serverOriginPattern(normaliseServerUrl(serverUrl)); } catch { return null; }
}

/** What the browser's prompt will name, for the sentence that explains it first. */
function patternLabel(pattern: string): string {
  const host = pattern.replace(/^[a-z]+:\/\//i, '').replace(/\/\*$/, '');
  // Firefox ignores a port in a host permission, so there the grant covers every port of the host.
  return host.includes(':') ? host : `${host}${import.meta.env.FIREFOX ? ' (any port)' : ''}`;
}

/**
 * Asks for access to the server's origin. Must be called synchronously from the click or submit
 * handler, before anything is awaited: Firefox refuses permissions.request outside a user-input
 * handler ("may only be called from a user input handler"), and an await ends the handler. No
 * permissions.contains first: request() answers true at once, without a prompt, when access exists.
 * The service's CORS admits extension origins, so sign-in works without the grant; the grant
 * spares preflight requests and the "Cross-Origin Request Blocked" noise while the service is down.
 */
function requestServerAccess(pattern: string | null): Promise<Access> {
  if (!pattern) return Promise.resolve('unknown');
  try {
    return browser.permissions.request({ origins: [pattern] }).then((granted) => (granted ? 'granted' : 'declined'), () => 'declined' as const);
  } catch {
    return Promise.resolve('declined');
  }
}

interface Shortcut { name: string; description: string; shortcut: string }

/** Where a person changes extension shortcuts in this browser. */
const SHORTCUTS_PLACE = import.meta.env.FIREFOX
  ? 'about:addons → ⚙ → Manage Extension Shortcuts'
  : 'chrome://extensions/shortcuts';

function useShortcuts(): Shortcut[] | null {
  const [shortcuts, setShortcuts] = useState<Shortcut[] | null>(null);
  useEffect(() => {
    void browser.commands.getAll()
      .then((all) => setShortcuts(all.map((c) => ({ name: c.name ?? '', description: c.description ?? '', shortcut: c.shortcut ?? '' }))))
      .catch(() => setShortcuts([]));
  }, []);
  return shortcuts;
}

/** The shortcuts in effect: a browser may have refused a default that clashes with its own keys. */
function Shortcuts({ shortcuts }: { shortcuts: Shortcut[] | null }) {
  if (!shortcuts) return null;
  const label = (name: string) => name === '_execute_action' ? 'Open the Casebook popup' : name === 'save-page' ? 'Save this page (or the selection) to the case you used last' : name;
  const ordered = [...shortcuts].sort((a, b) => (a.name === 'save-page' ? -1 : b.name === 'save-page' ? 1 : a.name.localeCompare(b.name)));
  return (
    <div data-testid="shortcuts">
      <p class="small" style={{ marginBottom: '4px' }}><strong>Keyboard shortcuts</strong> (as this browser applies them)</p>
      <ul class="small" style={{ margin: '0 0 4px', paddingLeft: '18px' }}>
        {ordered.map((c) => (
          <li key={c.name} data-testid={`shortcut-${c.name}`} data-shortcut={c.shortcut}>
            {label(c.name)}: {c.shortcut ? <kbd>{c.shortcut}</kbd> : <span class="muted">no shortcut set</span>}
          </li>
        ))}
      </ul>
      <p class="small muted">Change them at <code>{SHORTCUTS_PLACE}</code>.</p>
    </div>
  );
}

export function Options() {
  const [session, setSession] = useState<SessionView | null>(null);
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [access, setAccess] = useState<Access>('unknown');
  const status = useSyncStatus();
  const shortcuts = useShortcuts();
  const pattern = serverPattern(session?.signedIn ? session.serverUrl : serverUrl);

  useEffect(() => {
    document.title = session?.signedIn ? 'Casebook – options' : 'Casebook – sign in';
  }, [session?.signedIn]);

  // Whether the server's origin is already granted (e.g. after a reload of this page).
  useEffect(() => {
    if (!session?.signedIn || !pattern) return;
    void browser.permissions.contains({ origins: [pattern] }).then((has) => { if (has) setAccess('granted'); }).catch(() => undefined);
  }, [session?.signedIn, pattern]);

  useEffect(() => {
    void send('session.get', {}).then((s) => { setSession(s); setServerUrl(s.serverUrl); }).catch((e: Error) => setError(e.message));
    // Signed in or out in another tab (Firefox may have opened a second options tab at install).
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && 'session' in changes) void send('session.get', {}).then(setSession).catch(() => undefined);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);

  const signIn = async (event: Event) => {
    event.preventDefault();
    // First, before any await (see requestServerAccess); its answer is not waited for: a prompt
    // the person leaves open must not hold up the sign-in.
    void requestServerAccess(pattern).then(setAccess);
    setBusy(true);
    setError('');
    try {
      const next = await send('session.signIn', mode === 'token' ? { serverUrl, token } : { serverUrl, email, password });
      setSession(next);
      setPassword('');
      setToken('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const signOut = async () => {
    setBusy(true);
    try { setSession(await send('session.signOut', {})); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  const chooseLibrary = async (libraryId: string) => {
    try { setSession(await send('session.chooseLibrary', { libraryId })); } catch (e) { setError((e as Error).message); }
  };

  return (
    <div style={{ maxWidth: '520px', margin: '24px auto', border: '1px solid var(--line)', borderRadius: '10px', overflow: 'hidden' }}>
      <Header title="Casebook" />
      <div class="content">
        {!session && <div class="row muted"><div class="spinner" /> Loading…</div>}
        {session?.signedIn && (
          <div data-testid="signed-in">
            <p>Signed in to <strong>{session.serverUrl}</strong> as <strong>{session.user?.name}</strong> ({session.user?.email}).</p>
            <label class="field" for="library">Library</label>
            <select id="library" value={session.libraryId ?? ''} onChange={(e) => void chooseLibrary((e.target as HTMLSelectElement).value)}>
              {session.libraries.map((l) => <option key={l.id} value={l.id}>{l.name} ({l.role})</option>)}
            </select>
            {session.libraries.length === 0 && <div class="banner warn">You are not a member of any library yet: ask an admin to add you.</div>}
            {pattern && access !== 'granted' && (
              <div class="banner warn" data-testid="server-access">
                Casebook works without access to <strong>{patternLabel(pattern)}</strong>, but with it your browser lets Casebook talk
                to your server directly (no cross-origin checks, no console errors while the server is down).
                <div style={{ marginTop: '6px' }}>
                  <button class="btn small" type="button" data-testid="allow-server" onClick={() => void requestServerAccess(pattern).then(setAccess)}>Allow access to {patternLabel(pattern)}</button>
                </div>
              </div>
            )}
            {access === 'granted' && <p class="small muted" data-testid="server-access-granted">Access to {pattern && patternLabel(pattern)} allowed.</p>}
            <p class="small muted">Clip with the toolbar button, the context menu or a shortcut.</p>
            <Shortcuts shortcuts={shortcuts} />
            <button class="btn danger" disabled={busy} onClick={() => void signOut()}>Sign out</button>
            <p class="small muted">Signing out revokes this browser’s token. Clips not yet synced stay here and sync after the next sign-in.</p>
          </div>
        )}
        {session && !session.signedIn && (
          <form onSubmit={signIn} data-testid="sign-in">
            <p>Sign in to your community’s Casebook server.</p>
            <label class="field" for="server">Server</label>
            <input id="server" type="url" required placeholder="https://casebook.example.org" value={serverUrl} onInput={(e) => setServerUrl((e.target as HTMLInputElement).value)} />
            <div class="segmented" style={{ marginTop: '12px' }} role="group">
              <button type="button" aria-pressed={mode === 'password'} onClick={() => setMode('password')}>Email and password</button>
              <button type="button" aria-pressed={mode === 'token'} onClick={() => setMode('token')}>Paste a token</button>
            </div>
            {mode === 'password' ? (
              <>
                <label class="field" for="email">Email</label>
                <input id="email" type="email" required autocomplete="username" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
                <label class="field" for="password">Password</label>
                <input id="password" type="password" required autocomplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
              </>
            ) : (
              <>
                <label class="field" for="token">API token</label>
                <input id="token" type="password" required value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
                <p class="small muted">An admin makes one with <code>casebook token create --email you@example.org</code>.</p>
              </>
            )}
            {error && <div class="banner bad" data-testid="sign-in-error">{error}</div>}
            {pattern && (
              <p class="small muted" data-testid="permission-explained">
                When you sign in, your browser asks whether Casebook may access <strong>{patternLabel(pattern)}</strong>: that is your
                Casebook server and nothing else. Allow it so that Casebook can talk to the server directly; sign-in works either way.
              </p>
            )}
            <div class="row" style={{ marginTop: '12px' }}>
              <button class="btn primary" type="submit" disabled={busy} data-testid="sign-in-submit">{busy ? 'Signing in…' : 'Sign in'}</button>
            </div>
            <p class="small muted">Your token is kept in this browser only (not synced to your other browsers). Only the server you name is contacted.</p>
          </form>
        )}
      </div>
      <SyncFooter status={status} />
    </div>
  );
}
