import { Transform, type TransformCallback } from 'node:stream';

/**
 * React 18's streaming renderer encodes HTML into 2048-byte buffers and, when a multi-byte UTF-8
 * character (most Chinese text) does not fit at the end of one, flushes the whole buffer anyway:
 * the unwritten tail reaches the page as NUL bytes ("提案大\0\0赛"; facebook/react#24985, fixed in
 * #26228, never released for 18). HTML never contains NUL, and a buffer leaves at most three
 * unwritten bytes, so this drops up to three trailing NULs of each chunk.
 */
export class StripTrailingNuls extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let end = chunk.length;
    while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
    callback(null, end === chunk.length ? chunk : chunk.subarray(0, end));
  }
}
