// Sign-in form: server URL, then email + password (exchanged for a token) or a pasted token.
// The host permission for the server is asked here, inside the click that signs in.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '../../lib/messages.ts';
import { normaliseServerUrl, serverOriginPattern } from '../../lib/settings.ts';
import type { SessionView } from '../../lib/types.ts';
import { Header } from '../../ui/header.tsx';
import { SyncFooter, useSyncStatus } from '../../ui/sync-status.tsx';

/**
 * Asks for access to the server's origin. The service's CORS admits extension origins, so sign-in
 * still works when the person declines; the grant only spares preflight requests.
 */
async function askServerPermission(serverUrl: string): Promise<boolean> {
  const origins = [serverOriginPattern(normaliseServerUrl(serverUrl))];
  try {
    if (await browser.permissions.contains({ origins })) return true;
    return await browser.permissions.request({ origins });
  } catch {
    return false;
  }
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
  const status = useSyncStatus();

  useEffect(() => {
    void send('session.get', {}).then((s) => { setSession(s); setServerUrl(s.serverUrl); }).catch((e: Error) => setError(e.message));
  }, []);

  const signIn = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      // Not awaited before the sign-in: a prompt the person ignores must not block it.
      void askServerPermission(serverUrl);
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
            <p class="small muted">Clip with the toolbar button, the context menu, or Alt+Shift+S (saves into the case you used last).</p>
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
