// WXT build configuration: the extension's source lives in extension/ (DESIGN.md, "Layout").
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * Browser tests cannot click Chrome's permission prompt, so their build is granted the test
 * pages' host up front (e.g. "http://127.0.0.1/*"). Release builds never set this: they ask
 * for the configured server only, at sign-in (issue 4, "Permissions kept small").
 */
const testHostPermissions = (process.env.CASEBOOK_TEST_HOST_PERMISSIONS ?? '').split(',').filter(Boolean);

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: process.env.CASEBOOK_EXTENSION_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  webExt: { disabled: true },
  vite: () => ({ plugins: [preact()] }),
  zip: {
    // test-results/ holds the browser tests' screenshots (2.7 MB): not sources AMO reviewers need.
    excludeSources: ['service/**', 'test/**', 'test-results/**', 'bench/**', 'data/**', 'dist/**'],
  },
  manifest: ({ browser }) => ({
    name: 'Casebook',
    description: 'Clip web pages into shared cases and company scans.',
    permissions: ['activeTab', 'tabs', 'scripting', 'storage', 'contextMenus', 'alarms', 'notifications',
      // offscreen: PDFs are read with pdf.js in an offscreen document, off the service worker (issue 16).
      ...(browser === 'firefox' ? [] : ['sidePanel', 'offscreen'])],
    // Asked for one origin at a time: the configured server at sign-in, a company site from the scan panel.
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    ...(testHostPermissions.length ? { host_permissions: testHostPermissions } : {}),
    // Firefox puts an add-on's button in the extensions (puzzle) menu unless it asks for the toolbar.
    action: { default_title: 'Casebook', ...(browser === 'firefox' ? { default_area: 'navbar' } : {}) },
    // Defaults both browsers leave free. Not Alt+Shift+S: Firefox reads Alt+Shift+<letter> as the
    // menu bar's Alt+<letter> for its menus' access keys (F, E, V, S = History, B, T, H), so it
    // opened the History menu and never saved (issue 18); ChromeOS also takes Alt+Shift+S. The
    // options page shows the shortcuts in effect (commands.getAll), which a person may change.
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+C' }, description: 'Open Casebook' },
      'save-page': { suggested_key: { default: 'Alt+Shift+K' }, description: 'Save this page to the last used case' },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'casebook@casebook.example',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
          // Firefox's default CSP for MV3 extension pages adds upgrade-insecure-requests: the PDF
          // reader's fetch of a report served over http (as the tab shows it) went to https and
          // failed with a NetworkError (issue 16, seen in Firefox ESR). Chrome's default has no such
          // directive; scripts stay the extension's own.
          content_security_policy: { extension_pages: "script-src 'self'" },
        }
      : {}),
  }),
});
