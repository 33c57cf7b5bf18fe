import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, parseYuanToFen } from '~/utils/format';

describe('money', () => {
  it('shows integer fen as yuan with ¥ in both languages', () => {
    expect(formatMoney(2_000_000_00, 'zh')).toBe('¥2,000,000');
    expect(formatMoney(2_000_000_00, 'en')).toBe('¥2,000,000');
    expect(formatMoney(4_800_050, 'zh')).toBe('¥48,000.50');
  });

  it('parses yuan typed by a person into integer fen without floating-point drift', () => {
    expect(parseYuanToFen('48,000')).toBe(4_800_000);
    expect(parseYuanToFen('¥0.29')).toBe(29);
    expect(parseYuanToFen('1234.5')).toBe(123_450);
    expect(parseYuanToFen('19.99')).toBe(1_999);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '-5', '1.234', '1e5', '12.3.4']) expect(parseYuanToFen(bad)).toBeNull();
  });
});

describe('dates', () => {
  it('shows UTC instants in Asia/Shanghai', () => {
    // 16:30 UTC is half past midnight the next day in Qingdao.
    expect(formatDate('2026-01-31T16:30:00Z', 'en', { dateStyle: 'medium' })).toBe('Feb 1, 2026');
    expect(formatDate('2026-01-31T16:30:00Z', 'zh', { dateStyle: 'long' })).toBe('2026年2月1日');
  });
});
