// The text of a PDF as Chromium (Skia) writes it, with nothing but node:zlib: content streams are
// Flate-compressed and CJK text is shown as 2-byte glyph ids of a CID font, so the bytes of the
// file never contain the words. This reads each page's content stream, follows Tf to the font,
// and turns the shown strings into Unicode through the font's ToUnicode CMap.
//
// Enough PDF for what Chromium produces (classic xref, no object streams, no encryption); anything
// else it does not understand is refused with an error rather than read as empty text.
import { inflateSync } from 'node:zlib';

type PdfValue = number | string | boolean | null | PdfName | PdfRef | PdfHex | PdfValue[] | PdfDict | PdfOperator;

class PdfName {
  constructor(readonly name: string) {}
}
class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
/** A hex string `<0012…>` (kept as bytes: the font decides how many make one code). */
class PdfHex {
  constructor(readonly bytes: Buffer) {}
}
class PdfOperator {
  constructor(readonly op: string) {}
}
type PdfDict = Map<string, PdfValue>;

interface PdfObject {
  value: PdfValue;
  /** The raw (still encoded) stream bytes, when the object is a stream. */
  stream?: Buffer;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** A tokenizer and parser over PDF syntax (objects, and content-stream operators). */
class Lexer {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  private regular(): string {
    const start = this.pos;
    while (this.pos < this.buf.length && !WHITESPACE.has(this.buf[this.pos]!) && !DELIMITERS.has(this.buf[this.pos]!)) this.pos++;
    return this.buf.toString('latin1', start, this.pos);
  }

  private literalString(): Buffer {
    // After '(' : balanced parentheses, backslash escapes.
    const out: number[] = [];
    let depth = 1;
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        const n = b[this.pos++]!;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (n in simple) out.push(simple[n]!);
        else if (n >= 0x30 && n <= 0x37) {
          let oct = n - 0x30;
          for (let i = 0; i < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; i++) oct = oct * 8 + (b[this.pos++]! - 0x30);
          out.push(oct & 0xff);
        } else if (n === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (n !== 0x0a) out.push(n);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        out.push(c);
      } else out.push(c);
    }
    return Buffer.from(out);
  }

  private hexString(): PdfHex {
    const end = this.buf.indexOf(0x3e, this.pos);
    if (end < 0) throw new Error('PDF: unterminated hex string');
    let hex = this.buf.toString('latin1', this.pos, end).replace(/[^0-9a-fA-F]/g, '');
    this.pos = end + 1;
    if (hex.length % 2) hex += '0';
    return new PdfHex(Buffer.from(hex, 'hex'));
  }

  /** The next value; an operator (content streams, `R`, `obj`…) comes back as PdfOperator. */
  next(): PdfValue | undefined {
    this.skipSpace();
    const b = this.buf;
    if (this.pos >= b.length) return undefined;
    const c = b[this.pos]!;
    if (c === 0x2f) {
      this.pos++;
      return new PdfName(this.regular().replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
    if (c === 0x28) {
      this.pos++;
      return this.literalString().toString('latin1');
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      return this.dict();
    }
    if (c === 0x3c) {
      this.pos++;
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos++;
      return this.array();
    }
    if (c === 0x5d || c === 0x3e || c === 0x7b || c === 0x7d || c === 0x29) {
      this.pos++;
      return new PdfOperator(String.fromCharCode(c));
    }
    const word = this.regular();
    if (word === '') {
      this.pos++;
      return new PdfOperator(String.fromCharCode(c));
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return new PdfOperator(word);
  }

  /** Like next(), but folds `n g R` into a reference (object syntax, not content streams). */
  value(): PdfValue | undefined {
    const v = this.next();
    if (typeof v === 'number' && Number.isInteger(v)) {
      const save = this.pos;
      const g = this.next();
      if (typeof g === 'number' && Number.isInteger(g)) {
        const save2 = this.pos;
        const r = this.next();
        if (r instanceof PdfOperator && r.op === 'R') return new PdfRef(v, g);
        this.pos = save2;
      }
      this.pos = save;
    }
    return v;
  }

  private array(): PdfValue[] {
    const out: PdfValue[] = [];
    for (;;) {
      const v = this.value();
      if (v === undefined) throw new Error('PDF: unterminated array');
      if (v instanceof PdfOperator && v.op === ']') return out;
      out.push(v);
    }
  }

  private dict(): PdfDict {
    const out: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return out;
      }
      const key = this.next();
      if (!(key instanceof PdfName)) throw new Error(`PDF: dictionary key expected at byte ${this.pos}`);
      const v = this.value();
      if (v === undefined) throw new Error('PDF: unterminated dictionary');
      out.set(key.name, v);
    }
  }
}

class PdfDocument {
  readonly objects = new Map<number, PdfObject>();

