/**
 * Appends one line to a file so that concurrent writers, in this process or others, never interleave.
 *
 * Why no lock: the line goes out in ONE write() on a descriptor opened with O_APPEND. On Linux local
 * filesystems (ext4, xfs, btrfs, tmpfs, overlayfs) the kernel holds the inode lock for the whole
 * write, so the "seek to end + write" is atomic for any length, not only up to PIPE_BUF (PIPE_BUF is
 * about pipes). test/record/concurrent-append.test.ts checks this with several processes and lines
 * far larger than 4 KiB. Network filesystems (NFS, SMB) do not give this guarantee: keep datasets on
 * a local disk.
 *
 * A writer that died mid-line (or a short write on a full disk) leaves a line without its newline.
 * The next append sees that the file does not end in "\n" and starts with one, so the torn fragment
 * stays on its own line (readers skip it) instead of swallowing the new record. Two writers doing
 * this at once only add an empty line, which readers ignore.
 */
import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;

export async function appendLine(file: string, line: string): Promise<void> {
  const handle = await open(file, 'a+');
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) prefix = '\n';
    }
    const bytes = Buffer.from(prefix + line + '\n', 'utf8');
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
    // Never finish a short write with a second write(): that could interleave with another writer.
    if (bytesWritten !== bytes.length) throw new Error(`short write to ${file}: ${bytesWritten} of ${bytes.length} bytes (disk full?)`);
  } finally {
    await handle.close();
  }
}
