// WXT build configuration: the extension's source lives in extension/ (DESIGN.md, "Layout").
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  webExt: { disabled: true },
  vite: () => ({ plugins: [preact()] }),
  zip: {
    excludeSources: ['service/**', 'test/**', 'bench/**', 'data/**', 'dist/**'],
  },
  manifest: ({ browser }) => ({
    name: 'Casebook',
    description: 'Clip web pages into shared cases and company scans.',
    permissions: ['activeTab', 'tabs', 'scripting', 'storage', 'contextMenus', 'alarms',
      ...(browser === 'firefox' ? [] : ['sidePanel'])],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'casebook@casebook.example',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
