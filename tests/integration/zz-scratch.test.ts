import mongoose from 'mongoose';
import { it } from 'vitest';
it('lookup pipeline', async () => {
  const db = mongoose.connection.db!;
  await db.collection('s1').insertOne({ _id: 'a' as never, user: 1 });
  await db.collection('n1').insertMany([{ recipient: 1, readAt: null }, { recipient: 1, readAt: new Date() }, { recipient: 1, readAt: null }, { recipient: 2, readAt: null }]);
  try {
    const r = await db.collection('s1').aggregate([
      { $match: { _id: 'a' } },
      { $lookup: { from: 'n1', let: { u: '$user' }, pipeline: [{ $match: { $expr: { $eq: ['$recipient', '$$u'] }, readAt: null } }, { $limit: 100 }, { $project: { _id: 1 } }], as: 'unread' } },
      { $project: { unread: { $size: '$unread' } } },
    ]).toArray();
    console.log('PIPE', JSON.stringify(r));
  } catch (e) { console.log('PIPE ERR', String(e)); }
  try {
    const r = await db.collection('s1').aggregate([
      { $match: { _id: 'a' } },
      { $lookup: { from: 'n1', localField: 'user', foreignField: 'recipient', pipeline: [{ $match: { readAt: null } }, { $limit: 100 }], as: 'unread' } },
      { $project: { unread: { $size: '$unread' } } },
    ]).toArray();
    console.log('CONCISE', JSON.stringify(r));
  } catch (e) { console.log('CONCISE ERR', String(e)); }
});
