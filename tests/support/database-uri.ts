/** The same server, another database: `mongodb://h:1/?x` + "lsx_test_1" → `mongodb://h:1/lsx_test_1?x`. */
export function withDbName(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB URI: ${uri}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}
