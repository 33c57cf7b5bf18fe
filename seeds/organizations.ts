import { Competition, Organization, Project, Street, User } from '#models';
import type { OrganizationType } from '~/features/organizations/organizations';
import { nameImplementer } from '~/features/projects/implementer.server';

/**
 * Demo registry of implementers: one organization for each 2025 project (the group its proposal
 * named, in the project's street and community, the proposers as its leaders), named as the
 * project's implementer by the committee through the app's own service (audited), plus a
 * social-work agency and a charity that implement nothing yet. Contacts use 199 numbers, which
 * are not handed out to people. Running it twice changes nothing.
 */
const EXTRA: { name: string; type: OrganizationType; streetIndex: number; contact: string }[] = [
  { name: '崂山区益同行社会工作服务中心', type: 'socialWorkAgency', streetIndex: 0, contact: '周社工' },
  { name: '崂善行公益基金', type: 'charity', streetIndex: 4, contact: '吴秘书长' },
];
const CONTACTS = ['王老师', '李女士', '张先生', '刘阿姨', '陈队长', '杨主任', '赵大姐', '黄师傅'];

function typeOf(name: string): OrganizationType {
  if (/合作社|工坊|铺|电商/.test(name)) return 'communityEnterprise';
  if (/社工站/.test(name)) return 'socialWorkAgency';
  if (/志愿|队$/.test(name)) return 'volunteerTeam';
  return 'communitySocialOrganization';
}

const phone = (n: number) => `19900000${String(n).padStart(3, '0')}`;

export async function seedOrganizations(): Promise<void> {
  const [c2025, committee] = await Promise.all([
    Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean(),
    User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean(),
  ]);
  if (!c2025 || !committee) return;
  const projects = await Project.find({ competition: c2025._id }).select('number street community team organization proposedOrganizationName').sort({ number: 1 }).lean();
  for (const [i, project] of projects.entries()) {
    if (project.organization || !project.proposedOrganizationName || !project.street) continue;
    const organization = await Organization.findOneAndUpdate(
      { street: project.street, name: project.proposedOrganizationName },
      {
        $setOnInsert: {
          type: typeOf(project.proposedOrganizationName),
          community: project.community,
          contact: { name: CONTACTS[i % CONTACTS.length], phone: phone(i + 1) },
          members: project.team.map((user) => ({ user, role: 'leader' })),
          stage: 'incubating',
          stageHistory: [{ stage: 'incubating', at: new Date('2025-07-05T10:00:00+08:00'), by: committee._id }],
          createdBy: committee._id,
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    const named = await nameImplementer({ competitionId: String(c2025._id), projectNumber: project.number, organizationId: String(organization._id), expected: null, actorId: String(committee._id) });
    if (!named.ok) throw new Error(`seed: could not name the implementer of project ${project.number}: ${named.reason}`);
  }
  const streets = await Street.find().select('_id').sort({ order: 1 }).lean();
  for (const [i, extra] of EXTRA.entries()) {
    const street = streets[extra.streetIndex]?._id;
    if (!street) continue;
    await Organization.updateOne(
      { street, name: extra.name },
      { $setOnInsert: { type: extra.type, contact: { name: extra.contact, phone: phone(900 + i) }, stage: 'registered', createdBy: committee._id } },
      { upsert: true },
    );
  }
}
