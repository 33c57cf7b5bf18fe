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
