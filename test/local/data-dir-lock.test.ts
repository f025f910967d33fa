/** One server per data folder: a second one is refused with a clear message; a dead server's pid file is taken over. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../src/local/server.js';
import { startTestServer } from './helpers/local-server.js';

describe('data folder lock', () => {
  it('refuses a second server on the same folder, until the first one stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-dir-lock-'));
    const first = await startTestServer({ dataDir });
    await expect(startLocalServer({ dataDir })).rejects.toMatchObject({ code: 'LOCAL_DATA_DIR_IN_USE', message: expect.stringContaining(`in use by another server (process ${process.pid})`) });
    await first.server.close();
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);
    const second = await startTestServer({ dataDir });
    await second.server.close();
  });

  it('takes over the pid file of a server that died', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-dir-lock-'));
    writeFileSync(join(dataDir, 'server.pid'), '2147483646\n');
    const t = await startTestServer({ dataDir });
    expect((await t.client.models.list()).data.length).toBeGreaterThan(0);
    await t.server.close();
  });
});
