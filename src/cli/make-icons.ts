// `tsx src/cli/make-icons.ts` — draws the app icons into public/icons/ as real PNG files, with
// nothing but node:zlib, so that the icons are reproducible and need no image tool or download.
// The mark is two interlocking rings (接续: a link that continues), white on the theme colour.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** The theme colour of the manifest and index.html, as RGB. Keep in step with vite.config.ts. */
export const THEME_RGB: readonly [number, number, number] = [0x1f, 0x51, 0x36];
const WHITE: readonly [number, number, number] = [0xff, 0xff, 0xff];

export interface IconSpec {
  file: string;
  size: number;
  /**
   * 'rounded': a rounded square on a transparent canvas (the ordinary "any" icon).
   * 'full': the whole canvas filled, no transparency (maskable icons, whose corners the platform
   * cuts itself, and Apple touch icons, which iOS shows on black when they are transparent).
   */
  shape: 'rounded' | 'full';
  /** Radius, as a fraction of the size, of the circle the mark must stay inside. */
  markRadius: number;
}

// A maskable icon's safe zone is the centred circle of radius 0.4: the mark stays inside 0.34.
export const ICONS: readonly IconSpec[] = [
  { file: 'icon-192.png', size: 192, shape: 'rounded', markRadius: 0.4 },
  { file: 'icon-512.png', size: 512, shape: 'rounded', markRadius: 0.4 },
  { file: 'icon-512-maskable.png', size: 512, shape: 'full', markRadius: 0.34 },
  { file: 'apple-touch-icon-180.png', size: 180, shape: 'full', markRadius: 0.38 },
  { file: 'favicon-32.png', size: 32, shape: 'rounded', markRadius: 0.44 },
];

type Rgba = [number, number, number, number];

/** The colour of one point of the icon, in units where the canvas is the unit square. */
function colourAt(x: number, y: number, spec: IconSpec): Rgba | null {
  if (spec.shape === 'rounded' && !insideRoundedSquare(x, y, 0.02, 0.2)) return null;
  // Ring geometry scaled so that the outer edge of the pair touches the mark circle.
  const unit = spec.markRadius / 0.31;
  const ringRadius = 0.17 * unit;
  const stroke = 0.055 * unit;
  const gap = 0.025 * unit;
  const left = { cx: 0.5 - 0.11 * unit, cy: 0.5 };
  const right = { cx: 0.5 + 0.11 * unit, cy: 0.5 };
  let colour: readonly [number, number, number] = THEME_RGB;
  const paintRing = (ring: { cx: number; cy: number }) => {
    const d = Math.abs(Math.hypot(x - ring.cx, y - ring.cy) - ringRadius);
    if (d <= stroke / 2) colour = WHITE;
    else if (d <= stroke / 2 + gap) colour = THEME_RGB;
  };
  // Right ring under, left ring over, then the right ring over again in the upper half: the two
  // crossings alternate, so the rings read as linked rather than merely overlapping.
  paintRing(right);
  paintRing(left);
  if (y < 0.5) paintRing(right);
  return [colour[0], colour[1], colour[2], 255];
}

function insideRoundedSquare(x: number, y: number, inset: number, radius: number): boolean {
  const lo = inset;
  const hi = 1 - inset;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + radius), hi - radius);
  const cy = Math.min(Math.max(y, lo + radius), hi - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** Renders the icon as RGBA rows, 4×4 supersampled so that curves are smooth at any size. */
export function render(spec: IconSpec): Buffer {
  const { size } = spec;
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, spec);
          if (c === null) continue;
          // Premultiplied accumulation, so that edge pixels against transparency keep their hue.
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        pixels[o] = Math.round(r / a);
        pixels[o + 1] = Math.round(g / a);
        pixels[o + 2] = Math.round(b / a);
      }
      pixels[o + 3] = Math.round(a / (samples * samples));
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels as a PNG: 8-bit truecolour with alpha, no filtering, one zlib stream. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function main(): void {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'public', 'icons');
  mkdirSync(outDir, { recursive: true });
  for (const spec of ICONS) {
    const png = encodePng(spec.size, spec.size, render(spec));
    writeFileSync(join(outDir, spec.file), png);
    console.log(`wrote public/icons/${spec.file} (${spec.size}×${spec.size}, ${png.length} bytes)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
