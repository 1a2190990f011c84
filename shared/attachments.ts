// A clip's files (issue 16, item 2; DESIGN.md "Second round"): what the extension may upload and
// the service keeps. Shared so both sides refuse the same files before and after the network.

export const ATTACHMENT_ROLES = ['pdf', 'image'] as const;
export type AttachmentRole = (typeof ATTACHMENT_ROLES)[number];

/** Bounds: one file of each role, and all files of one clip together. */
export const ATTACHMENT_LIMITS = {
  pdf: 50 * 1024 * 1024,
  image: 8 * 1024 * 1024,
  perClip: 80 * 1024 * 1024,
  /** Images kept per clip (the article's largest first); the rest stay links to their source. */
  imagesPerClip: 40,
} as const;

/** Content types kept per role: only what the magic bytes say, never what a header claims. */
export const ALLOWED_TYPES: Record<AttachmentRole, readonly string[]> = {
  pdf: ['application/pdf'],
  // No SVG: it is a document that can carry script. Raster formats only.
  image: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'],
};

export interface AttachmentInfo {
  sha256: string;
  contentType: string;
  bytes: number;
  role: AttachmentRole;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/**
 * The content type the first bytes of a file prove, or undefined (an unknown or refused format:
 * SVG, HTML and anything else is undefined). Needs the first 16 bytes; a PDF may start after a
 * little junk (up to 1 KiB, as readers allow), so give up to 1 KiB when there is that much.
 */
export function sniffContentType(head: Uint8Array): string | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('ftyp'), 4) && (startsWith(head, ascii('avif'), 8) || startsWith(head, ascii('avis'), 8))) return 'image/avif';
  const limit = Math.min(head.length, 1024);
  const pdf = ascii('%PDF-');
  for (let at = 0; at + pdf.length <= limit; at++) if (startsWith(head, pdf, at)) return 'application/pdf';
  return undefined;
}

/** Hex SHA-256 of bytes with Web Crypto: the same in the extension, the service and tests. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
