import { describe, expect, it } from 'vitest';
import { User } from '#models';
import { createUser } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { loader as homeLoader } from '~/routes/_index/route';
import { action as loginAction } from '~/routes/login/route';
import { action as setLanguageAction } from '~/routes/set-language/route';
import { loader as rootLoader } from '~/root';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

type Root = { language: string };

describe('language', () => {
  it('is Chinese by default', async () => {
    expect((await call<Root>(rootLoader, getRequest('/'))).data.language).toBe('zh');
  });

  it('follows Accept-Language when there is no choice yet', async () => {
    const outcome = await call<Root>(rootLoader, getRequest('/', { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } }));
    expect(outcome.data.language).toBe('en');
    const chinese = await call<Root>(rootLoader, getRequest('/', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' } }));
    expect(chinese.data.language).toBe('zh');
  });

  it('remembers a visitor\'s choice in a cookie, over Accept-Language', async () => {
    const jar = new CookieJar();
    const outcome = await call(setLanguageAction, formRequest('/set-language', { language: 'en', redirectTo: '/competitions/x' }, { jar }));
    expect(outcome).toRedirectTo('/competitions/x', 303);
    jar.take(outcome.headers);
    const after = await call<Root>(rootLoader, getRequest('/', { jar, headers: { 'Accept-Language': 'zh-CN' } }));
    expect(after.data.language).toBe('en');
  });

  it('keeps a signed-in user\'s choice in the profile, so it follows them to another device', async () => {
    const user = await createUser({ email: 'lang@example.test' });
    const jar = new CookieJar();
    jar.take((await call(loginAction, formRequest('/login', { identifier: 'lang@example.test', password: DEMO_PASSWORD }))).headers);
    await call(setLanguageAction, formRequest('/set-language', { language: 'en' }, { jar }));
    expect((await User.findById(user._id).lean())?.language).toBe('en');

    const otherDevice = new CookieJar();
    otherDevice.take((await call(loginAction, formRequest('/login', { identifier: 'lang@example.test', password: DEMO_PASSWORD }))).headers);
    expect((await call<Root>(rootLoader, getRequest('/', { jar: otherDevice }))).data.language).toBe('en');
  });

  it('refuses an unknown language and an off-site redirect', async () => {
    expect((await call(setLanguageAction, formRequest('/set-language', { language: 'fr' }))).status).toBe(400);
    const outcome = await call(setLanguageAction, formRequest('/set-language', { language: 'zh', redirectTo: '//evil.example/' }));
    expect(outcome).toRedirectTo('/', 303);
  });

  it('page titles come in the chosen language', async () => {
    const zh = await call<{ title: string }>(homeLoader, getRequest('/'));
    const en = await call<{ title: string }>(homeLoader, getRequest('/', { headers: { 'Accept-Language': 'en' } }));
    expect(zh.data.title).toContain('崂善行');
    expect(en.data.title).toContain('Laoshanxing');
  });
});
