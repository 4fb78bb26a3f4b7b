// Checks that a page renders in headless Chromium (Debian's `chromium`): a screenshot is taken and
// its PNG header read back, and the DOM Chromium built is searched for the charts. Offline flags:
// this machine's network is closed, so every background connection is turned off.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const findChromium = (): string | undefined =>
  [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
    (p): p is string => p !== undefined && p !== '' && existsSync(p),
  );

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export const pngSize = (bytes: Buffer): { width: number; height: number } | undefined => {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

export interface RenderCheck {
  readonly screenshot: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** Number of <svg> elements in the DOM as Chromium parsed it. */
  readonly svgs: number;
}

export const renderCheck = async (
  chromium: string,
  htmlFile: string,
  screenshot: string,
  size: { width: number; height: number } = { width: 960, height: 2200 },
): Promise<RenderCheck> => {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    `--window-size=${size.width},${size.height}`,
  ];
  const url = pathToFileURL(resolve(htmlFile)).href;
  try {
    await run(chromium, [...flags, `--screenshot=${resolve(screenshot)}`, url], { timeout: 60_000 });
    const dom = await run(chromium, [...flags, '--dump-dom', url], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const png = await readFile(screenshot);
    const dims = pngSize(png);
    if (!dims) throw new Error(`${screenshot} is not a PNG`);
    return { screenshot, ...dims, bytes: png.length, svgs: (dom.stdout.match(/<svg[\s>]/g) ?? []).length };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
};
