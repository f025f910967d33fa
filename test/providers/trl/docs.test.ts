/** docs/trl.md documents every field of the provider block and marks exactly the ones that enter stage keys. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { trlBlockProperties, trlIdentityFields } from '../../../src/providers/trl/block.js';
import { repoRoot } from '../../helpers/project.js';

it('docs/trl.md has a row for every provider block field, with **key** on the identity fields', () => {
  const docs = readFileSync(join(repoRoot, 'docs/trl.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## The provider block'), docs.indexOf('## Hyperparameters'));
  const rows = new Map([...section.matchAll(/^\| `([a-z0-9_]+)`( \*\*key\*\*)? \|/gm)].map((m) => [m[1], Boolean(m[2])]));
  expect([...rows.keys()].sort()).toEqual(Object.keys(trlBlockProperties).sort());
  expect([...rows].filter(([, key]) => key).map(([field]) => field).sort()).toEqual([...trlIdentityFields].sort());
});
