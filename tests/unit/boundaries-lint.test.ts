import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The boundaries in eslint.config.js, proven on made-up files: each source below is linted as
 * if it lived at the given path (the file need not exist; what it imports does).
 */
const root = path.resolve(import.meta.dirname, '../..');
const BOUNDARIES = 'boundaries/element-types';
let eslint: ESLint;

beforeAll(() => {
  // The made-up files are in no TypeScript project, so the type-aware rules are off here; the
  // boundaries need only the import resolver.
  eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });
});

async function lint(file: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

async function expectRefused(file: string, code: string, reason?: RegExp) {
  const messages = await lint(file, code);
  const refusals = messages.filter((message) => message.ruleId === BOUNDARIES);
  expect(refusals, JSON.stringify(messages)).toHaveLength(1);
  if (reason) expect(refusals[0]?.message).toMatch(reason);
}

async function expectClean(file: string, code: string) {
  expect(await lint(file, code)).toEqual([]);
}

describe('feature boundaries, along the lifecycle', { timeout: 30_000 }, () => {
  it('refuses a feature importing a later feature', async () => {
    await expectRefused(
      'app/features/proposals/x.ts',
      "import { getPublishedResults } from '~/features/results/results.server';\nexport const y = getPublishedResults;\n",
      /proposals may not import results/,
    );
    await expectRefused(
      'app/features/accounts/x.ts',
      "import { PHASES } from '~/features/competitions/phases';\nexport const y = PHASES;\n",
      /accounts may not import competitions/,
    );
  });

  it('refuses voting and judging knowing each other: they sit side by side', async () => {
    await expectRefused(
      'app/features/voting/x.ts',
      "import { loadJudgingInputs } from '~/features/judging/inputs.server';\nexport const y = loadJudgingInputs;\n",
      /voting may not import judging/,
    );
  });

  it('refuses an unlisted feature importing another feature until it is placed in the order', async () => {
    await expectRefused(
      'app/features/needs/x.ts',
      "import { greedy } from '~/features/results/allocation/greedy';\nexport const y = greedy;\n",
      /needs may not import results/,
    );
  });

  it('lets projects know their result, proposal and organization, and nothing earlier know projects', async () => {
    await expectClean(
      'app/features/projects/x.ts',
      "import { getPublishedResults } from '~/features/results/results.server';\nimport { ORGANIZATION_TYPES } from '~/features/organizations/organizations';\nexport const y = [getPublishedResults, ORGANIZATION_TYPES];\n",
    );
    await expectRefused(
      'app/features/results/x.ts',
      "import { createProjectsFromResult } from '~/features/projects/projects.server';\nexport const y = createProjectsFromResult;\n",
      /results may not import projects/,
    );
    await expectRefused(
      'app/features/organizations/x.ts',
      "import { PROJECT_STATUSES } from '~/features/projects/rules';\nexport const y = PROJECT_STATUSES;\n",
      /organizations may not import projects/,
    );
  });

  it('lets a feature import earlier features, and its own files', async () => {
    await expectClean(
      'app/features/results/x.ts',
      "import { loadJudgingInputs } from '~/features/judging/inputs.server';\nexport const y = loadJudgingInputs;\n",
    );
    await expectClean(
      'app/features/proposals/x.ts',
      "import { currentPhase } from '~/features/competitions/phases';\nimport { consentSchema } from '~/features/accounts/assist.schema';\nexport const y = [currentPhase, consentSchema];\n",
    );
    await expectClean('app/features/results/x.ts', "import { greedy } from './allocation/greedy';\nexport const y = greedy;\n");
  });
});

describe('layers', { timeout: 30_000 }, () => {
  it('refuses core importing a feature, a route or a component', async () => {
    await expectRefused('app/core/x.ts', "import { PHASES } from '~/features/competitions/phases';\nexport const y = PHASES;\n");
    await expectRefused('app/core/x.ts', "import { loader } from '~/routes/login/route';\nexport const y = loader;\n");
    await expectRefused('app/core/x.ts', "import { Pagination } from '~/components/pagination';\nexport const y = Pagination;\n");
  });

  it('lets core import core and models', async () => {
    await expectClean('app/core/x.ts', "import { audit } from './audit.server';\nimport { User } from '#models';\nexport const y = [audit, User];\n");
  });

  it('refuses a component importing a value from a .server file, and allows its types', async () => {
    await expectRefused(
      'app/components/x.tsx',
      "import { getOptionalUser } from '~/core/auth.server';\nexport const y = getOptionalUser;\n",
      /Components never import server code/,
    );
    await expectRefused(
      'app/components/x.tsx',
      "import { listProposals } from '~/features/proposals/browse.server';\nexport const y = listProposals;\n",
      /Components never import server code/,
    );
    await expectClean(
      'app/components/x.tsx',
      "import type { ResolvedDatabase } from '~/core/database-resolver.server';\nexport type Y = ResolvedDatabase;\n",
    );
  });

  it('refuses utils importing server code', async () => {
    await expectRefused('app/utils/x.ts', "import { audit } from '~/core/audit.server';\nexport const y = audit;\n");
    await expectClean('app/utils/x.ts', "import { DEFAULT_LANGUAGE } from '~/core/locales';\nexport const y = DEFAULT_LANGUAGE;\n");
  });

  it("lets a route import another route's loader type, not its values or other files", async () => {
    await expectClean(
      'app/routes/x/route.tsx',
      "import type { loader } from '../competitions.$slug/route';\nexport type Y = typeof loader;\n",
    );
    await expectRefused('app/routes/x/route.tsx', "import { loader } from '../competitions.$slug/route';\nexport const y = loader;\n");
  });

  it('lets models import pure feature files, never services or components', async () => {
    await expectClean('models/x.ts', "import { PHASES } from '~/features/competitions/phases';\nexport const y = PHASES;\n");
    await expectRefused(
      'models/x.ts',
      "import { competitionSummary } from '~/features/competitions/competitions.server';\nexport const y = competitionSummary;\n",
      /Models import only pure files/,
    );
    await expectRefused(
      'models/x.ts',
      "import { PhaseTimeline } from '~/features/competitions/phase-timeline';\nexport const y = PhaseTimeline;\n",
      /Models import only pure files/,
    );
  });

  it('keeps seeds and tests out of app/; only the server seeds an empty database', async () => {
    await expectRefused('app/core/x.ts', "import { seedIfEmpty } from '#seeds/seed';\nexport const y = seedIfEmpty;\n");
    await expectRefused('app/features/proposals/x.ts', "import { createUser } from '#seeds/factories';\nexport const y = createUser;\n");
    await expectRefused('app/routes/x/route.tsx', "import { launchBrowser } from '../../../tests/support/browser';\nexport const y = launchBrowser;\n");
    await expectClean('server.ts', "import { seedIfEmpty } from './seeds/seed';\nexport const y = seedIfEmpty;\n");
    await expectRefused('server.ts', "import { createUser } from './seeds/factories';\nexport const y = createUser;\n");
  });
});
