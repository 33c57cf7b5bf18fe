import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cardSvg, escapeXml, wrapText } from '~/features/needs/share-card';

const text = { brand: '崂善行 · 红哨子', heading: '助餐送餐需求', category: '助餐送餐', urgency: '紧急', urgent: true, status: '待认领', community: '港东社区', scan: '微信扫码', number: '需求 #7' };
const qr = { size: 21, path: 'M0 0h1v1h-1z' };

describe('a need share card', () => {
  it('escapes every XML special character and drops the characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(escapeXml('a\u0000b\u0008c\u001fd\ud800e\uffff\tf')).toBe('abcde\tf');
    expect(escapeXml('𠀀老人')).toBe('𠀀老人');
  });

  it('wraps CJK text by width, never starts a line with a closing mark, and ends a cut text with an ellipsis', () => {
    const lines = wrapText('一户渔民家庭男主人出海受伤，家里暂时没有收入', 14, 5);
    expect(lines[0]).toBe('一户渔民家庭男主人出海受伤，');
    expect(lines.every((line) => !/^[，。]/.test(line))).toBe(true);
    const cut = wrapText('长'.repeat(100), 10, 3);
    expect(cut).toHaveLength(3);
    expect(cut[2]!.endsWith('…')).toBe(true);
    expect(wrapText('abc def', 2, 5).join('')).not.toMatch(/^ /);
  });

  it('is a well-formed 1200×630 SVG even when every text is hostile', async () => {
    const hostile = '<script>alert(1)</script> ]]> & "\' <!-- -->\u0001';
    const svg = cardSvg({ ...text, heading: hostile, community: hostile, description: hostile.repeat(5), status: hostile }, qr);
    expect(svg).not.toContain('<script');
    const metadata = await sharp(Buffer.from(svg)).metadata();
    expect(metadata).toMatchObject({ format: 'svg', width: 1200, height: 630 });
  });
});
