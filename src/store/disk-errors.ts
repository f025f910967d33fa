/**
 * A full disk, a read-only file system or missing permissions are the user's to fix, not bugs: say what
 * happened, where, and what to do. Writes are atomic, so whatever failed left nothing half-written.
 */
import { FtpipeError } from '../errors.js';

const KNOWN: Record<string, { what: string; hint: string }> = {
  ENOSPC: { what: 'no space left on the device', hint: 'free some space (`ftpipe cache gc` deletes artifacts nothing refers to), then run again: nothing half-written was kept' },
  EDQUOT: { what: 'the disk quota is exhausted', hint: 'free some space or raise the quota, then run again: nothing half-written was kept' },
  EROFS: { what: 'the file system is read-only', hint: '`ftpipe run` writes .ftpipe/ and ftpipe.lock: run it in a writable checkout (`ftpipe status` and `ftpipe run --check` only read)' },
  EACCES: { what: 'permission denied', hint: 'check the owner and permissions of the workspace and its .ftpipe/ folder' },
  EPERM: { what: 'operation not permitted', hint: 'check the owner and permissions of the workspace and its .ftpipe/ folder' },
};

/** The FtpipeError for a file-system error the user must fix, or undefined for anything else. */
export function diskError(error: unknown, options: { stage?: string } = {}): FtpipeError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? KNOWN[code] : undefined;
  if (!known || typeof (error as NodeJS.ErrnoException).syscall !== 'string') return undefined;
  const { path, syscall } = error as NodeJS.ErrnoException;
  const where = path ? ` (${syscall} ${path})` : ` (${syscall})`;
  return new FtpipeError(`${known.what}${where}`, `DISK_${code}`, { hint: known.hint, cause: error, stage: options.stage, exitCode: 1 });
}