  constructor(readonly buf: Buffer) {
    if (buf.toString('latin1', 0, 5) !== '%PDF-') throw new Error('not a PDF (no %PDF- header)');
    if (buf.includes('/Encrypt')) throw new Error('PDF: encrypted documents are not supported');
    if (buf.includes('/ObjStm')) throw new Error('PDF: object streams are not supported by this reader');
    // Every `n g obj` in file order; a later definition of the same number wins (incremental update).
    const text = buf.toString('latin1');
    const re = /(?:^|[\s>])(\d+)\s+(\d+)\s+obj\b/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const lexer = new Lexer(buf, m.index + m[0].length);
      const value = lexer.value();
      if (value === undefined) continue;
      const obj: PdfObject = { value };
      lexer.skipSpace();
      if (value instanceof Map && buf.toString('latin1', lexer.pos, lexer.pos + 6) === 'stream') {
        let start = lexer.pos + 6;
        if (buf[start] === 0x0d) start++;
        if (buf[start] === 0x0a) start++;
        obj.stream = this.streamBytes(value, start, text);
        re.lastIndex = start + obj.stream.length;
      }
      this.objects.set(Number(m[1]), obj);
    }
  }

  private streamBytes(dict: PdfDict, start: number, text: string): Buffer {
    const length = dict.get('Length');
    if (typeof length === 'number') return this.buf.subarray(start, start + length);
    // An indirect /Length may be defined later in the file: find the end marker instead.
    const end = text.indexOf('endstream', start);
    if (end < 0) throw new Error('PDF: stream without endstream');
    let stop = end;
    if (this.buf[stop - 1] === 0x0a) stop--;
    if (this.buf[stop - 1] === 0x0d) stop--;
    return this.buf.subarray(start, stop);
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    let cur = v;
    for (let i = 0; cur instanceof PdfRef && i < 32; i++) cur = this.objects.get(cur.num)?.value;
    return cur;
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    const r = this.resolve(v);
    return r instanceof Map ? r : undefined;
  }

  /** The decoded bytes of a stream object (FlateDecode or no filter). */
  streamOf(ref: PdfValue | undefined): Buffer {
    if (!(ref instanceof PdfRef)) throw new Error('PDF: expected a reference to a stream');
    const obj = this.objects.get(ref.num);
    if (!obj?.stream || !(obj.value instanceof Map)) throw new Error(`PDF: object ${ref.num} is not a stream`);
    const filter = this.resolve(obj.value.get('Filter'));
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    let data = obj.stream;
    for (const f of filters) {
      if (!(f instanceof PdfName)) throw new Error('PDF: bad /Filter');
      if (f.name === 'FlateDecode') data = inflateSync(data);
      else throw new Error(`PDF: unsupported stream filter ${f.name}`);
    }
    return data;
  }

  /** Page dictionaries in document order (walking /Pages /Kids from the catalogue). */
  pages(): PdfDict[] {
    const trailerAt = this.buf.lastIndexOf('trailer');
    let root: PdfValue | undefined;
    if (trailerAt >= 0) {
      const l = new Lexer(this.buf, trailerAt + 7);
      root = this.dict(l.value())?.get('Root');
    }
    const catalog = this.dict(root) ?? [...this.objects.values()].map((o) => o.value).find((v): v is PdfDict => v instanceof Map && nameOf(v.get('Type')) === 'Catalog');
    if (!catalog) throw new Error('PDF: no document catalogue');
    const out: PdfDict[] = [];
    const walk = (node: PdfDict | undefined, depth: number) => {
      if (!node || depth > 64) return;
      if (nameOf(node.get('Type')) === 'Page') out.push(node);
      const kids = this.resolve(node.get('Kids'));
      if (Array.isArray(kids)) for (const k of kids) walk(this.dict(k), depth + 1);
    };
    walk(this.dict(catalog.get('Pages')), 0);
    return out;
  }
}

function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

/** A font's code → text map, and how many bytes one code takes. */
interface FontDecoder {
  codeBytes: number;
  map: Map<number, string>;
}

function utf16be(bytes: Buffer): string {
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return s;
}

function codeOf(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return n;
}

