/**
 * Reading MongoDB wire-protocol frames from a byte stream, enough to count commands: each message
 * starts with its int32 length and has its opCode at byte 12; an OP_MSG (2013) carries the command
 * as the first BSON document, whose first key is the command's name. Pure; unit-tested.
 */
export const OP_MSG = 2013;

/** Commands the driver's server monitoring sends on its own, not on behalf of a request. */
export const MONITORING_COMMANDS = new Set(['hello', 'ismaster', 'isMaster']);

/** The command an OP_MSG frame carries (its first key), or null for any other message. */
export function commandName(frame: Buffer): string | null {
  if (frame.length < 27 || frame.readInt32LE(12) !== OP_MSG) return null;
  // flagBits (4 bytes at 16), then section kind 0 at 20, then the BSON document: int32 length
  // at 21, the first element's type at 25 and its name, a C string, from 26.
  if (frame[20] !== 0) return null;
  const end = frame.indexOf(0, 26);
  return end > 26 ? frame.toString('latin1', 26, end) : null;
}

/** The collection a command names (its first element's string value), or null. */
export function commandTarget(frame: Buffer): string | null {
  if (frame.length < 27 || frame.readInt32LE(12) !== OP_MSG || frame[20] !== 0 || frame[25] !== 0x02) return null;
  const end = frame.indexOf(0, 26);
  if (end < 0 || end + 5 > frame.length) return null;
  const length = frame.readInt32LE(end + 1);
  return length > 1 && end + 5 + length <= frame.length ? frame.toString('utf8', end + 5, end + 4 + length) : null;
}

/** A message's requestID (bytes 4-7) and responseTo (bytes 8-11). */
export function messageIds(frame: Buffer): { requestId: number; responseTo: number } {
  return { requestId: frame.readInt32LE(4), responseTo: frame.readInt32LE(8) };
}

/** Splits a stream into whole frames, keeping any partial one for the next chunk. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32LE(0);
      if (length < 16) throw new Error(`not a MongoDB message (length ${length})`);
      if (this.pending.length < length) break;
      frames.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    return frames;
  }
}
