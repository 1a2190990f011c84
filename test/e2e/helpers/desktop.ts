// A real desktop for browser tests of the release build (issue 10): an Xvfb display of our own,
// the real pointer and keyboard through xdotool, and screenshots of the whole screen read as
// pixels, so that a test can find the toolbar button, a context-menu entry or a permission
// prompt's button the way a person does: by looking.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SCREEN = { width: 1280, height: 900 };

export interface Display {
  /** ":N", for DISPLAY. */
  name: string;
  stop: () => Promise<void>;
}

const onPath = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Why a desktop cannot be had here, or null when Xvfb, xdotool and ImageMagick are all present. */
export function desktopMissing(): string | null {
  const missing = ['Xvfb', 'xdotool', 'import', 'convert'].filter((tool) => !onPath(tool));
  return missing.length ? `${missing.join(', ')} not installed (apt-get install -y xvfb xdotool imagemagick)` : null;
}

/**
 * Starts Xvfb on a display number it picks itself (-displayfd: no clash with other test runs or
 * people's displays), or on CASEBOOK_XVFB_DISPLAY when set. Rejects with the reason if it cannot.
 */
export async function startXvfb(): Promise<Display> {
  const fixed = process.env.CASEBOOK_XVFB_DISPLAY?.replace(/^:/, '');
  // Never borrow a display someone else runs: its socket must not exist yet.
  if (fixed && existsSync(`/tmp/.X11-unix/X${fixed}`)) throw new Error(`display :${fixed} (CASEBOOK_XVFB_DISPLAY) is in use`);
  const args = [...(fixed ? [`:${fixed}`] : ['-displayfd', '3']), '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp', '-nocursor'];
  const child: ChildProcess = spawn('Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const name = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 10 s: ${stderr.trim()}`)), 10_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}): ${stderr.trim()}`)); });
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    if (fixed) {
      const socket = `/tmp/.X11-unix/X${fixed}`;
      const poll = setInterval(() => {
        if (existsSync(socket)) { clearInterval(poll); clearTimeout(timer); resolve(`:${fixed}`); }
      }, 50);
    } else {
      let out = '';
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) { clearTimeout(timer); resolve(`:${out.trim()}`); }
      });
    }
  });
  child.removeAllListeners('exit');
  return {
    name,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

/** Runs xdotool on the display: the real X pointer and keyboard, as a person's input. */
export function xdotool(display: Display, ...args: string[]): string {
  const result = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display.name }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`xdotool ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

export async function clickAt(display: Display, x: number, y: number, button: 1 | 3 = 1): Promise<void> {
  xdotool(display, 'mousemove', '--sync', String(Math.round(x)), String(Math.round(y)));
  await new Promise((r) => setTimeout(r, 120));
  xdotool(display, 'click', String(button));
}

export interface Shot { width: number; height: number; rgb: Buffer }

/** The whole screen as RGB pixels; also written as a PNG when `png` names a file. */
export function screenshot(display: Display, png?: string): Shot {
  const env = { ...process.env, DISPLAY: display.name };
  const raw = spawnSync('import', ['-display', display.name, '-window', 'root', '-depth', '8', 'rgb:-'], { env, maxBuffer: 64 << 20 });
  if (raw.status !== 0) throw new Error(`import failed: ${raw.stderr}`);
  if (png) spawnSync('convert', ['-size', `${SCREEN.width}x${SCREEN.height}`, '-depth', '8', 'rgb:-', png], { input: raw.stdout });
  return { width: SCREEN.width, height: SCREEN.height, rgb: raw.stdout };
}

/** Saves the part of the screen a person looks at (e.g. the popup under the toolbar). */
export function cropScreen(source: string, target: string, box: { x: number; y: number; width: number; height: number }): void {
  spawnSync('convert', [source, '-crop', `${box.width}x${box.height}+${box.x}+${box.y}`, '+repage', target]);
}

export interface Region { x: number; y: number; width: number; height: number }
export interface Blob { x: number; y: number; count: number; box: Region }

/**
 * Groups the pixels of one colour (within `tolerance` per channel) inside `region` into blobs
 * (8-connected), largest first: the extension's icon, a filled button.
 */
export function findColor(shot: Shot, rgb: [number, number, number], tolerance: number, region: Region = { x: 0, y: 0, width: shot.width, height: shot.height }, unless?: Shot): Blob[] {
  const { width } = shot;
  const seen = new Uint8Array(shot.width * shot.height);
  const match = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    const hit = Math.abs(shot.rgb[i]! - rgb[0]) <= tolerance && Math.abs(shot.rgb[i + 1]! - rgb[1]) <= tolerance && Math.abs(shot.rgb[i + 2]! - rgb[2]) <= tolerance;
    // With `unless`, only pixels that changed since that earlier screenshot count (a menu that opened).
    return hit && !(unless && unless.rgb[i] === shot.rgb[i] && unless.rgb[i + 1] === shot.rgb[i + 1] && unless.rgb[i + 2] === shot.rgb[i + 2]);
  };
  const blobs: Blob[] = [];
  const x1 = Math.min(shot.width, region.x + region.width), y1 = Math.min(shot.height, region.y + region.height);
  for (let y = Math.max(0, region.y); y < y1; y++) {
    for (let x = Math.max(0, region.x); x < x1; x++) {
      if (seen[y * width + x] || !match(x, y)) continue;
      let count = 0, sx = 0, sy = 0, minX = x, maxX = x, minY = y, maxY = y;
      const stack = [[x, y]];
      seen[y * width + x] = 1;
      while (stack.length) {
        const [px, py] = stack.pop()!;
        count++; sx += px!; sy += py!;
        minX = Math.min(minX, px!); maxX = Math.max(maxX, px!); minY = Math.min(minY, py!); maxY = Math.max(maxY, py!);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = px! + dx, ny = py! + dy;
            if (nx < region.x || ny < region.y || nx >= x1 || ny >= y1 || seen[ny * width + nx]) continue;
            if (!match(nx, ny)) continue;
            seen[ny * width + nx] = 1;
            stack.push([nx, ny]);
          }
        }
      }
      blobs.push({ x: sx / count, y: sy / count, count, box: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 } });
    }
  }
  return blobs.sort((a, b) => b.count - a.count);
}

/**
 * The box around every pixel inside `region` that differs from `earlier` (a menu that opened),
 * or null when nothing there changed.
 */
export function changedBox(shot: Shot, earlier: Shot, region: Region = { x: 0, y: 0, width: shot.width, height: shot.height }): Region | null {
  let minX = Infinity, minY = Infinity, maxX = -1, maxY = -1;
  const x1 = Math.min(shot.width, region.x + region.width), y1 = Math.min(shot.height, region.y + region.height);
  for (let y = Math.max(0, region.y); y < y1; y++) {
    for (let x = Math.max(0, region.x); x < x1; x++) {
      const i = (y * shot.width + x) * 3;
      if (shot.rgb[i] === earlier.rgb[i] && shot.rgb[i + 1] === earlier.rgb[i + 1] && shot.rgb[i + 2] === earlier.rgb[i + 2]) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Waits until `find` sees something on the screen; returns it. */
export async function waitOnScreen<T>(display: Display, find: (shot: Shot) => T | null | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find(screenshot(display));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`not seen on screen within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * Debian's Chromium with a window on the display (not headless), the unpacked release build
 * loaded and its toolbar button pinned, as a person who pinned it sees it. Pinning is a profile
 * preference (what the puzzle menu's pin writes), set before the first start.
 */
export async function launchDesktopChromium(display: Display, extDir: string, extensionId: string, chromium: string) {
  const { chromium: driver } = await import('playwright-core');
  const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const profile = mkdtempSync(join(tmpdir(), 'casebook-desktop-'));
  mkdirSync(join(profile, 'Default'), { recursive: true });
  // Translate's bubble would offer to translate the Dutch fixture pages over the side panel.
  writeFileSync(join(profile, 'Default/Preferences'), JSON.stringify({ extensions: { pinned_extensions: [extensionId] }, translate: { enabled: false } }));
  const context = await driver.launchPersistentContext(profile, {
    executablePath: chromium, headless: false, viewport: null,
    env: { ...process.env, DISPLAY: display.name },
    args: ['--no-sandbox', '--test-type', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
      '--window-position=0,0', `--window-size=${SCREEN.width},${SCREEN.height}`,
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=Translate',
      `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`],
    ignoreDefaultArgs: ['--disable-extensions'],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return { context, worker, profile };
}
