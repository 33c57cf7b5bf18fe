import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatNumber, formatPercent, parseYuanToFen } from '~/utils/format';

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

describe('shares', () => {
  it('shows a share as a percentage with at most one decimal, in both languages', () => {
    expect(formatPercent(0.253, 'zh')).toBe('25.3%');
    expect(formatPercent(0.5, 'en')).toBe('50%');
    expect(formatPercent(1 / 3, 'en')).toBe('33.3%');
  });
});

describe('dates', () => {
  it('shows UTC instants in Asia/Shanghai', () => {
    // 16:30 UTC is half past midnight the next day in Qingdao.
    expect(formatDate('2026-01-31T16:30:00Z', 'en', { dateStyle: 'medium' })).toBe('Feb 1, 2026');
    expect(formatDate('2026-01-31T16:30:00Z', 'zh', { dateStyle: 'long' })).toBe('2026年2月1日');
  });
});

describe('formatters built once per locale and options', () => {
  it('give the same text on every call as a freshly built Intl formatter', () => {
    const fresh = (locale: string, cents: boolean) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: cents ? 2 : 0 });
    for (let i = 0; i < 3; i++) {
      expect(formatMoney(1_234_500, 'zh')).toBe(fresh('zh-CN', false).format(12_345));
      expect(formatMoney(1_234_567, 'en')).toBe(fresh('en-US', true).format(12_345.67));
      expect(formatNumber(1_234_567, 'en')).toBe(new Intl.NumberFormat('en-US').format(1_234_567));
    }
  });

  it('never hands one locale\'s or one option set\'s formatter to another', () => {
    const day = '2026-03-05T02:00:00Z';
    expect(formatMoney(100, 'zh')).toBe('¥1');
    expect(formatMoney(100, 'zh', { cents: true })).toBe('¥1.00');
    expect(formatMoney(100, 'zh')).toBe('¥1');
    const zh = formatDate(day, 'zh');
    const en = formatDate(day, 'en');
    expect(zh).not.toBe(en);
    expect(formatDate(day, 'en', { dateStyle: 'long' })).not.toBe(en);
    expect(formatDate(day, 'zh')).toBe(zh);
    expect(en).toBe(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(new Date(day)));
  });
});
