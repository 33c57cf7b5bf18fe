import { describe, expect, it } from 'vitest';
import { escalationCutoff, identifyingDetails, mayMove, median } from '~/features/needs/rules';

describe('the needs whistle rules', () => {
  it('a need is claimed only when open, confirmed only once reported done, withdrawn only before a claim', () => {
    expect(mayMove('open', 'claim')).toBe(true);
    expect(mayMove('pending', 'claim')).toBe(false);
    expect(mayMove('claimed', 'claim')).toBe(false);
    expect(mayMove('done', 'confirm')).toBe(true);
    expect(mayMove('claimed', 'confirm')).toBe(false);
    expect(mayMove('claimed', 'withdraw')).toBe(false);
    expect(mayMove('fulfilled', 'reopen')).toBe(false);
    expect(mayMove('done', 'reopen')).toBe(true);
  });

  it('finds phone and ID numbers, addresses and full names in a public description', () => {
    expect(identifyingDetails('老人电话13912345678，需要陪诊')).toContain('phone');
    expect(identifyingDetails('联系 139 1234 5678')).toContain('phone');
    expect(identifyingDetails('身份证370212195001011234')).toContain('idNumber');
    expect(identifyingDetails('住在5号楼2单元301室')).toContain('address');
    expect(identifyingDetails('王秀兰老人独居，行动不便')).toContain('name');
  });

  it('lets through what grid workers write when they anonymise: 王某, 张大爷, a grid number, a year', () => {
    expect(identifyingDetails('王某某老人独居，2024年起行动不便，第3网格')).toEqual([]);
    expect(identifyingDetails('张大爷腿脚不便，每周需要两次陪同就医')).toEqual([]);
  });

  it('finds the private details typed beside the description, including the given name alone', () => {
    const details = { name: '李桂芳', phone: '0532-88886666', address: '海口路66号' };
    expect(identifyingDetails('桂芳阿姨需要送餐', details)).toContain('name');
    expect(identifyingDetails('请拨打 0532 8888 6666', details)).toContain('phone');
    expect(identifyingDetails('住海口路66号附近', details)).toContain('address');
    expect(identifyingDetails('一位独居老人需要送餐', details)).toEqual([]);
  });

  it('takes the median of durations, and none of nothing', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(3);
  });

  it('escalates needs published more than N days ago', () => {
    expect(escalationCutoff(new Date('2026-12-10T00:00:00Z'), 7).toISOString()).toBe('2026-12-03T00:00:00.000Z');
  });
});
