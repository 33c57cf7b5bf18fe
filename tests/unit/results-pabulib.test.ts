import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalCounts, parsePabulib, writePabulib, type PbFile } from '~/features/results/allocation/pabulib';
import { tallyPabulib } from '~/features/results/allocation/tally';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => path.join(root, 'tests/fixtures/pabulib', name);

const elections = [
  'Poland_Bydgoszcz_2025_Jachcice__small_projects.pb',
  'Poland_Bydgoszcz_2025_Legnowo_Wies.pb',
  'Poland_Warszawa_2017_Wesola_Plac_Wojska_Polskiego.pb',
];

const sample = `META
key;value
description;Test election
num_projects;3
num_votes;4
budget;1000
vote_type;approval
PROJECTS
project_id;cost;votes;name;category;selected
1;600;3;Park;green;1
2;500;2;"Library; with ""books""";culture;0
3;300;1;Bench;green;1
VOTES
voter_id;vote;age
v1;1,2;30
v2;1,3;41
v3;1,2;
v4;2;25
`;

describe('Pabulib reading', () => {
  it('reads META, PROJECTS and VOTES with quoted fields', () => {
    const file = parsePabulib(sample);
    expect(file.meta).toMatchObject({ budget: '1000', vote_type: 'approval', num_votes: '4' });
    expect(file.projects.map((p) => [p.id, p.cost])).toEqual([
      ['1', 600],
      ['2', 500],
      ['3', 300],
    ]);
    expect(file.projects[1]!.fields.name).toBe('Library; with "books"');
    expect(file.votes[0]).toEqual({ voterId: 'v1', vote: ['1', '2'], fields: { age: '30' } });
    expect(file.projectColumns).toEqual(['votes', 'name', 'category', 'selected']);
  });

  it('is liberal: BOM, CRLF, lower-case sections, blank lines, trailing spaces, no META header, missing columns', () => {
    const messy =
      '\uFEFFmeta\r\nbudget;100 \r\nvote_type;approval\r\n\r\nprojects\r\nproject_id;cost\r\n a ;60\r\nb;50  \r\n\r\nvotes\r\nvoter_id;vote\r\n1;a, b\r\n2;b\r\n';
    const file = parsePabulib(messy);
    expect(file.meta).toEqual({ budget: '100', vote_type: 'approval' });
    expect(file.projects.map((p) => p.id)).toEqual(['a', 'b']);
    expect(file.votes.map((v) => v.vote)).toEqual([['a', 'b'], ['b']]);
    expect(tallyPabulib(file).selected).toEqual(['b']);
  });

  it('counts approvals from VOTES, or from the PROJECTS votes column when there are no VOTES, and says which', () => {
    expect(approvalCounts(parsePabulib(sample))).toEqual({
      counts: new Map([
        ['1', 3],
        ['2', 3],
        ['3', 1],
      ]),
      source: 'VOTES',
    });
    const withoutVotes = parsePabulib(sample.slice(0, sample.indexOf('VOTES')));
    expect(approvalCounts(withoutVotes).source).toBe('PROJECTS.votes');
    expect(approvalCounts(withoutVotes).counts.get('2')).toBe(2);
  });

  it('reads cumulative ballots with points', () => {
    const file = parsePabulib(
      'META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\nx;5\ny;5\nVOTES\nvoter_id;vote;points\n1;x,y;3,2\n2;y;5\n',
    );
    expect(file.votes[0]!.points).toEqual([3, 2]);
    // Each voter holds 5. y: ρ(2 + 5) = 5 → ρ = 5/7, lower than x's 5/3, so y first; voter 1 pays
    // 10/7 and keeps 25/7 < 5, too little for x, which only they support.
    const { mes } = tallyPabulib(file, { method: 'mes', utility: 'cardinal' });
    expect(mes!.selected).toEqual(['y']);
    expect(mes!.rounds[0]!.rho).toBeCloseTo(5 / 7, 12);
    expect(mes!.leftovers[0]).toBeCloseTo(25 / 7, 12);
  });

  it('refuses what it cannot make sense of, with the line', () => {
    expect(() => parsePabulib('PROJECTS\nproject_id;cost\nx;12.5\n')).toThrow(/line 3/);
    expect(() => parsePabulib('META\nbudget;1\nPROJECTS\nproject_id;cost\nx;1\nVOTES\nvoter_id;vote\n1;y\n')).toThrow(/unknown project y/);
  });
});

