import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '~/core/origin';

const host = 'laoshanxing.example.cn';

describe('cross-site request forgery check', () => {
  it('lets reads through whatever they claim', () => {
    expect(isAllowedOrigin({ method: 'GET', origin: 'https://evil.example', host })).toBe(true);
  });
  it('accepts a POST from this site, by Origin or by Referer', () => {
    expect(isAllowedOrigin({ method: 'POST', origin: `https://${host}`, host })).toBe(true);
    expect(isAllowedOrigin({ method: 'POST', referer: `https://${host}/competitions/x`, host })).toBe(true);
  });
  it('refuses a POST from another site, a look-alike host, or an opaque origin', () => {
    expect(isAllowedOrigin({ method: 'POST', origin: 'https://evil.example', host })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: `https://${host}.evil.example`, host })).toBe(false);
    expect(isAllowedOrigin({ method: 'DELETE', referer: 'https://evil.example/page', host })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: 'null', host })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: 'not a url', host })).toBe(false);
  });
  it('lets a POST that names no origin meet the normal session checks', () => {
    expect(isAllowedOrigin({ method: 'POST', host })).toBe(true);
  });
});
