// A small streaming ZIP writer (UTF-8 names) for the Markdown export over HTTP: each file is
// written as soon as it is made, the central directory at the end. Text is deflated; a clip's kept
// files (PDFs, images: compressed already) are stored as they are, so a 40 MB PDF costs no CPU.
// No zip64: an export is limited to 65,535 files and 4 GiB, and says so rather than write a broken zip.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  path: string;
  content: string;
  /** Bytes written as they are (stored, not deflated) instead of `content`. */
  bytes?: Uint8Array;
}

const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;

function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    day: ((Math.max(date.getFullYear(), 1980) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export async function* zipStream(entries: AsyncIterable<ZipEntry>, root = ''): AsyncGenerator<Uint8Array> {
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const { time, day } = dosDateTime(new Date());
  for await (const entry of entries) {
    if (++count > MAX_ENTRIES) throw new Error(`a zip export holds at most ${MAX_ENTRIES} files; export to a directory with the CLI instead`);
    const name = Buffer.from(root ? `${root}/${entry.path}` : entry.path, 'utf8');
    const stored = entry.bytes !== undefined;
    const data = stored ? Buffer.from(entry.bytes!.buffer, entry.bytes!.byteOffset, entry.bytes!.byteLength) : Buffer.from(entry.content, 'utf8');
    const packed = stored ? data : deflateRawSync(data);
    const method = stored ? 0 : 8;
    if (offset + 30 + name.length + packed.length > MAX_OFFSET) throw new Error('a zip export holds at most 4 GiB; export to a directory with the CLI instead');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // bit 11: names are UTF-8
    local.writeUInt16LE(method, 8); // 0 stored, 8 deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(day, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    yield Buffer.concat([local, name]);
    yield packed;
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield Buffer.concat([directory, end]);
}