describe('Pabulib writing', () => {
  it('round-trips: write(parse(x)) parses back to the same election, and writing again is identical', () => {
    const file = parsePabulib(sample);
    const text = writePabulib(file);
    expect(parsePabulib(text)).toEqual(file);
    expect(writePabulib(parsePabulib(text))).toBe(text);
    expect(text).toContain('2;500;2;"Library; with ""books""";culture;0\n');
  });

  it('round-trips cumulative points, fields with edge spaces and the real election files', () => {
    const cumulative: PbFile = {
      meta: { budget: '10', vote_type: 'cumulative' },
      projects: [{ id: 'x', cost: 5, fields: { name: ' padded ' } }],
      votes: [{ voterId: '1', vote: ['x'], points: [4], fields: {} }],
      projectColumns: ['name'],
      voteColumns: [],
    };
    expect(parsePabulib(writePabulib(cumulative))).toEqual(cumulative);
    for (const name of elections) {
      const original = readFileSync(fixture(name), 'utf8');
      const parsed = parsePabulib(original);
      expect(parsePabulib(writePabulib(parsed))).toEqual(parsed);
      // The Bydgoszcz files are already in the strict form, so writing gives their text back;
      // Wesoła puts `vote` last in VOTES, which writing moves to second place.
      if (name.includes('Bydgoszcz')) expect(writePabulib(parsed)).toBe(`${original}\n`);
      else expect(writePabulib(parsed)).toContain('voter_id;vote;age;sex;voting_method\n5642;427;33;F;internet\n');
    }
  });
});

// Real elections from pabulib.org, copied from the pabulib/pabulib_files repository
// (tests/fixtures/pabulib/README.md). Their `selected` column is what the city funded.
describe('real Pabulib elections', () => {
  for (const name of elections) {
    it(`greedy reproduces the projects the city selected: ${name}`, () => {
      const file = parsePabulib(readFileSync(fixture(name), 'utf8'));
      // The copy is faithful: the ballots add up to the file's own counts.
      expect(file.votes).toHaveLength(Number(file.meta.num_votes));
      const { counts } = approvalCounts(file);
      for (const p of file.projects) expect(counts.get(p.id)).toBe(Number(p.fields.votes));

      const selectedByCity = file.projects.filter((p) => p.fields.selected === '1').map((p) => p.id);
      expect(tallyPabulib(file).selected.sort()).toEqual(selectedByCity.sort());
    });
  }

  it('the tally command prints the selected ids, and JSON with --json', () => {
    const tsx = path.join(root, 'node_modules/.bin/tsx');
    const file = fixture('Poland_Bydgoszcz_2025_Legnowo_Wies.pb');
    const plain = spawnSync(tsx, ['scripts/tally.ts', file], { cwd: root, encoding: 'utf8' });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe('122\n');
    expect(plain.stderr).toContain('approval counts from VOTES');
    const json = spawnSync(tsx, ['scripts/tally.ts', file, '--method', 'mes', '--json'], { cwd: root, encoding: 'utf8' });
    expect(json.status).toBe(0);
    const { ms, ...printed } = JSON.parse(json.stdout) as { selected: string[]; ms: number };
    expect(printed).toEqual({ selected: ['122'] });
    expect(ms).toBeTypeOf('number');
    const bad = spawnSync(tsx, ['scripts/tally.ts', file, '--completion', 'magic'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
  }, 30_000);
});