/** Parses a ToUnicode CMap: codespace ranges, bfchar and bfrange entries. */
export function parseToUnicode(cmap: Buffer): FontDecoder {
  const map = new Map<number, string>();
  let codeBytes = 0;
  const lexer = new Lexer(cmap);
  const operands: PdfValue[] = [];
  let mode: 'codespace' | 'bfchar' | 'bfrange' | null = null;
  for (let v = lexer.next(); v !== undefined; v = lexer.next()) {
    if (v instanceof PdfOperator) {
      const op = v.op;
      if (op === 'begincodespacerange') mode = 'codespace';
      else if (op === 'beginbfchar') mode = 'bfchar';
      else if (op === 'beginbfrange') mode = 'bfrange';
      else if (op === 'endcodespacerange') {
        for (const o of operands) if (o instanceof PdfHex) codeBytes = Math.max(codeBytes, o.bytes.length);
        mode = null;
      } else if (op === 'endbfchar') {
        for (let i = 0; i + 1 < operands.length; i += 2) {
          const src = operands[i];
          const dst = operands[i + 1];
          if (src instanceof PdfHex && dst instanceof PdfHex) map.set(codeOf(src.bytes), utf16be(dst.bytes));
        }
        mode = null;
      } else if (op === 'endbfrange') {
        for (let i = 0; i + 2 < operands.length; i += 3) {
          const lo = operands[i];
          const hi = operands[i + 1];
          const dst = operands[i + 2];
          if (!(lo instanceof PdfHex) || !(hi instanceof PdfHex)) continue;
          const from = codeOf(lo.bytes);
          const to = codeOf(hi.bytes);
          if (dst instanceof PdfHex) {
            const base = Buffer.from(dst.bytes);
            for (let c = from; c <= to; c++) {
              map.set(c, utf16be(base));
              // Increment the last UTF-16 unit of the destination for the next code.
              const last = base.length - 1;
              const unit = ((base[last - 1]! << 8) | base[last]!) + 1;
              base[last - 1] = (unit >> 8) & 0xff;
              base[last] = unit & 0xff;
            }
          } else if (Array.isArray(dst)) {
            dst.forEach((d, k) => {
              if (d instanceof PdfHex) map.set(from + k, utf16be(d.bytes));
            });
          }
        }
        mode = null;
      }
      if (mode === null || op.startsWith('begin')) operands.length = 0;
    } else if (mode !== null) {
      operands.push(v);
    }
  }
  return { codeBytes: codeBytes || 1, map };
}

function decodeShown(bytes: Buffer, font: FontDecoder | undefined): string {
  if (!font) return bytes.toString('latin1');
  let s = '';
  for (let i = 0; i + font.codeBytes <= bytes.length; i += font.codeBytes) {
    const code = codeOf(bytes.subarray(i, i + font.codeBytes));
    s += font.map.get(code) ?? (font.codeBytes === 1 ? String.fromCharCode(code) : '\ufffd');
  }
  return s;
}

function bytesOf(v: PdfValue): Buffer | null {
  if (v instanceof PdfHex) return v.bytes;
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  return null;
}

/**
 * The text of each page, one string per page. Text objects (BT…ET) and line moves become line
 * breaks; TJ kerning does not insert spaces (search on text with whitespace removed); characters a
 * font shares with radicals, compatibility ideographs or ligatures are given as a reader sees them.
 */
