import type { ChecklistStage } from './organizations';

export interface ChecklistItem {
  key: string;
  label: { zh: string; en: string };
}

/**
 * The checklists a year starts with until the committee edits them (docs/decisions/025-incubation.md):
 * what it takes to enter each stage. Keys are stable: an item shared by two stages (financial
 * rules, a bank account) has one key, so confirming it once counts for both.
 */
export const DEFAULT_CHECKLISTS: Record<ChecklistStage, ChecklistItem[]> = {
  incubating: [
    { key: 'charter', label: { zh: '通过组织章程', en: 'Charter adopted' } },
    { key: 'members5', label: { zh: '至少 5 名成员', en: 'At least 5 members' } },
    { key: 'leader', label: { zh: '确定负责人', en: 'A named leader' } },
    { key: 'mentor', label: { zh: '已安排督导社工', en: 'Mentor assigned' } },
  ],
  filed: [
    { key: 'financialRules', label: { zh: '建立财务管理制度', en: 'Financial rules adopted' } },
    { key: 'bankAccount', label: { zh: '开设银行账户或确定财务托管单位', en: 'A bank account or a fiscal host' } },
    { key: 'filingCertificate', label: { zh: '取得街道备案证明', en: 'Filing certificate from the street' } },
  ],
  registered: [
    { key: 'financialRules', label: { zh: '建立财务管理制度', en: 'Financial rules adopted' } },
    { key: 'bankAccount', label: { zh: '开设银行账户或确定财务托管单位', en: 'A bank account or a fiscal host' } },
    { key: 'registrationCertificate', label: { zh: '取得民政部门登记证书', en: 'Registration certificate from civil affairs' } },
  ],
  independent: [
    { key: 'firstProject', label: { zh: '完成第一个项目', en: 'First project delivered' } },
    { key: 'trainingHours', label: { zh: '完成不少于 40 小时培训', en: 'At least 40 training hours completed' } },
    { key: 'selfFunded', label: { zh: '开展一次自筹资金的活动', en: 'A self-funded activity held' } },
  ],
};
