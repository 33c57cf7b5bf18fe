import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { StripTrailingNuls } from '~/core/html-stream.server';

const run = (chunks: Buffer[]) => text(Readable.from(chunks).pipe(new StripTrailingNuls()));

describe('the HTML stream', () => {
  it('drops the NUL bytes React 18 leaves where a Chinese character did not fit a buffer', async () => {
    const first = Buffer.concat([Buffer.from('<p>提案大'), Buffer.from([0, 0])]);
    expect(await run([first, Buffer.from('赛</p>')])).toBe('<p>提案大赛</p>');
  });

  it('leaves every other byte alone, and at most three NULs per chunk are taken', async () => {
    expect(await run([Buffer.from('ab'), Buffer.from('中文')])).toBe('ab中文');
    const four = Buffer.concat([Buffer.from('x'), Buffer.from([0, 0, 0, 0])]);
    expect(await run([four])).toBe('x\0');
  });
});
