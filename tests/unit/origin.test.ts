import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '~/core/origin';

const host = 'laoshanxing.example.cn';
const expected = [`https://${host}`];

describe('cross-site request forgery check', () => {
  it('lets reads through whatever they claim', () => {
    expect(isAllowedOrigin({ method: 'GET', origin: 'https://evil.example', expected })).toBe(true);
  });
  it('accepts a POST from this site, by Origin or by Referer', () => {
    expect(isAllowedOrigin({ method: 'POST', origin: `https://${host}`, expected })).toBe(true);
    expect(isAllowedOrigin({ method: 'POST', referer: `https://${host}/competitions/x`, expected })).toBe(true);
    expect(isAllowedOrigin({ method: 'POST', origin: `https://${host}:443`, expected })).toBe(true);
  });
  it('accepts any of several expected origins (the public one and the request’s own)', () => {
    expect(isAllowedOrigin({ method: 'POST', origin: 'http://localhost:3000', expected: [...expected, 'http://localhost:3000'] })).toBe(true);
  });
  it('refuses a POST from another site, a look-alike host, or an opaque origin', () => {
    expect(isAllowedOrigin({ method: 'POST', origin: 'https://evil.example', expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: `https://${host}.evil.example`, expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'DELETE', referer: 'https://evil.example/page', expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: 'null', expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: 'not a url', expected })).toBe(false);
  });
  it('refuses this host under another scheme or port', () => {
    expect(isAllowedOrigin({ method: 'POST', origin: `http://${host}`, expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', referer: `http://${host}/login`, expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: `https://${host}:8443`, expected })).toBe(false);
    expect(isAllowedOrigin({ method: 'POST', origin: `ftp://${host}`, expected })).toBe(false);
  });
  it('lets a POST that names no origin meet the normal session checks', () => {
    expect(isAllowedOrigin({ method: 'POST', expected })).toBe(true);
  });
});
