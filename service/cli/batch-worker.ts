// Worker thread of service/cli/batch.ts: processes pages off the main thread so that a page
// which never finishes can be stopped by terminating the worker.
import { parentPort, workerData } from 'node:worker_threads';

type ProcessPage = (html: string, url: string) => unknown;

// One line per page command. Lazy so each command loads only its own code.
const processors: Record<string, () => Promise<ProcessPage>> = {
  extract: async () => (await import('./commands/extract.ts')).processPage,
  facts: async () => (await import('./commands/facts.ts')).processPage,
};

const port = parentPort;
if (port) {
  const name = (workerData as { name?: string } | undefined)?.name ?? '';
  const load = processors[name];
  const processPage = load ? await load().catch(() => undefined) : undefined;
  port.postMessage({ ready: processPage !== undefined });
  port.on('message', async (message: { id: number; html: string; url: string }) => {
    try {
      const result = await (processPage as ProcessPage)(message.html, message.url);
      port.postMessage({ id: message.id, result });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      port.postMessage({ id: message.id, error: text.split('\n')[0] || 'unknown error' });
    }
  });
}
