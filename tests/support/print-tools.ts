// What the print test needs besides Chromium: a CJK font for Chromium to draw the form's Chinese
// with (without one the PDF holds missing glyphs), and Debian's poppler to render the printed page
// and list the fonts embedded in it. `npm test` installs both (tests/support/test-all.sh).
import { execFileSync } from 'node:child_process';

export const CJK_FONT_FAMILY = 'Noto Sans CJK SC';
export const PRINT_TOOLS_INSTALL_COMMAND = 'apt-get update && apt-get install -y fonts-noto-cjk poppler-utils';

export type PrintToolsAvailability = { available: true } | { available: false; reason: string };

function run(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
}

/** Whether the print test can run; with CI=true anything missing throws, as for the browser. */
export function checkPrintTools(): PrintToolsAvailability {
  const missing: string[] = [];
  const families = run('fc-list', [':lang=zh-cn', 'family']);
  if (!families?.includes(CJK_FONT_FAMILY)) missing.push(`the font ${CJK_FONT_FAMILY} (fonts-noto-cjk)`);
  for (const tool of ['pdftoppm', 'pdffonts']) {
    if (run(tool, ['-v']) === undefined) missing.push(`${tool} (poppler-utils)`);
  }
  if (missing.length === 0) return { available: true };
  const reason = `missing ${missing.join(', ')}. Install them with: ${PRINT_TOOLS_INSTALL_COMMAND}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and the print test cannot run: ${reason}`);
  return { available: false, reason };
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  /** The font's object number in the PDF. */
  object: number;
}

/**
 * The fonts of a PDF file as poppler's `pdffonts` lists them. Its columns are fixed-width, sized by
 * the dashes under the header; names hold no spaces, so the name is the first word of its column.
 */
export function pdfFonts(pdfPath: string): PdfFont[] {
  return parsePdfFontsTable(execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' }));
}

export function parsePdfFontsTable(table: string): PdfFont[] {
  const lines = table.split('\n');
  const rule = lines.findIndex((l) => /^-+ -+/.test(l));
  if (rule < 1) throw new Error('pdffonts printed no table');
  const widths = lines[rule]!.split(' ').map((d) => d.length);
  const columnAt = (line: string, index: number) => {
    const start = widths.slice(0, index).reduce((sum, w) => sum + w + 1, 0);
    return line.slice(start, start + widths[index]!).trim();
  };
  const header = lines[rule - 1]!;
  const names = widths.map((_, i) => columnAt(header, i));
  const col = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`pdffonts has no column "${name}" (columns: ${names.join(', ')})`);
    return i;
  };
  const [nameCol, typeCol, embCol, objectCol] = [col('name'), col('type'), col('emb'), col('object ID')];
  return lines
    .slice(rule + 1)
    .filter((l) => l.trim())
    .map((l) => ({
      name: columnAt(l, nameCol),
      type: columnAt(l, typeCol),
      embedded: columnAt(l, embCol) === 'yes',
      object: Number.parseInt(columnAt(l, objectCol), 10),
    }));
}

export interface RenderedPage {
  width: number;
  height: number;
  /** Share of pixels darker than near-white: 0 for a blank page. */
  inkRatio: number;
}

/**
 * Renders one page of a PDF with poppler's `pdftoppm`: a PNG beside `outBase` for a person to look
 * at, and a greyscale PGM read here to measure how much of the page is drawn on.
 */
export function renderPdfPage(pdfPath: string, page: number, outBase: string, dpi = 72): RenderedPage {
  const pageArgs = ['-f', String(page), '-l', String(page), '-r', String(dpi), '-singlefile'];
  execFileSync('pdftoppm', [...pageArgs, '-png', pdfPath, outBase]);
  const pgm = execFileSync('pdftoppm', [...pageArgs, '-gray', pdfPath], { maxBuffer: 64 * 1024 * 1024 });
  return inkOfPgm(pgm);
}

/** Reads a binary PGM (P5, 8-bit) and counts its pixels darker than near-white. */
export function inkOfPgm(pgm: Buffer): RenderedPage {
  // Header: "P5" width height maxval, separated by whitespace (no comments from pdftoppm), then one byte.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.toString('latin1', 0, 64));
  if (!header) throw new Error('not a binary PGM image');
  const [width, height, maxval] = [Number(header[1]), Number(header[2]), Number(header[3])];
  if (maxval !== 255) throw new Error(`a PGM of maxval ${maxval}: only 8-bit images are read`);
  const pixels = pgm.subarray(header[0].length);
  if (pixels.length < width * height) throw new Error(`the PGM holds ${pixels.length} bytes for ${width}×${height} pixels`);
  let ink = 0;
  for (let i = 0; i < width * height; i++) if (pixels[i]! < 224) ink++;
  return { width, height, inkRatio: ink / (width * height) };
}
