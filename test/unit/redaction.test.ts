/** The redaction choke point: known key values (env, .env, named variables) and key shapes, in text, values and files. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSecretNames, addSecretsFromEnv, addSecretValue } from '../../src/secrets/known-secrets.js';
import { redactDeep, redactForWorkspace, redactSecrets } from '../../src/secrets/redact.js';
import { redactSecretsInFile } from '../../src/secrets/redact-file.js';
import { isSecretName } from '../../src/secrets/secret-shapes.js';

describe('redaction', () => {
  it('replaces known values (also JSON-escaped) and key-shaped strings; leaves other text alone', () => {
    addSecretValue('q"uoted-secret-1234', 'ODD_TOKEN');
    const text = `token q"uoted-secret-1234 in ${JSON.stringify({ t: 'q"uoted-secret-1234' })} and sk-proj-${'a1B2c3D4e5'.repeat(3)} ok`;
    expect(redactSecrets(text)).toBe('token [redacted:ODD_TOKEN] in {"t":"[redacted:ODD_TOKEN]"} and [redacted] ok');
    expect(redactSecrets('short values like 1234 or true stay')).toBe('short values like 1234 or true stay');
    expect(redactDeep({ a: ['x q"uoted-secret-1234'], n: 3 })).toEqual({ a: ['x [redacted:ODD_TOKEN]'], n: 3 });
  });

  it('knows secret variable names, and names a recipe gives (api_key_env) whatever they are called', () => {
    expect(['OPENAI_API_KEY', 'HF_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'APIKEY'].every(isSecretName)).toBe(true);
    expect(['PATH', 'MONKEY', 'TOKENIZERS_PARALLELISM', 'KEYBOARD'].some(isSecretName)).toBe(false);
    addSecretNames(['GATEWAY_AUTH'], { GATEWAY_AUTH: 'gw-0123456789abcdef' });
    expect(redactSecrets('Bearer gw-0123456789abcdef')).toBe('Bearer [redacted:GATEWAY_AUTH]');
    addSecretsFromEnv({ SSH_KEY: '/home/me/.ssh/id_ed25519', NOTE_TOKEN: 'two words here' }); // a path, a phrase: not key values
    expect(redactSecrets('/home/me/.ssh/id_ed25519 two words here')).toBe('/home/me/.ssh/id_ed25519 two words here');
  });

  it('redactForWorkspace reads the workspace .env (for servers such as the studio)', () => {
    const root = mkdtempSync(join(tmpdir(), 'ftpipe-redact-'));
    writeFileSync(join(root, '.env'), 'STUDIO_TEST_API_KEY=from-dotenv-5678abcd\nPLAIN=from-dotenv-visible\n');
    expect(redactForWorkspace(root, { body: 'from-dotenv-5678abcd / from-dotenv-visible' })).toEqual({ body: '[redacted:STUDIO_TEST_API_KEY] / from-dotenv-visible' });
  });

  it('files: a value split across read chunks is found and replaced, the rest kept byte for byte', async () => {
    addSecretValue('chunk-boundary-secret-9876', 'BOUNDARY_KEY');
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-redact-file-'));
    const file = join(dir, 'out.log');
    const before = 'x'.repeat((1 << 20) - 10) + 'chunk-boundary-secret-9876' + ' é tail\n';
    writeFileSync(file, before);
    expect(await redactSecretsInFile(file)).toEqual(['BOUNDARY_KEY']);
    expect(readFileSync(file, 'utf8')).toBe(before.replace('chunk-boundary-secret-9876', '[redacted:BOUNDARY_KEY]'));
    writeFileSync(file, 'nothing here\n');
    expect(await redactSecretsInFile(file)).toEqual([]);
  });
});
