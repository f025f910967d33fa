/**
 * Preloaded into the CLI by tests (`node --import ./test/helpers/fail-writes.mjs`) where no small file
 * system can be mounted: every write to a path containing FTPIPE_FAIL_WRITES_PATH fails with the errno
 * FTPIPE_FAIL_WRITES_CODE (ENOSPC, EROFS, …), as the kernel would report it.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const marker = process.env.FTPIPE_FAIL_WRITES_PATH;
const code = process.env.FTPIPE_FAIL_WRITES_CODE ?? 'ENOSPC';
const messages = { ENOSPC: 'no space left on device', EROFS: 'read-only file system', EACCES: 'permission denied' };

function failing(syscall, path) {
  const error = new Error(`${code}: ${messages[code] ?? code}, ${syscall} '${path}'`);
  return Object.assign(error, { code, syscall, path: String(path), errno: -28 });
}
const hit = (path) => marker && typeof path === 'string' && path.includes(marker);
const writes = (flags) => typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & 3) !== 0;

/** name → index of the path argument(s) that make the call a write there. */
const sync = { writeFileSync: [0], mkdirSync: [0], linkSync: [1], renameSync: [1], copyFileSync: [1], appendFileSync: [0] };
const promised = { writeFile: [0], mkdir: [0], link: [1], rename: [1], copyFile: [1], appendFile: [0] };

for (const [name, args] of Object.entries(sync)) {
  const original = fs[name];
  fs[name] = function (...a) {
    for (const i of args) if (hit(a[i])) throw failing(name.replace('Sync', '').toLowerCase(), a[i]);
    return original.apply(this, a);
  };
}
for (const [name, args] of Object.entries(promised)) {
  const original = fs.promises[name];
  fs.promises[name] = async function (...a) {
    for (const i of args) if (hit(a[i])) throw failing(name.toLowerCase(), a[i]);
    return original.apply(this, a);
  };
}
const openSync = fs.openSync;
fs.openSync = function (path, flags, ...rest) {
  if (hit(path) && writes(flags)) throw failing('open', path);
  return openSync.call(this, path, flags, ...rest);
};
const open = fs.promises.open;
fs.promises.open = async function (path, flags, ...rest) {
  if (hit(path) && writes(flags)) throw failing('open', path);
  return open.call(this, path, flags, ...rest);
};
syncBuiltinESMExports();
