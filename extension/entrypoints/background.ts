// Background service worker: the only part of the extension that talks to the service.
export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => undefined);
});
