import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '~/core/env.server';

function problems(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error('expected the environment to be refused');
}

describe('environment variables', () => {
  it('has working defaults for a fresh clone', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      COOKIE_SECURE: 'auto',
      DATA_DIR: '.data',
      MONGOMS_MAX_RETRIES: 0,
      CHROMIUM_PATH: '/usr/bin/chromium',
    });
    expect(env.MONGODB_URI).toBeUndefined();
    expect(env.REMIX_DEV_ORIGIN).toBeUndefined();
  });
  it('treats empty values as unset', () => {
    expect(parseEnv({ MONGODB_URI: '', PORT: '' }).PORT).toBe(3000);
    expect(parseEnv({ MONGOMS_MAX_RETRIES: '', CHROMIUM_PATH: '' })).toMatchObject({ MONGOMS_MAX_RETRIES: 0, CHROMIUM_PATH: '/usr/bin/chromium' });
  });
  it('explains every bad variable at once', () => {
    const message = problems({ PORT: 'eighty', MONGODB_URI: 'postgres://x', SESSION_SECRET: 'short' });
    expect(message).toContain('PORT');
    expect(message).toContain('MONGODB_URI: must start with mongodb:// or mongodb+srv://');
    expect(message).toContain('SESSION_SECRET: must be at least 32 characters');
  });
  it('takes the test browser from CHROMIUM_PATH, an absolute path', () => {
    expect(parseEnv({ CHROMIUM_PATH: '/opt/chrome/chrome' }).CHROMIUM_PATH).toBe('/opt/chrome/chrome');
    expect(problems({ CHROMIUM_PATH: 'chromium' })).toContain('CHROMIUM_PATH: must be an absolute path');
    expect(problems({ CHROMIUM_PATH: './bin/chromium' })).toContain('CHROMIUM_PATH: must be an absolute path');
  });
  it('passes MONGOMS_MAX_RETRIES on as a number, refusing anything but a non-negative integer', () => {
    expect(parseEnv({ MONGOMS_MAX_RETRIES: '3' }).MONGOMS_MAX_RETRIES).toBe(3);
    for (const bad of ['-1', '1.5', 'three', ' 2']) {
      expect(problems({ MONGOMS_MAX_RETRIES: bad })).toContain('MONGOMS_MAX_RETRIES: must be a non-negative integer');
    }
  });
  it('accepts the origin remix dev sets and refuses one that is not a URL', () => {
    expect(parseEnv({ REMIX_DEV_ORIGIN: 'http://localhost:3001/' }).REMIX_DEV_ORIGIN).toBe('http://localhost:3001/');
    expect(problems({ REMIX_DEV_ORIGIN: 'not a url' })).toContain('REMIX_DEV_ORIGIN: must be a URL');
  });
});
