import type { ProposalForm } from '~/features/proposals/proposal.schema';

/** A complete proposal form, as a resident would fill it; override what a test is about. */
export function completeForm(overrides: Partial<ProposalForm> = {}): ProposalForm {
  return {
    intent: 'submit',
    title: '独居老人助餐与陪伴计划',
    summary: '为社区独居老人每周送餐三次，并组织志愿者上门陪伴聊天。',
    category: 'elderly',
    communityId: undefined,
    beneficiaries: [{ group: 'elderlyAlone', count: 40 }],
    problem: '社区有四十多位独居老人，行动不便，吃饭和日常照料都有困难，子女不在身边。',
    plan: '联合社区食堂每周三次送餐上门；招募二十名志愿者结对陪伴，每月举办一次集体活动。',
    schedule: '第1月招募志愿者，第2至11月送餐陪伴，第12月总结。',
    outcomes: '40位老人每周获得三次热餐和一次陪伴。',
    sustainability: '由社区食堂和志愿者队伍长期承接，爱心企业认捐餐费。',
    budget: [
      { item: '送餐补贴', quantity: 1440, unitPrice: 1500 },
      { item: '志愿者保险', quantity: 20, unitPrice: 10000 },
    ],
    organizationKind: 'new',
    organizationName: '王家麦岛邻里互助队',
    removePhotos: [],
    ...overrides,
  };
}
