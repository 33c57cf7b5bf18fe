import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { Community, Project, ServiceLog, User, VolunteerActivity, VolunteerProfile, VolunteerSignup } from '#models';
import { signUp } from '~/features/volunteers/signups.server';
import { AVAILABILITY, VOLUNTEER_SKILLS } from '~/features/volunteers/rules';

/**
 * Demo volunteering (issue 17): twenty demo residents with volunteer profiles; for each 2025
 * project with a team, past activities whose volunteers were checked in and had their service
 * logged (so "my volunteering", the totals and the dashboard have hours), and upcoming ones in
 * January 2027, two of them full with a waitlist (signed up through the service). Fixed dates and
 * a fixed order of people make the demo the same on every run.
 */

const PAST = [
  ['陪伴独居老人聊天', '两人一组上门陪伴独居老人聊天、读报，了解近况并记录需要帮助的地方。', 'companionship', '社区党群服务中心'],
  ['助老理发与家电检修', '为行动不便的老人理发，检修电视、电饭煲等小家电。', 'repairs', '社区活动室'],
  ['困境儿童课业辅导', '周末为困境儿童辅导作业、陪读绘本。', 'tutoring', '社区图书角'],
  ['教老人用手机', '教老人用手机视频通话、挂号和防范诈骗。', 'digital', '社区党群服务中心'],
] as const;

const UPCOMING = [
  ['新春送福上门', '春节前为困难家庭送春联和福字，陪老人包饺子。', 'events', '社区党群服务中心', 3],
  ['冬季助老清洁', '为独居老人打扫房间、整理衣物，注意保暖。', 'cleaning', '社区活动室', 4],
  ['寒假儿童阅读营', '寒假里陪伴困境儿童阅读、做手工。', 'tutoring', '社区图书角', 12],
] as const;

const secret = (number: number) => createHash('sha256').update(`demo-volunteer-activity-${number}`).digest('base64url').slice(0, 24);
const at = (text: string) => new Date(`${text}+08:00`);

export async function seedVolunteers(): Promise<void> {
  const [projects, residents] = await Promise.all([
    Project.find({ 'team.0': mongoose.trusted({ $exists: true }) }).select('title team street community organization').sort({ competition: 1, number: 1 }).limit(4).lean(),
    User.find({ 'roles.role': 'resident', phone: /^1390000/, community: mongoose.trusted({ $exists: true }) }).select('_id community street').sort({ phone: 1 }).limit(20).lean(),
  ]);
  if (projects.length === 0 || residents.length === 0) return;
  for (const [i, r] of residents.entries()) {
    await VolunteerProfile.create({
      user: r._id,
      skills: [VOLUNTEER_SKILLS[i % VOLUNTEER_SKILLS.length]!, VOLUNTEER_SKILLS[(i + 3) % VOLUNTEER_SKILLS.length]!],
      availability: [AVAILABILITY[i % AVAILABILITY.length]!],
      street: r.street!,
      community: r.community!,
      contactConsent: i % 2 === 0,
    });
  }
  const fallback = await Community.findOne().select('street').sort({ code: 1 }).lean();
  let number = 0;
  for (const [p, project] of projects.entries()) {
    const community = project.community ?? fallback!._id;
    const street = project.street ?? fallback!.street;
    const lead = project.team[0]!;
    for (const [k, [title, description, skill, place]] of PAST.entries()) {
      number += 1;
      const day = `2026-${String(3 + k * 2 + (p % 2)).padStart(2, '0')}-${String(10 + p).padStart(2, '0')}`;
      const activity = await VolunteerActivity.create({
        number,
        project: project._id,
        organiserName: project.title,
        title,
        description,
        startsAt: at(`${day}T09:00:00`),
        endsAt: at(`${day}T11:30:00`),
        street,
        community,
        place,
        slots: 6,
        skills: [skill],
        checkInSecret: secret(number),
        createdBy: lead,
      });
      const crew = Array.from({ length: 4 + ((p + k) % 3) }, (_, j) => residents[(p * 5 + k * 3 + j) % residents.length]!);
      const unique = [...new Map(crew.map((r) => [String(r._id), r])).values()];
      await VolunteerSignup.insertMany(
        unique.map((r, seat) => ({
          activity: activity._id,
          volunteer: r._id,
          status: 'confirmed',
          seatKey: `${String(activity._id)}:${seat}`,
          signedUpAt: at(`${day}T08:00:00`),
          confirmedAt: at(`${day}T08:00:00`),
          checkedInAt: at(`${day}T08:55:00`),
          checkedInBy: r._id,
        })),
      );
      await ServiceLog.insertMany(
        unique.map((r, j) => ({
          volunteer: r._id,
          activity: activity._id,
          project: project._id,
          organization: project.organization ?? undefined,
          street,
          day,
          minutes: 120 + 30 * ((j + k) % 3),
          peopleServed: 2 + ((j + p) % 4),
          notes: '',
          loggedBy: lead,
        })),
      );
    }
  }
  // Upcoming activities of the first project; the small ones fill up and keep a waitlist.
  const project = projects[0]!;
  for (const [k, [title, description, skill, place, slots]] of UPCOMING.entries()) {
    number += 1;
    const day = `2027-01-${String(16 + k * 3).padStart(2, '0')}`;
    await VolunteerActivity.create({
      number,
      project: project._id,
      organiserName: project.title,
      title,
      description,
      startsAt: at(`${day}T09:00:00`),
      endsAt: at(`${day}T11:30:00`),
      street: project.street ?? fallback!.street,
      community: project.community ?? fallback!._id,
      place,
      slots,
      skills: [skill],
      checkInSecret: secret(number),
      createdBy: project.team[0]!,
    });
    const wanted = k < 2 ? slots + 2 : 3;
    for (let j = 0; j < wanted; j++) {
      const signed = await signUp({ volunteerId: String(residents[(k * 7 + j) % residents.length]!._id), number, now: at(`2026-12-0${1 + j % 3}T10:0${j % 10}:00`) });
      if (!signed.ok) throw new Error(`seed: sign-up refused: ${signed.reason}`);
    }
  }
}
