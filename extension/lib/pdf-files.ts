// The bytes of PDFs read for clips, kept in the extension's IndexedDB until they are uploaded as
// the clip's attachment (issue 16): the offscreen document (Chrome) or the background (Firefox)
// writes them, the background uploads them after the clip's push. A database of its own, so the
// library cache's schema stays as it is.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface PendingUpload {
  key: string;
  libraryId: string;
  clipId: string;
  sha256: string;
  role: 'pdf' | 'image';
  /** An image's address in the clipped article: the clip page shows the kept copy in its place. */
  source?: string;
  tries: number;
}

interface FilesSchema extends DBSchema {
  // An ArrayBuffer, not a Blob: every IndexedDB (and Node's structuredClone, for tests) clones it.
  files: { key: string; value: { sha256: string; bytes: ArrayBuffer; storedAt: number } };
  uploads: { key: string; value: PendingUpload };
}

let opened: Promise<IDBPDatabase<FilesSchema>> | undefined;
export function filesDb(): Promise<IDBPDatabase<FilesSchema>> {
  opened ??= openDB<FilesSchema>('casebook-files', 1, {
    upgrade(db) {
      db.createObjectStore('files', { keyPath: 'sha256' });
      db.createObjectStore('uploads', { keyPath: 'key' });
    },
  });
  return opened;
}

/** Keeps a file's bytes until its upload; files nobody uploads are dropped after a day. */
export async function keepFile(sha256: string, bytes: Uint8Array): Promise<void> {
  const db = await filesDb();
  await db.put('files', { sha256, bytes: bytes.slice().buffer, storedAt: Date.now() });
  const day = Date.now() - 86_400_000;
  const pending = new Set((await db.getAll('uploads')).map((upload) => upload.sha256));
  for (const file of await db.getAll('files')) if (file.storedAt < day && !pending.has(file.sha256)) await db.delete('files', file.sha256);
}
