// Browser differences in one place: Chrome's sidePanel versus Firefox's sidebar, which the
// polyfill's types do not describe.
import { browser } from 'wxt/browser';

/** Firefox's sidebar API, missing from the Chrome-shaped types of wxt/browser. */
interface FirefoxSidebarAction { open(): Promise<void> }

/** Opens the company-scan panel for a tab; must run inside a user gesture (click, menu, command). */
export async function openScanPanel(tabId: number | undefined, windowId?: number): Promise<void> {
  if (browser.sidePanel) {
    await browser.sidePanel.open(tabId !== undefined ? { tabId } : { windowId: windowId ?? browser.windows.WINDOW_ID_CURRENT });
    return;
  }
  const sidebarAction = (browser as unknown as { sidebarAction?: FirefoxSidebarAction }).sidebarAction;
  if (sidebarAction) {
    await sidebarAction.open();
    return;
  }
  // Neither exists (e.g. an old browser): the panel still works as a tab.
  await browser.tabs.create({ url: browser.runtime.getURL('/sidepanel.html') + (tabId !== undefined ? `?tab=${tabId}` : '') });
}
