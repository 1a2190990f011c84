// The Firefox package: `wxt zip -b firefox --mv3` (npm run zip:firefox) builds, and its manifest is
// one Firefox MV3 accepts: an event-page background (scripts, not a service worker), the scan
// panel as sidebar_action, no Chrome-only sidePanel permission, a gecko id (issue 4, "Deliver").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/extension-env.ts';

interface FirefoxManifest {
  manifest_version: number;
  background: { scripts?: string[]; service_worker?: string };
  permissions: string[];
  optional_host_permissions?: string[];
  host_permissions?: string[];
  side_panel?: unknown;
  sidebar_action?: { default_panel: string };
  action: { default_popup: string };
  options_ui: { page: string };
  commands: Record<string, { suggested_key?: { default: string } }>;
  browser_specific_settings: { gecko: { id: string; strict_min_version: string; data_collection_permissions?: unknown } };
}

describe('Firefox package', () => {
  let out: string;
  let dir: string;
  let manifest: FirefoxManifest;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'casebook-firefox-'));
    const result = spawnSync(join(ROOT, 'node_modules/.bin/wxt'), ['zip', '-b', 'firefox', '--mv3'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CASEBOOK_EXTENSION_OUT_DIR: out, CASEBOOK_TEST_HOST_PERMISSIONS: '' },
    });
    if (result.status !== 0) throw new Error(`wxt zip -b firefox failed:\n${result.stdout}\n${result.stderr}`);
    dir = join(out, 'firefox-mv3');
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FirefoxManifest;
  }, 180_000);
  afterAll(() => { if (out) rmSync(out, { recursive: true, force: true }); });

  it('zips the extension and its sources for AMO', () => {
    const zips = readdirSync(out).filter((name) => name.endsWith('.zip'));
    expect(zips).toEqual(expect.arrayContaining([expect.stringMatching(/-firefox\.zip$/), expect.stringMatching(/-sources\.zip$/)]));
    for (const zip of zips) expect(statSync(join(out, zip)).size).toBeGreaterThan(1000);
  });

  it('is MV3 with an event-page background and the scan panel as a sidebar', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.background.service_worker).toBeUndefined();
    expect(manifest.background.scripts).toEqual(['background.js']);
    expect(manifest.sidebar_action?.default_panel).toBe('sidepanel.html');
    expect(manifest.side_panel).toBeUndefined();
    for (const file of [...manifest.background.scripts!, manifest.sidebar_action!.default_panel, manifest.action.default_popup, manifest.options_ui.page, 'capture.js', 'facts.js']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
  });

  it('asks only for the permissions Firefox knows, and no host up front', () => {
    expect(manifest.permissions.sort()).toEqual(['activeTab', 'alarms', 'contextMenus', 'scripting', 'storage', 'tabs']);
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(manifest.commands['save-page']?.suggested_key?.default).toBe('Alt+Shift+S');
    expect(manifest.browser_specific_settings.gecko).toMatchObject({ id: 'casebook@casebook.example', data_collection_permissions: { required: ['none'] } });
  });
});
