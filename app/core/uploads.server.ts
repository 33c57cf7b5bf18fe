import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node';
import mongoose from 'mongoose';
import sharp, { type Metadata } from 'sharp';
import { MAX_UPLOAD_BYTES, PRIVATE_UPLOAD_KINDS, type UploadErrorReason, type UploadKind, type UploadVisibility } from './uploads';

/**
 * Images live in MongoDB GridFS (bucket `uploads`), so every app instance serves every upload
 * (docs/decisions/005-uploads.md). Only re-encoded variants are stored: the bytes a client sent
 * are checked by content, decoded by sharp within limits and thrown away, so their metadata
 * (EXIF, GPS, XMP, comments) and anything hidden in them never reach the database.
 */
export { MAX_UPLOAD_BYTES };
export type { UploadKind, UploadVisibility };

export type UploadResult =
  | { ok: true; fileId: string; thumbId: string; width: number; height: number }
  | { ok: false; reason: UploadErrorReason };

export type ImageSize = 'full' | 'thumb';

export interface StoredImage {
  /** Lazy: nothing is read from the database until the stream is consumed. */
  stream: Readable;
  contentType: string;
  length: number;
  visibility: UploadVisibility;
  uploaderId: string;
  /** What it was stored as: the upload route asks the owning feature about an `evidence` image. */
  kind: UploadKind;
}

/** Larger inputs are refused before decoding: 40 MP decodes to about 120 MB of pixels. */
const MAX_INPUT_PIXELS = 40_000_000;
const FULL_EDGE = 2048;
const THUMB_EDGE = 480;
const ENCODE_TIMEOUT_SECONDS = 20;
const BUCKET = 'uploads';

type InputFormat = 'jpeg' | 'png' | 'webp';

interface FileMetadata {
  uploader: mongoose.mongo.ObjectId;
  kind: UploadKind;
  visibility: UploadVisibility;
  variant: ImageSize;
  /** On the full image: its thumbnail. */
  thumb?: mongoose.mongo.ObjectId;
  /** On the thumbnail: its full image. */
  original?: mongoose.mongo.ObjectId;
  contentType: string;
  width: number;
  height: number;
  /** What the uploader called it, for their own lists; never used to decide anything. */
  originalName?: string;
}

/** The accepted formats, told apart by their first bytes only. */
function sniffImageFormat(data: Uint8Array): InputFormat | null {
  const startsWith = (bytes: number[], at = 0) => bytes.every((byte, i) => data[at + i] === byte);
  const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
  if (startsWith([0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(ascii('RIFF')) && startsWith(ascii('WEBP'), 8)) return 'webp';
  return null;
}

/**
 * Checks, re-encodes and stores an image with its thumbnail. Refusals are values and write
 * nothing; database failures throw, after removing whatever part was already written.
 */
export async function storeImage(input: {
  data: Uint8Array;
  filename: string;
  uploaderId: string;
  kind: UploadKind;
  visibility: UploadVisibility;
}): Promise<UploadResult> {
  const uploader = toObjectId(input.uploaderId);
  if (!uploader) throw new TypeError(`storeImage: uploaderId ${input.uploaderId} is not an id`);
  if (PRIVATE_UPLOAD_KINDS.includes(input.kind) && input.visibility !== 'private') {
    throw new TypeError(`storeImage: a ${input.kind} is always private`);
  }

  const encoded = await reencode(input.data);
  if (!encoded.ok) return encoded;

  // Random ids: a sequential ObjectId lets anyone guess the next upload's address.
  const fullId = new mongoose.mongo.ObjectId(randomBytes(12));
  const thumbId = new mongoose.mongo.ObjectId(randomBytes(12));
  const shared = { uploader, kind: input.kind, visibility: input.visibility };
  const bucket = uploadsBucket();
  try {
    await writeFile(bucket, fullId, `${String(fullId)}.jpg`, encoded.full.data, {
      ...shared,
      variant: 'full',
      thumb: thumbId,
      contentType: 'image/jpeg',
      width: encoded.full.width,
      height: encoded.full.height,
      originalName: cleanName(input.filename),
    });
    await writeFile(bucket, thumbId, `${String(fullId)}-thumb.webp`, encoded.thumb.data, {
      ...shared,
      variant: 'thumb',
      original: fullId,
      contentType: 'image/webp',
      width: encoded.thumb.width,
      height: encoded.thumb.height,
    });
  } catch (error) {
    // No orphans: a full image without its thumbnail (or half-written chunks) is removed.
    await Promise.allSettled([deleteQuietly(bucket, thumbId), deleteQuietly(bucket, fullId)]);
    throw error;
  }
  return { ok: true, fileId: String(fullId), thumbId: String(thumbId), width: encoded.full.width, height: encoded.full.height };
}

/** Removes an image and its thumbnail (given either id); unknown ids are ignored. */
export async function deleteImage(fileId: string): Promise<void> {
  const id = toObjectId(fileId);
  if (!id) return;
  const bucket = uploadsBucket();
  const [file] = await bucket.find({ _id: id }).limit(1).toArray();
  const metadata = file?.metadata as FileMetadata | undefined;
  const linked = metadata?.thumb ?? metadata?.original;
  await Promise.all([deleteQuietly(bucket, id), linked ? deleteQuietly(bucket, linked) : undefined]);
}

/**
 * An image by the id storeImage returned. Visibility and uploader come from the full image, so
 * the caller decides access the same way for both sizes.
 */
export async function readImage(fileId: string, size: ImageSize): Promise<StoredImage | null> {
  const id = toObjectId(fileId);
  if (!id) return null;
  const bucket = uploadsBucket();
  const [full] = await bucket.find({ _id: id, 'metadata.variant': 'full' }).limit(1).toArray();
  if (!full) return null;
  const metadata = full.metadata as FileMetadata;
  const file = size === 'full' ? full : (await bucket.find({ _id: metadata.thumb }).limit(1).toArray())[0];
  if (!file) return null;
  return {
    stream: bucket.openDownloadStream(file._id),
    contentType: (file.metadata as FileMetadata).contentType,
    length: file.length,
    visibility: metadata.visibility,
    uploaderId: String(metadata.uploader),
    kind: metadata.kind,
  };
}

export type UploadFormResult = { ok: true; formData: FormData } | { ok: false; reason: 'tooLarge' | 'invalidForm' };

/** Room for the text fields next to the files. */
const FORM_FIELDS_BYTES = 64 * 1024;

/**
 * Reads a multipart form into memory for an action: each file at most MAX_UPLOAD_BYTES, the whole
 * body at most `maxFiles` of them plus the text fields, refused as soon as a limit is passed
 * (and, when the client declares its length, before reading anything).
 */
export async function parseUploadForm(request: Request, { maxFiles = 1 } = {}): Promise<UploadFormResult> {
  const budget = maxFiles * MAX_UPLOAD_BYTES + FORM_FIELDS_BYTES;
  if (Number(request.headers.get('Content-Length')) > budget) return { ok: false, reason: 'tooLarge' };
  // A form without files may come url-encoded (a script, or a browser that dropped the file input).
  if (request.headers.get('Content-Type')?.startsWith('application/x-www-form-urlencoded')) {
    return { ok: true, formData: await request.formData() };
  }

  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES });
  let total = 0;
  async function* counted(name: string, data: AsyncIterable<Uint8Array>) {
    for await (const chunk of data) {
      total += chunk.byteLength;
      if (total > budget) throw new MaxPartSizeExceededError(name, budget);
      yield chunk;
    }
  }
  const handler: UploadHandler = (part) => memory({ ...part, data: counted(part.name, part.data) });

  try {
    return { ok: true, formData: await unstable_parseMultipartFormData(request, handler) };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, reason: 'tooLarge' };
    // Not multipart, or a malformed body: the client's mistake, not a server error.
    return { ok: false, reason: 'invalidForm' };
  }
}

