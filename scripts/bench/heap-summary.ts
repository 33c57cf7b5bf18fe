/**
 * A heap snapshot (.heapsnapshot, as node's --heapsnapshot-signal or v8.writeHeapSnapshot write
 * it) summed by what its objects are: an object by its constructor, anything else by its kind
 * (string, code, array, closure by function name...). Self sizes, not retained ones: enough to
 * see what fills a heap. `tsx scripts/bench/heap-summary.ts FILE [N]` prints the N largest.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export function summarize(file: string, top = 25): string {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]!]!;
    const name = heap.strings[heap.nodes[i + nameAt]!]!;
    const bytes = heap.nodes[i + sizeAt]!;
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type} ${name.slice(0, 60)}` : type;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += bytes;
    groups.set(key, group);
    total += bytes;
  }
  const rows = [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1).padStart(7);
  return [`${mb(total)} MB in ${heap.nodes.length / width} objects`, ...rows.map(([key, g]) => `${mb(g.bytes)} MB ${String(g.count).padStart(9)}  ${key}`)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(summarize(process.argv[2]!, Number(process.argv[3] ?? 25)));
}
