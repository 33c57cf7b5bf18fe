import { Community, Street } from '#models';

/** Streets with their communities, for pickers and filters. */
export async function listStreetsWithCommunities() {
  const [streets, communities] = await Promise.all([
    Street.find().select('code name').sort({ order: 1 }).lean(),
    Community.find().select('code name street').sort({ code: 1 }).lean(),
  ]);
  return streets.map((street) => ({
    id: String(street._id),
    code: street.code,
    name: street.name,
    communities: communities
      .filter((community) => String(community.street) === String(street._id))
      .map((community) => ({ id: String(community._id), code: community.code, name: community.name })),
  }));
}
