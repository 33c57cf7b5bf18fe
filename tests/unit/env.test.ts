import { readFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS, EnvError, parseEnv } from '~/core/env.server';

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
  it('trusts no proxy by default, or the hops or balancer addresses TRUST_PROXY names', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,fd00::/8,loopback' }).TRUST_PROXY).toEqual(['10.0.0.1', '10.1.0.0/16', 'fd00::/8', 'loopback']);
  });
  it('reads the deprecated TRUST_PROXY=true as one hop, never as "trust every hop"', () => {
    expect(parseEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
  });
  it('refuses a TRUST_PROXY that is neither a hop count nor addresses', () => {
    for (const bad of ['yes', '-1', '1.5', '10.0.0.1,', '10.0.0.0/33', '::1/129', 'example.com', '10.0.0.1/8/8']) {
      expect(problems({ TRUST_PROXY: bad })).toContain('TRUST_PROXY: must be false, a hop count (1, 2) or a comma-separated list of proxy addresses/CIDRs');
    }
  });
  it('builds links from PUBLIC_ORIGIN, an http(s) origin without a path, defaulting to localhost and PORT', () => {
    expect(parseEnv({}).PUBLIC_ORIGIN).toBe('http://localhost:3000');
    expect(parseEnv({ PORT: '8080' }).PUBLIC_ORIGIN).toBe('http://localhost:8080');
    expect(parseEnv({ PUBLIC_ORIGIN: 'https://laoshanxing.example.cn' }).PUBLIC_ORIGIN).toBe('https://laoshanxing.example.cn');
    expect(parseEnv({ PUBLIC_ORIGIN: 'https://LaoShanXing.example.cn:443/' }).PUBLIC_ORIGIN).toBe('https://laoshanxing.example.cn');
    expect(parseEnv({ PUBLIC_ORIGIN: 'http://10.0.0.5:8080' }).PUBLIC_ORIGIN).toBe('http://10.0.0.5:8080');
    for (const bad of ['laoshanxing.example.cn', 'ftp://example.cn', 'https://example.cn/app', 'https://example.cn?x=1', 'https://user:pw@example.cn', 'https://example.cn/#x']) {
      expect(problems({ PUBLIC_ORIGIN: bad })).toContain('PUBLIC_ORIGIN: must be an http(s) origin without a path');
    }
  });
  it('runs one worker per CPU in production and one in development, tests and under remix dev, unless WEB_CONCURRENCY says', () => {
    expect(parseEnv({ NODE_ENV: 'production' }).WEB_CONCURRENCY).toBe(availableParallelism());
    expect(parseEnv({ NODE_ENV: 'development' }).WEB_CONCURRENCY).toBe(1);
    expect(parseEnv({ NODE_ENV: 'test' }).WEB_CONCURRENCY).toBe(1);
    expect(parseEnv({ NODE_ENV: 'production', REMIX_DEV_ORIGIN: 'http://localhost:3001' }).WEB_CONCURRENCY).toBe(1);
    expect(parseEnv({ NODE_ENV: 'production', WEB_CONCURRENCY: '3' }).WEB_CONCURRENCY).toBe(3);
    for (const bad of ['0', '-2', '1.5', 'many', '65']) expect(problems({ WEB_CONCURRENCY: bad })).toContain('WEB_CONCURRENCY');
  });
});

describe('the README documents every environment variable', () => {
  it('lists exactly the variables the schema validates in its Configuration table', () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...ENV_KEYS].sort());
  });
});