export function pdfPageTexts(pdf: Buffer | Uint8Array): string[] {
  const doc = new PdfDocument(Buffer.from(pdf));
  const fontCache = new Map<PdfValue, FontDecoder | undefined>();
  const fontDecoder = (ref: PdfValue | undefined): FontDecoder | undefined => {
    if (ref === undefined) return undefined;
    const key = ref instanceof PdfRef ? `${ref.num}` : ref;
    if (fontCache.has(key)) return fontCache.get(key);
    const font = doc.dict(ref);
    const toUnicode = font?.get('ToUnicode');
    let decoder: FontDecoder | undefined;
    if (toUnicode !== undefined) decoder = parseToUnicode(doc.streamOf(toUnicode));
    else if (nameOf(font?.get('Subtype')) === 'Type0') throw new Error('PDF: a CID font without a ToUnicode map cannot be read as text');
    fontCache.set(key, decoder);
    return decoder;
  };

  const runContent = (content: Buffer, resources: PdfDict | undefined, out: string[], depth: number) => {
    if (depth > 16) return;
    const fonts = doc.dict(resources?.get('Font'));
    const xobjects = doc.dict(resources?.get('XObject'));
    const lexer = new Lexer(content);
    const operands: PdfValue[] = [];
    let font: FontDecoder | undefined;
    for (let v = lexer.next(); v !== undefined; v = lexer.next()) {
      if (!(v instanceof PdfOperator)) {
        operands.push(v);
        continue;
      }
      switch (v.op) {
        case 'Tf': {
          const name = operands[operands.length - 2];
          font = name instanceof PdfName ? fontDecoder(fonts?.get(name.name)) : undefined;
          break;
        }
        case 'Tj':
        case "'":
        case '"': {
          const b = bytesOf(operands[operands.length - 1] ?? null);
          if (v.op !== 'Tj') out.push('\n');
          if (b) out.push(decodeShown(b, font));
          break;
        }
        case 'TJ': {
          const arr = operands[operands.length - 1];
          if (Array.isArray(arr)) {
            for (const item of arr) {
              const b = bytesOf(item);
              if (b) out.push(decodeShown(b, font));
            }
          }
          break;
        }
        case 'BT':
        case 'ET':
        case 'Td':
        case 'TD':
        case 'T*':
          out.push('\n');
          break;
        case 'Do': {
          const name = operands[operands.length - 1];
          const ref = name instanceof PdfName ? xobjects?.get(name.name) : undefined;
          const xo = doc.dict(ref);
          if (xo && nameOf(xo.get('Subtype')) === 'Form') runContent(doc.streamOf(ref), doc.dict(xo.get('Resources')) ?? resources, out, depth + 1);
          break;
        }
        case 'BI': {
          // Inline image: skip its data up to EI.
          const end = content.indexOf('EI', lexer.pos);
          lexer.pos = end < 0 ? content.length : end + 2;
          break;
        }
        default:
          break;
      }
      operands.length = 0;
    }
  };

  return doc.pages().map((page) => {
    const contents = doc.resolve(page.get('Contents'));
    const refs = Array.isArray(contents) ? contents : [page.get('Contents')];
    const data = Buffer.concat(refs.filter((r): r is PdfRef => r instanceof PdfRef).map((r) => Buffer.concat([doc.streamOf(r), Buffer.from('\n')])));
    // /Resources may be inherited from the page tree; Chromium puts them on each page.
    const out: string[] = [];
    runContent(data, doc.dict(page.get('Resources')), out, 0);
    return readerText(out.join('')).replace(/\n{2,}/g, '\n').trim();
  });
}

/**
 * Text as a reader gets it from a PDF viewer's copy or search. A font's cmap may give one glyph
 * several code points, and the PDF's ToUnicode map then names the lowest: Noto Sans CJK draws 人 and
 * the Kangxi radical ⼈ (U+2F08) with one glyph, so the text layer says ⼈. Unicode's compatibility
 * mapping (NFKC) turns Kangxi and CJK radicals, CJK compatibility ideographs and Latin ligatures
 * ("ff" in a case id) into the ordinary characters. Only those: NFKC of the whole text would also
 * turn the form's full-width punctuation （签字）： into ASCII.
 */
export function readerText(text: string): string {
  return text.replace(READER_COMPATIBILITY, (c) => c.normalize('NFKC'));
}

const READER_COMPATIBILITY = /[\u2E80-\u2EFF\u2F00-\u2FDF\uF900-\uFAFF\uFB00-\uFB06\u{2F800}-\u{2FA1F}]/gu;

/**
 * Every font object of the PDF with the characters its ToUnicode map gives, by object number (the
 * "object ID" poppler's pdffonts lists): which font draws the Chinese, even when Chromium writes a
 * CFF font such as Noto Sans CJK as nameless Type 3 glyph fonts.
 */
export function pdfFontCharacters(pdf: Buffer | Uint8Array): Map<number, { subtype: string; characters: string }> {
  const doc = new PdfDocument(Buffer.from(pdf));
  const out = new Map<number, { subtype: string; characters: string }>();
  for (const [num, obj] of doc.objects) {
    const font = obj.value instanceof Map ? obj.value : undefined;
    if (!font || nameOf(font.get('Type')) !== 'Font') continue;
    const toUnicode = font.get('ToUnicode');
    const characters = toUnicode === undefined ? '' : [...parseToUnicode(doc.streamOf(toUnicode)).map.values()].join('');
    out.set(num, { subtype: nameOf(font.get('Subtype')) ?? '', characters: readerText(characters) });
  }
  return out;
}

/** All the PDF's text, pages separated by a form feed. */
export function pdfText(pdf: Buffer | Uint8Array): string {
  return pdfPageTexts(pdf).join('\f');
}
