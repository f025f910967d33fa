/**
 * A vendor flavour's own records (Together job extras, Fireworks datasets, endpoints, deployments):
 * one JSON file each under <dataDir>/<flavour>/<kind>/, written atomically, loaded on start, so the
 * emulator survives restarts like the core does.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../store/atomic.js';
import { monotonicMs } from '../../state/file-store.js';

interface Stored<T> {
  value: T;
  createdMs: number;
}

export class VendorRecords<T> {
  private readonly dir: string;
  private readonly records = new Map<string, Stored<T>>();

  constructor(dataDir: string, flavour: string, kind: string) {
    this.dir = join(dataDir, flavour, kind);
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const stored = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as Stored<T> & { id: string };
      this.records.set(stored.id, { value: stored.value, createdMs: stored.createdMs });
    }
  }

  get(id: string): T | undefined {
    return this.records.get(id)?.value;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Newest first. */
  list(): T[] {
    return [...this.records.values()].sort((a, b) => b.createdMs - a.createdMs).map((r) => r.value);
  }

  async save(id: string, value: T): Promise<T> {
    const createdMs = this.records.get(id)?.createdMs ?? monotonicMs();
    this.records.set(id, { value, createdMs });
    await writeFileAtomic(this.pathOf(id), JSON.stringify({ id, value, createdMs }));
    return value;
  }

  async delete(id: string): Promise<boolean> {
    if (!this.records.delete(id)) return false;
    await rm(this.pathOf(id), { force: true });
    return true;
  }

  private pathOf(id: string): string {
    return join(this.dir, `${encodeURIComponent(id)}.json`);
  }
}
