import { describe, expect, it } from 'vitest';
import { evaluate, formatTable, formatValue, median, meets, percentile, ratioOf, type Row } from '../../scripts/bench/report';
import { BSON } from 'mongodb';
import { commandName, commandTarget, FrameReader, messageIds, OP_MSG } from '../../scripts/bench/wire';

const row = (overrides: Partial<Row>): Row => ({
  figure: 'list, req/s',
  measured: 50,
  unit: 'req/s',
  baseline: 5000,
  baselineLabel: 'bare',
  target: { kind: 'ratioAtLeast', value: 0.25 },
  ...overrides,
});

describe('the benchmark table', () => {
  it('takes the p95 by nearest rank, whatever the order of the values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 1000], 95)).toBe(1000);
    expect(percentile([], 95)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('takes the median of an odd and of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('judges throughput by the ratio to its baseline and latency by the value itself', () => {
    expect(meets(row({ measured: 1000, baseline: 4000 }))).toBe(true);
    expect(meets(row({ measured: 999, baseline: 4000 }))).toBe(false);
    const p95 = row({ unit: 'ms', measured: 6700, baseline: 98, target: { kind: 'atMost', value: 500, unit: 'ms' } });
    expect(meets(p95)).toBe(false);
    expect(meets({ ...p95, measured: 500 })).toBe(true);
  });

  it('says "unknown", not "missed", when a figure or its baseline could not be measured', () => {
    expect(meets(row({ measured: null }))).toBeNull();
    expect(meets(row({ baseline: null }))).toBeNull();
    expect(meets(row({ baseline: 0 }))).toBeNull();
    expect(ratioOf(5, 0)).toBeNull();
    expect(meets(row({ target: null }))).toBeNull();
  });

  it('prints one markdown row per figure, with ratio, target and verdict', () => {
    const table = formatTable([
      evaluate(row({ measured: 44.5, baseline: 5950 })),
      evaluate(row({ figure: 'p95 | 200 conn', unit: 'ms', measured: 6700, baseline: 98, target: { kind: 'atMost', value: 500, unit: 'ms' }, note: 'lower bound' })),
      evaluate(row({ figure: 'info', target: null })),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| figure | measured | baseline | ratio | target | met? |');
    expect(lines[2]).toBe('| list, req/s | 44.5 req/s | bare: 5,950 req/s | 0.0075x | >= 0.25x | no |');
    expect(lines[3]).toBe('| p95 \\| 200 conn | 6.7 s (lower bound) | bare: 98 ms | 68x | <= 500 ms | no |');
    expect(lines[4]?.endsWith('|  |  |')).toBe(true);
  });

  it('formats values in the units a reader expects', () => {
    expect(formatValue(98.4, 'ms')).toBe('98 ms');
    expect(formatValue(1250, 'ms')).toBe('1.3 s');
    expect(formatValue(214.04, 'KB')).toBe('214.0 KB');
    expect(formatValue(null, 'MB')).toBe('n/a');
  });
});

/** An OP_MSG frame carrying `{ <name>: 1 }`, as the driver writes it. */
function opMsg(name: string): Buffer {
  const key = Buffer.from(`${name}\0`, 'latin1');
  const doc = Buffer.alloc(4 + 1 + key.length + 4 + 1);
  doc.writeInt32LE(doc.length, 0);
  doc[4] = 0x10;
  key.copy(doc, 5);
  doc.writeInt32LE(1, 5 + key.length);
  const frame = Buffer.alloc(16 + 4 + 1 + doc.length);
  frame.writeInt32LE(frame.length, 0);
  frame.writeInt32LE(OP_MSG, 12);
  frame[20] = 0;
  doc.copy(frame, 21);
  return frame;
}

describe('counting database commands on the wire', () => {
  it('names the command an OP_MSG carries and nothing else', () => {
    expect(commandName(opMsg('find'))).toBe('find');
    const reply = opMsg('ok');
    reply.writeInt32LE(1, 12);
    expect(commandName(reply)).toBeNull();
  });

  it('reassembles frames split across chunks and splits frames sharing one', () => {
    const both = Buffer.concat([opMsg('find'), opMsg('aggregate')]);
    const reader = new FrameReader();
    const first = reader.push(both.subarray(0, 10));
    const rest = reader.push(both.subarray(10));
    expect(first).toEqual([]);
    expect(rest.map(commandName)).toEqual(['find', 'aggregate']);
  });

  it('reads the collection a command names and the ids that pair a reply with its request', () => {
    const doc = Buffer.from(BSON.serialize({ aggregate: 'proposals', pipeline: [], $db: 'lsx' }));
    const frame = Buffer.alloc(21 + doc.length);
    frame.writeInt32LE(frame.length, 0);
    frame.writeInt32LE(7, 4);
    frame.writeInt32LE(3, 8);
    frame.writeInt32LE(OP_MSG, 12);
    doc.copy(frame, 21);
    expect(commandName(frame)).toBe('aggregate');
    expect(commandTarget(frame)).toBe('proposals');
    expect(messageIds(frame)).toEqual({ requestId: 7, responseTo: 3 });
    // `{ find: 1 }`-style commands (an int, not a collection) name none.
    expect(commandTarget(opMsg('ping'))).toBeNull();
  });
});
