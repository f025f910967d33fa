/**
 * Appends one line to a file so that concurrent writers, in this process or others, never interleave.
 *
 * Why no lock: the line goes out in ONE write() on a descriptor opened with O_APPEND. On Linux local
 * filesystems (ext4, xfs, btrfs, tmpfs, overlayfs) the kernel holds the inode lock for the whole
 * write, so "seek to end + write" is atomic for any length, not only up to PIPE_BUF (PIPE_BUF is
 * about pipes). test/record/concurrent-append.test.ts checks this with several processes and lines
 * far larger than 4 KiB (and fails when the write is split in two). Network filesystems (NFS, SMB)
 * do not give this guarantee: keep datasets on a local disk.
 *
 * A writer that died mid-line leaves a fragment without its newline; the next record then starts on
 * the same line. We do not "repair" that here (checking the last byte first races with writes in
 * progress and adds empty lines); readers split such a line instead (see jsonl-dataset-store.ts).
 */
import { open } from 'node:fs/promises';

export async function appendLine(file: string, line: string): Promise<void> {
  const bytes = Buffer.from(line + '\n', 'utf8');
  const handle = await open(file, 'a');
  try {
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
    // Never finish a short write with a second write(): that could interleave with another writer.
    if (bytesWritten !== bytes.length) throw new Error(`short write to ${file}: ${bytesWritten} of ${bytes.length} bytes (disk full?)`);
  } finally {
    await handle.close();
  }
}