/** The bytes of a file field, or null when the field is missing or no file was chosen. */
export async function uploadedFile(formData: FormData, field: string): Promise<{ data: Uint8Array; filename: string } | null> {
  const value = formData.get(field);
  if (!(value instanceof File) || (value.size === 0 && value.name === '')) return null;
  return { data: new Uint8Array(await value.arrayBuffer()), filename: value.name };
}

interface Encoded {
  data: Buffer;
  width: number;
  height: number;
}

async function reencode(data: Uint8Array): Promise<{ ok: true; full: Encoded; thumb: Encoded } | { ok: false; reason: UploadErrorReason }> {
  if (data.byteLength === 0) return { ok: false, reason: 'empty' };
  if (data.byteLength > MAX_UPLOAD_BYTES) return { ok: false, reason: 'tooLarge' };
  const format = sniffImageFormat(data);
  if (!format) return { ok: false, reason: 'unsupportedType' };

  // The header alone tells the size, so a decompression bomb is refused before it is decoded
  // (sharp's own limit stays on for decoding, in case a header lies).
  let metadata: Metadata;
  try {
    metadata = await sharp(data, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  if (metadata.format !== format || !metadata.width || !metadata.height) return { ok: false, reason: 'corrupt' };
  if (metadata.width * metadata.height > MAX_INPUT_PIXELS) return { ok: false, reason: 'tooManyPixels' };

  try {
    // No withMetadata()/keepMetadata(): the output carries no EXIF, GPS, XMP, ICC or comments.
    const full = await sharp(data, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS })
      .timeout({ seconds: ENCODE_TIMEOUT_SECONDS })
      .autoOrient()
      .resize({ width: FULL_EDGE, height: FULL_EDGE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(full.data)
      .resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      full: { data: full.data, width: full.info.width, height: full.info.height },
      thumb: { data: thumb.data, width: thumb.info.width, height: thumb.info.height },
    };
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
}

function uploadsBucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('uploads: the database is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

async function writeFile(
  bucket: mongoose.mongo.GridFSBucket,
  id: mongoose.mongo.ObjectId,
  filename: string,
  data: Buffer,
  metadata: FileMetadata,
): Promise<void> {
  await pipeline(Readable.from([data]), bucket.openUploadStreamWithId(id, filename, { metadata }));
}

async function deleteQuietly(bucket: mongoose.mongo.GridFSBucket, id: mongoose.mongo.ObjectId): Promise<void> {
  try {
    await bucket.delete(id);
  } catch (error) {
    // The driver removes stray chunks before it reports a missing file document.
    if (!(error instanceof mongoose.mongo.MongoRuntimeError && error.message.startsWith('File not found'))) throw error;
  }
}

/** Only a 24-digit hex string is an id here (ObjectId.isValid also takes any 12 characters). */
function toObjectId(value: string): mongoose.mongo.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(value) ? new mongoose.mongo.ObjectId(value) : null;
}

function cleanName(filename: string): string {
  // eslint-disable-next-line no-control-regex
  return filename.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
}
