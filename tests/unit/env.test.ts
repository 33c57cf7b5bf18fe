import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '~/core/env.server';

describe('environment variables', () => {
  it('has working defaults for a fresh clone', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, NODE_ENV: 'development', COOKIE_SECURE: 'auto', DATA_DIR: '.data' });
    expect(env.MONGODB_URI).toBeUndefined();
  });
  it('treats empty values as unset', () => {
    expect(parseEnv({ MONGODB_URI: '', PORT: '' }).PORT).toBe(3000);
  });
  it('explains every bad variable at once', () => {
    expect(() => parseEnv({ PORT: 'eighty', MONGODB_URI: 'postgres://x', SESSION_SECRET: 'short' })).toThrowError(EnvError);
    try {
      parseEnv({ PORT: 'eighty', MONGODB_URI: 'postgres://x', SESSION_SECRET: 'short' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('MONGODB_URI: must start with mongodb:// or mongodb+srv://');
      expect(message).toContain('SESSION_SECRET: must be at least 32 characters');
    }
  });
});
